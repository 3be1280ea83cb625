package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of hostile messages, seeded and reproducible ({@code -Dfuzz.seed}, {@code
 * -Dfuzz.messages}): bad JSON in good framing, wrong types, null and huge arguments, ids out of
 * range, unknown commands, requests out of order, a setBreakpoints of 10,000 breakpoints. Every
 * request is answered exactly once, nothing else is answered, the adapter lives, and then a real
 * session in the same adapter stops at a breakpoint, stops on an escape, reloads the fix and ends.
 * The soak ({@code FuzzSoakBench}) runs 100,000 of them.
 */
class FuzzTest {
    static final long SEED = Long.getLong("fuzz.seed", 20261206L);
    static final int MESSAGES = Integer.getInteger("fuzz.messages", 3000);

    /** What a run sent and what came back. */
    record Run(int sent, int requests, int answered, long ms) {}

    @Test
    void hostileMessagesAreEachAnsweredAndTheAdapterStillDebugs() throws Exception {
        Run run = fuzzThenDebug(SEED, MESSAGES);
        assertTrue(run.answered() == run.requests(), run.toString());
    }

    /** Sends {@code n} hostile messages to one adapter, checks the answers, then debugs a real program with it. */
    static Run fuzzThenDebug(long seed, int n) throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Versions")) {
            Random r = new Random(seed);
            List<Long> requests = new ArrayList<>();
            List<Long> others = new ArrayList<>();
            long seq = 1_000_000_000L;
            long t0 = System.nanoTime();
            int huge = 0;
            for (int i = 0; i < n; i++, seq++) {
                Message m = message(r, seq, huge < HUGE);
                if (m.huge()) huge++;
                (m.request() ? requests : others).add(seq);
                s.dap.write(DapClient.framed(m.text()));
                // keep at most a few hundred in flight, as a client would
                if (i % 200 == 199 && !requests.isEmpty()) s.dap.responseTo(requests.get(requests.size() - 1));
            }
            for (long q : requests) s.dap.responseTo(q);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String at = " (seed " + seed + ")";
            for (long q : requests) assertEquals(1, s.dap.responsesTo(q), "responses to request " + q + at);
            for (long q : others) assertTrue(s.dap.responsesTo(q) <= 1, "responses to message " + q + at);
            assertTrue(s.dap.process().isAlive(), "the adapter lives" + at);
            assertTrue(s.dap.ok("threads", null).has("threads"), "the adapter answers" + at);

            // a real session in the same adapter
            s.launch(Map.of(ReloadTest.V, new int[]{f.line(ReloadTest.V, "int y = x + 1;")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            assertEquals("20", s.locals(s.topFrame(tid).get("id").getAsInt()).get("x"));
            s.setBreakpoints(ReloadTest.V);
            s.continueThread(tid);
            tid = s.threadOf(s.stopped("exception"));
            f.edit(ReloadTest.V, ReloadTest.FIX_FROM, ReloadTest.FIX_TO);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("answer=21"), s.dap.stdout());
            long answered = requests.stream().filter(q -> s.dap.responsesTo(q) == 1).count();
            return new Run(n, requests.size(), (int) answered, ms);
        }
    }

    /** One message: its text, whether it is a request (which must be answered), and whether it is a 10,000-breakpoint one. */
    record Message(byte[] text, boolean request, boolean huge) {
        Message(byte[] text, boolean request) {
            this(text, request, false);
        }
    }

    /** How many 10,000-breakpoint requests a run sends at most: the client keeps every response, each about a megabyte. */
    static final int HUGE = 20;

    /** Commands of the protocol and ours, without those that start or end the session. */
    static final List<String> COMMANDS = List.of("setBreakpoints", "setFunctionBreakpoints", "setExceptionBreakpoints",
            "setDataBreakpoints", "dataBreakpointInfo", "threads", "stackTrace", "scopes", "variables", "evaluate", "setVariable",
            "setExpression", "completions", "source", "exceptionInfo", "continue", "next", "stepIn", "stepOut", "pause",
            "restartFrame", "restartFrameWithReload", "restartFrame-with-reload", "reloadClass", "propagateException",
            "breakpointLocations", "loadedSources", "modules", "goto", "gotoTargets", "stepBack", "readMemory", "frobnicate", "");
    static final List<String> KEYS = List.of("threadId", "frameId", "variablesReference", "source", "path", "name", "breakpoints",
            "line", "column", "lines", "expression", "context", "filter", "start", "count", "format", "hex", "scope", "resume",
            "levels", "startFrame", "value", "filters", "filterOptions", "condition", "hitCondition", "logMessage", "dataId",
            "accessType", "className", "sourceReference", "text", "singleThread", "granularity", "targetId", "x");

