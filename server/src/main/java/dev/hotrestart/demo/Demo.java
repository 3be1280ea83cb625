package dev.hotrestart.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code hotrestart demo}: drives the adapter as an editor would, against a sample program
 * whose {@code @HotRestart} method has a bug — launch, stop where the exception escapes, look
 * at the stack and the locals, fix the file, {@code restartFrameWithReload} — and prints the
 * conversation. It is a newcomer's first look, so every failure is one sentence, not a trace.
 */
public final class Demo {
    private static final long WAIT_MS = Long.getLong("hotrestart.demo.wait", 60_000);
    private static final String BUG = "i <= prices.length";
    private static final String FIX = "i < prices.length";
    private static final String FIXED_ORDER = "order 4: $57.97";
    private static final String LAST_LINE = "5 orders, revenue $176.95";

    private final Transcript transcript;
    private final PrintStream out;

    private Demo(PrintStream out) {
        this.out = out;
        this.transcript = new Transcript(out);
    }

    /** Runs the demo; returns the exit code: 0 when the story went as told. */
    /** {@code adapterMain}: the adapter's main class, started as a child process speaking DAP on stdio. */
    public static int run(String[] args, Class<?> adapterMain) {
        boolean keep = List.of(args).contains("--keep");
        for (String a : args) {
            if (!a.equals("--keep")) {
                System.err.println("hotrestart demo: unknown argument '" + a + "' (the only option is --keep, which keeps the sample folder)");
                return 2;
            }
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        return new Demo(out).run(keep, adapterMain);
    }

    private int run(boolean keep, Class<?> adapterMain) {
        SampleProgram sample = null;
        AdapterConnection adapter = null;
        try {
            out.println("hotrestart demo: a debug session driven the way your editor drives it.");
            out.println();
            sample = SampleProgram.create();
            out.println("  The sample, " + SampleProgram.MAIN_FILE + " in " + sample.root + ", totals a shop's orders:");
            out.println("  buy four items or more and the cheapest is free. Its method total(int[]) is marked");
            out.println("  @HotRestart, and it has a bug. Lines with → are requests from the client, ← answers");
            out.println("  and events from the adapter, and 'program │' what the program prints.");
            out.println();
            adapter = AdapterConnection.start(adapterCommand(adapterMain), transcript, WAIT_MS);
            int kept = session(sample, adapter);
            adapter.close();
            transcript.end();
            out.println();
            out.println("✓ Fixed while it ran: total(int[]) was recompiled, swapped into the running JVM and run");
            out.println("  again from its first line, without restarting the program.");
            out.println(kept >= 0 ? "  Orders processed before the failure: " + kept + " — kept, not processed twice."
                    : "  The orders processed before the failure were kept, not processed twice.");
            out.println("  Order 4 came to $57.97 and the program exited with code 0.");
            out.println();
            out.println("In an editor, Continue on such a stop does the same: reload the method, run it again.");
            out.println("README.md shows how to set hotrestart up in yours.");
            return 0;
        } catch (DemoFailure e) {
            failed(e.getMessage(), adapter);
            return 1;
        } catch (RuntimeException e) {
            failed("unexpected error: " + e, adapter);
            return 1;
        } finally {
            if (adapter != null) adapter.close();
            if (sample != null) {
                if (keep) out.println("The sample stays in " + sample.root + ".");
                else sample.delete();
            }
        }
    }

    /** The conversation itself; returns how many orders the program had processed when it stopped. */
    private int session(SampleProgram sample, AdapterConnection adapter) {
        JsonObject init = json("clientID", "hotrestart-demo", "adapterID", "hotrestart", "pathFormat", "path");
        adapter.request("initialize", init, Demo::capabilities);
        adapter.awaitEvent("initialized", "the 'initialized' event");

        JsonObject launch = new JsonObject();
        launch.addProperty("mainClass", SampleProgram.MAIN_CLASS);
        launch.add("classPaths", strings(SampleProgram.CLASSES));
        launch.add("sourcePaths", strings(SampleProgram.SOURCE_ROOT));
        launch.addProperty("cwd", sample.root.toString());
        adapter.request("launch", launch, null);
        adapter.request("configurationDone", null, null);

        JsonObject stopped = adapter.awaitEvent("stopped", "the program to stop on the escaped exception");
        String reason = stopped.get("reason").getAsString();
        if (!reason.equals("exception")) throw new DemoFailure("the program stopped for '" + reason + "', not on the exception");
        int threadId = stopped.get("threadId").getAsInt();
        adapter.settle(300); // the adapter's hint follows the stop at once

        JsonObject trace = adapter.request("stackTrace", json("threadId", threadId), Demo::frames);
        JsonObject target = restartTarget(trace.getAsJsonArray("stackFrames"));
        int frameId = target.get("id").getAsInt();

        JsonArray scopes = adapter.request("scopes", json("frameId", frameId),
                b -> "scopes of " + target.get("name").getAsString() + ": " + names(b.getAsJsonArray("scopes"))).getAsJsonArray("scopes");
        int localsRef = scopes.get(0).getAsJsonObject().get("variablesReference").getAsInt();
        JsonArray locals = adapter.request("variables", json("variablesReference", localsRef), null).getAsJsonArray("variables");
        int processed = showLocals(adapter, locals);

        String before = lineWith(sample.read(SampleProgram.MAIN_FILE), BUG);
        int line = sample.fixLine(SampleProgram.MAIN_FILE, BUG, FIX);
        String after = lineWith(sample.read(SampleProgram.MAIN_FILE), FIX);
        transcript.say("  ✎ the fix, saved to " + SampleProgram.SOURCE_ROOT + "/" + SampleProgram.MAIN_FILE + " as you would in your editor:");
        transcript.say("      " + line + " - " + before.strip());
        transcript.say("      " + line + " + " + after.strip());

        JsonObject restart = new JsonObject();
        restart.addProperty("frameId", frameId);
        restart.addProperty("resume", true);
        adapter.request("restartFrameWithReload", restart,
                b -> "reloaded " + Transcript.render(b.get("reloaded")) + ", restarted " + Transcript.render(b.get("restarted")));

        JsonObject exited = adapter.awaitEvent("exited", "the program to finish");
        int code = exited.has("exitCode") ? exited.get("exitCode").getAsInt() : -1;
        adapter.awaitEvent("terminated", "the 'terminated' event");
        adapter.request("disconnect", null, null);

        String stdout = transcript.programStdout();
        if (code != 0) throw new DemoFailure("the program exited with code " + code + " instead of 0");
        if (!stdout.contains(FIXED_ORDER)) throw new DemoFailure("the program never printed '" + FIXED_ORDER + "'; it printed:\n" + stdout);
        if (!stdout.contains(LAST_LINE)) throw new DemoFailure("the program never printed '" + LAST_LINE + "'; it printed:\n" + stdout);
        return processed;
    }

    /**
     * Prints the wrapped frame's locals, with {@code this} and small arrays opened one level;
     * returns the {@code processed} field of {@code this} (-1 when it cannot be read).
     */
    private int showLocals(AdapterConnection adapter, JsonArray locals) {
        List<String> lines = new ArrayList<>();
        List<String> opened = new ArrayList<>();
        int processed = -1;
        for (JsonElement e : locals) {
            JsonObject v = e.getAsJsonObject();
            String name = v.get("name").getAsString();
            String value = v.get("value").getAsString();
            int ref = v.has("variablesReference") ? v.get("variablesReference").getAsInt() : 0;
            if (ref != 0 && name.equals("this")) {
                opened.add(name);
                lines.add(name + " = " + value);
                for (JsonElement f : children(adapter, ref)) {
                    JsonObject field = f.getAsJsonObject();
                    String fieldValue = field.get("value").getAsString();
                    lines.add("    " + field.get("name").getAsString() + " = " + fieldValue);
                    if (field.get("name").getAsString().equals("processed")) processed = parse(fieldValue);
                }
            } else if (ref != 0 && value.matches("\\w+\\[\\d\\]")) {
                opened.add(name);
                StringJoiner items = new StringJoiner(", ", " {", "}");
                for (JsonElement x : children(adapter, ref)) items.add(x.getAsJsonObject().get("value").getAsString());
                lines.add(name + " = " + value + items);
            } else {
                lines.add(name + " = " + value);
            }
        }
        String how = opened.isEmpty() ? "" : " (" + String.join(" and ", opened) + " opened with "
                + (opened.size() == 1 ? "one more 'variables' request)" : opened.size() + " more 'variables' requests)");
        transcript.reply("locals" + how + ":\n  " + String.join("\n  ", lines));
        return processed;
    }

    private static JsonArray children(AdapterConnection adapter, int ref) {
        return adapter.quietRequest("variables", json("variablesReference", ref)).getAsJsonArray("variables");
    }

    private void failed(String message, AdapterConnection adapter) {
        transcript.end();
        out.println();
        out.println("✗ The demo failed: " + message);
        String log = adapter == null ? "" : adapter.log().strip();
        if (!log.isEmpty()) {
            List<String> lines = List.of(log.split("\n"));
            out.println("  The adapter's log ends with:");
            for (String l : lines.subList(Math.max(0, lines.size() - 15), lines.size())) out.println("    " + l);
        }
    }

    /** The adapter is this very jar (or class path), run as a child process speaking DAP on stdio. */
    private static List<String> adapterCommand(Class<?> main) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path self;
        try {
            self = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new DemoFailure("cannot tell where the hotrestart jar is: " + e.getMessage());
        }
        if (Files.isRegularFile(self)) return List.of(java, "-jar", self.toString());
        return List.of(java, "-cp", System.getProperty("java.class.path"), main.getName());
    }

