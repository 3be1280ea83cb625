package dev.hotrestart.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The conversation in readable form: {@code →} what the client sends, {@code ←} what the
 * adapter answers or announces, {@code program │} what the debuggee prints. Requests are
 * written by the demo's thread and everything that arrives by the reader thread, in arrival
 * order, so each print holds the lock.
 */
final class Transcript {
    private final PrintStream out;
    /** Output arrives in chunks; lines are printed whole. */
    private final Map<String, StringBuilder> partialLines = new LinkedHashMap<>();
    private final StringBuilder programStdout = new StringBuilder();
    private boolean ended;

    Transcript(PrintStream out) {
        this.out = out;
    }

    synchronized void say(String text) {
        if (ended) return;
        out.println(text);
    }

    synchronized void request(String command, JsonObject args) {
        if (ended) return;
        out.println("→ " + command + (args == null || args.size() == 0 ? "" : " " + render(args)));
    }

    /** An answer; later lines of a multi-line answer are indented under the first. */
    synchronized void reply(String text) {
        if (ended) return;
        out.println("← " + text.replace("\n", "\n  "));
    }

    synchronized void event(JsonObject event) {
        if (ended) return;
        String name = event.get("event").getAsString();
        JsonObject body = event.has("body") && event.get("body").isJsonObject() ? event.getAsJsonObject("body") : new JsonObject();
        switch (name) {
            case "output":
                output(text(body, "category", "console"), text(body, "output", ""));
                break;
            case "initialized":
                out.println("← initialized");
                break;
            case "stopped": {
                String description = text(body, "description", text(body, "text", ""));
                out.println("← stopped: " + text(body, "reason", "?") + (description.isEmpty() ? "" : " — " + description));
                break;
            }
            case "exited":
                flushOutput();
                out.println("← exited: code " + (body.has("exitCode") ? body.get("exitCode").getAsInt() : "?"));
                break;
            case "terminated":
                flushOutput();
                out.println("← terminated");
                break;
            default:
                // thread, breakpoint and module events are not part of this story
        }
    }

    /** Prints what is pending and nothing after: the demo tells its own ending. */
    synchronized void end() {
        flushOutput();
        ended = true;
    }

    /** Everything the program printed on stdout so far. */
    synchronized String programStdout() {
        return programStdout.toString();
    }

    synchronized void flushOutput() {
        if (ended) return;
        partialLines.forEach((category, rest) -> {
            if (rest.length() > 0) printLine(category, rest.toString());
            rest.setLength(0);
        });
    }

    private void output(String category, String text) {
        if (category.equals("stdout")) programStdout.append(text);
        StringBuilder pending = partialLines.computeIfAbsent(category, c -> new StringBuilder());
        pending.append(text);
        int nl;
        while ((nl = pending.indexOf("\n")) >= 0) {
            String line = pending.substring(0, nl);
            pending.delete(0, nl + 1);
            printLine(category, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
    }

    private void printLine(String category, String line) {
        switch (category) {
            case "stdout":
                out.println("  program │ " + line);
                break;
            case "stderr":
                out.println("  program ! " + line);
                break;
            default:
                out.println("← output: " + line);
        }
    }

    private static String text(JsonObject o, String key, String fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    /** JSON the way a person writes it down: {@code {mainClass: shop.Checkout, resume: true}}. */
    static String render(JsonElement e) {
        if (e == null || e.isJsonNull()) return "null";
        if (e.isJsonObject()) {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) j.add(m.getKey() + ": " + render(m.getValue()));
            return j.toString();
        }
        if (e.isJsonArray()) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (JsonElement x : (JsonArray) e) j.add(render(x));
            return j.toString();
        }
        return e.getAsString();
    }
}