    static Message message(Random r, long seq, boolean hugeAllowed) {
        int kind = r.nextInt(100);
        if (kind < 3) { // a large but valid request
            JsonArray bps = new JsonArray();
            int count = r.nextInt(3) == 0 && hugeAllowed ? 10_000 : 1 + r.nextInt(300);
            for (int i = 0; i < count; i++) {
                JsonObject b = new JsonObject();
                b.addProperty("line", 1 + r.nextInt(5_000));
                if (r.nextBoolean()) b.addProperty("condition", "i > " + r.nextInt(10));
                bps.add(b);
            }
            JsonObject args = new JsonObject();
            JsonObject source = new JsonObject();
            source.addProperty("path", "/nowhere/Fuzz" + r.nextInt(5) + ".java");
            args.add("source", source);
            args.add("breakpoints", bps);
            return new Message(bytes(request(seq, "setBreakpoints", args)), true, count == 10_000);
        }
        if (kind < 13) { // bad JSON in good framing
            String good = request(seq, pick(r, COMMANDS), value(r, 2)).toString();
            String bad = switch (r.nextInt(6)) {
                case 0 -> good.substring(0, r.nextInt(Math.max(1, good.length())));
                case 1 -> good + "}".repeat(1 + r.nextInt(3));
                case 2 -> good.replace(':', ' ');
                case 3 -> "[".repeat(1 + r.nextInt(5_000));
                case 4 -> randomText(r, r.nextInt(200));
                default -> good.replace("\"", "");
            };
            byte[] b = bytes(bad);
            if (r.nextInt(4) == 0 && b.length > 0) b[r.nextInt(b.length)] = (byte) (0x80 + r.nextInt(0x80)); // not UTF-8
            return new Message(b, false);
        }
        if (kind < 18) { // well formed, but not a request
            JsonObject m = new JsonObject();
            m.addProperty("seq", seq);
            m.add("type", r.nextBoolean() ? new JsonPrimitive(pick(r, List.of("event", "response", "Request", ""))) : value(r, 1));
            m.addProperty(r.nextBoolean() ? "event" : "command", pick(r, COMMANDS));
            return new Message(bytes(m.toString()), false);
        }
        JsonElement args = kind < 30 ? value(r, 3) : arguments(r);
        JsonObject m = request(seq, kind < 22 ? randomText(r, r.nextInt(30)) : pick(r, COMMANDS), args);
        if (kind < 25) m.add("command", value(r, 1)); // a command of any type
        if (kind == 25) m.remove("arguments");
        return new Message(bytes(m.toString()), true);
    }

    static JsonObject request(long seq, String command, JsonElement args) {
        JsonObject m = new JsonObject();
        m.addProperty("seq", seq);
        m.addProperty("type", "request");
        m.addProperty("command", command);
        if (args != null) m.add("arguments", args);
        return m;
    }

    /** An arguments object with the protocol's keys, each with a value of any kind. */
    static JsonObject arguments(Random r) {
        JsonObject o = new JsonObject();
        int keys = r.nextInt(6);
        for (int i = 0; i < keys; i++) o.add(pick(r, KEYS), value(r, 2));
        return o;
    }

    static JsonElement value(Random r, int depth) {
        switch (r.nextInt(depth > 0 ? 12 : 9)) {
            case 0: return JsonNull.INSTANCE;
            case 1: return new JsonPrimitive(r.nextBoolean());
            case 2: return new JsonPrimitive(r.nextInt(2000) - 1000);
            case 3: return new JsonPrimitive(pick(r, List.of(2147483648L, -2147483649L, Long.MAX_VALUE, Long.MIN_VALUE, 0L, -1L)));
            case 4: return new JsonPrimitive(new BigDecimal(pick(r, List.of("1.5", "1e308", "-0.0", "123456789012345678901234567890", "1e-7"))));
            case 5: return new JsonPrimitive(randomText(r, r.nextInt(40)));
            case 6: return new JsonPrimitive("x".repeat(r.nextInt(20) == 0 ? 100_000 : r.nextInt(2_000)));
            case 7: return new JsonPrimitive(pick(r, List.of("a.b.C", "1 +", "x.y()", "new int[-1]", "\u0000", "/etc/passwd", "\ud83d\ude00", "")));
            case 8: return new JsonPrimitive(r.nextInt(10));
            case 9: {
                JsonArray a = new JsonArray();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) a.add(value(r, depth - 1));
                return a;
            }
            default: {
                JsonObject o = arguments(r);
                if (depth > 1 && r.nextBoolean()) o.add(pick(r, KEYS), value(r, depth - 1));
                return o;
            }
        }
    }

    static String randomText(Random r, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) b.append((char) (r.nextInt(8) == 0 ? r.nextInt(0x3000) : 0x20 + r.nextInt(0x5f)));
        return b.toString();
    }

    static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }

    static byte[] bytes(Object text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