    private static String capabilities(JsonObject caps) {
        StringJoiner j = new StringJoiner(", ");
        for (Map.Entry<String, JsonElement> e : caps.entrySet()) {
            if (e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isBoolean() && e.getValue().getAsBoolean()) {
                String name = e.getKey().replaceFirst("^supports?", "");
                j.add(Character.toLowerCase(name.charAt(0)) + name.substring(1));
            }
        }
        return "capabilities: " + j;
    }

    /** The stack as a list, the restart target marked (the adapter puts ⟳ in its name). */
    private static String frames(JsonObject body) {
        StringBuilder b = new StringBuilder("stack:");
        JsonArray frames = body.getAsJsonArray("stackFrames");
        int width = 0;
        for (JsonElement f : frames) width = Math.max(width, label(f.getAsJsonObject()).length());
        for (JsonElement f : frames) {
            JsonObject o = f.getAsJsonObject();
            String where = o.has("source") && o.get("source").isJsonObject() && o.getAsJsonObject("source").has("name")
                    ? o.getAsJsonObject("source").get("name").getAsString() + ":" + o.get("line").getAsInt() : "";
            b.append("\n  ").append(String.format("%-" + width + "s", label(o))).append("  ").append(where);
        }
        return b.append("\n(⟳ marks the restart target: the wrapped method the exception escaped)").toString();
    }

    private static String label(JsonObject frame) {
        String name = frame.get("name").getAsString();
        return name.startsWith("⟳") ? name : "  " + name;
    }

    private static JsonObject restartTarget(JsonArray frames) {
        for (JsonElement f : frames) {
            if (f.getAsJsonObject().get("name").getAsString().startsWith("⟳")) return f.getAsJsonObject();
        }
        throw new DemoFailure("no frame on the stack is marked ⟳ as the restart target");
    }

    private static String names(JsonArray scopes) {
        StringJoiner j = new StringJoiner(", ");
        for (JsonElement s : scopes) j.add(s.getAsJsonObject().get("name").getAsString());
        return j.toString();
    }

    private static String lineWith(String text, String marker) {
        for (String l : text.split("\n")) if (l.contains(marker)) return l;
        throw new DemoFailure("the sample has no line with '" + marker + "'");
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static JsonArray strings(String... values) {
        JsonArray a = new JsonArray();
        for (String v : values) a.add(v);
        return a;
    }

    /** A JSON object from key, value pairs, in that order. */
    private static JsonObject json(Object... keysAndValues) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String k = (String) keysAndValues[i];
            Object v = keysAndValues[i + 1];
            if (v instanceof Number n) o.addProperty(k, n);
            else if (v instanceof Boolean b) o.addProperty(k, b);
            else o.addProperty(k, String.valueOf(v));
        }
        return o;
    }
}
