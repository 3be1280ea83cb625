package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Java expressions evaluated in a stopped frame, against what Java computed for the same text. */
class ExpressionTest {
    private static final String FILE = "evalfix/Calc.java";
    private static final Map<String, String> UNBOXED = Map.of("Integer", "int", "Long", "long", "Double", "double",
            "Float", "float", "Character", "char", "Short", "short", "Byte", "byte", "Boolean", "boolean");

    /** Launches the fixture and stops at the end of the table; returns the top frame id. */
    private static int stopAtTable(Session s, Fixture f) throws Exception {
        s.launch(Map.of(FILE, new int[]{f.line(FILE, "BP_TABLE")}));
        JsonObject stop = s.stopped("breakpoint");
        return s.topFrame(s.threadOf(stop)).get("id").getAsInt();
    }

    private static JsonObject eval(Session s, int frame, String expr, String context) throws Exception {
        return s.dap.ok("evaluate", Map.of("expression", expr, "frameId", frame, "context", context));
    }

    private static String evalError(Session s, int frame, String expr, String context) throws Exception {
        return s.dap.error("evaluate", Map.of("expression", expr, "frameId", frame, "context", context));
    }

    private static String value(Session s, int frame, String expr) throws Exception {
        return eval(s, frame, expr, "watch").get("result").getAsString();
    }

    @Test
    void everyExpressionOfTheTableComputesWhatJavaComputed() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc")) {
            int frame = stopAtTable(s, f);
            s.dap.awaitStdout("TABLE-END");
            List<String> failures = new ArrayList<>();
            int rows = 0;
            Base64.Decoder dec = Base64.getDecoder();
            for (String line : s.dap.stdout().split("\n")) {
                if (!line.startsWith("EXPR ")) continue;
                String[] p = line.trim().split(" ");
                String expr = new String(dec.decode(p[1]), StandardCharsets.UTF_8);
                String expected = new String(dec.decode(p[2]), StandardCharsets.UTF_8);
                String type = p[3];
                rows++;
                JsonObject r = s.dap.request("evaluate", Map.of("expression", expr, "frameId", frame, "context", "watch"));
                if (!r.get("success").getAsBoolean()) {
                    failures.add(expr + " → error: " + r.get("message"));
                    continue;
                }
                JsonObject body = r.getAsJsonObject("body");
                String got = body.get("result").getAsString();
                String gotType = body.has("type") && !body.get("type").isJsonNull() ? body.get("type").getAsString() : "null";
                gotType = UNBOXED.getOrDefault(gotType, gotType);
                if (!got.equals(expected) || (!type.equals("*") && !type.equals(gotType))) {
                    failures.add(expr + " → " + got + " (" + gotType + "), Java: " + expected + " (" + type + ")");
                }
            }
            assertTrue(rows >= 80, "the fixture printed " + rows + " expressions");
            assertTrue(failures.isEmpty(), failures.size() + " of " + rows + " differ:\n" + String.join("\n", failures));
        }
    }

    @Test
    void contextsHoverReplWatchClipboardAndExpandableResults() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc")) {
            int frame = stopAtTable(s, f);
            // hover reads names, fields and elements, and runs nothing
            assertEquals("7", eval(s, frame, "a", "hover").get("result").getAsString());
            assertEquals("4", eval(s, frame, "nums[2]", "hover").get("result").getAsString());
            assertEquals("1", eval(s, frame, "origin.x", "hover").get("result").getAsString());
            assertTrue(evalError(s, frame, "s.length()", "hover").contains("Hover does not"));
            assertTrue(evalError(s, frame, "new Point(1, 1)", "hover").contains("Hover does not"));
            // watch and clipboard call methods but do not assign
            assertEquals("3", eval(s, frame, "s.length()", "clipboard").get("result").getAsString());
            assertTrue(evalError(s, frame, "a = 5", "watch").contains("repl"));
            assertEquals("7", value(s, frame, "a"));
            // the console assigns locals, fields and elements
            assertEquals("42", eval(s, frame, "a = 42", "repl").get("result").getAsString());
            assertEquals("42", value(s, frame, "a"));
            assertEquals("43", eval(s, frame, "a += 1", "repl").get("result").getAsString());
            assertEquals("43", eval(s, frame, "a++", "repl").get("result").getAsString());
            assertEquals("44", value(s, frame, "a"));
            assertEquals("\"renamed\"", eval(s, frame, "name = \"renamed\"", "repl").get("result").getAsString());
            assertEquals("\"renamed\"", value(s, frame, "this.name"));
            eval(s, frame, "nums[0] = 9", "repl");
            assertEquals("9", value(s, frame, "nums[0]"));
            eval(s, frame, "counter = 100", "repl");
            assertEquals("100", value(s, frame, "Calc.counter"));
            assertTrue(evalError(s, frame, "a = \"text\"", "repl").contains("String"));
            // results expand like variables
            JsonObject origin = eval(s, frame, "origin", "watch");
            assertTrue(origin.get("variablesReference").getAsInt() > 0, origin.toString());
            Map<String, String> fields = s.values(origin.get("variablesReference").getAsInt());
            assertEquals("1", fields.get("x"));
            JsonObject words = eval(s, frame, "words", "repl");
            assertEquals(3, words.get("indexedVariables").getAsInt(), words.toString());
            // the program sees the assignments
            s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(FILE).toString()), "breakpoints", new Object[0]));
            s.continueThread(s.threadOf(s.dap.allEvents().stream().filter(e -> e.get("event").getAsString().equals("stopped"))
                    .findFirst().orElseThrow().getAsJsonObject("body")));
            s.assertStdout("run done 044");
        }
    }

    @Test
    void errorsArePlainAndLeaveTheSessionUsable() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc").with("evaluateTimeout", 1500)) {
            int frame = stopAtTable(s, f);
            assertTrue(evalError(s, frame, "nope + 1", "watch").contains("'nope' is not a local variable"));
            assertTrue(evalError(s, frame, "s - 1", "watch").contains("undefined for the argument types"));
            assertTrue(evalError(s, frame, "t + 1", "watch").contains("undefined"));
            String notFound = evalError(s, frame, "pick(1, 2)", "watch");
            assertTrue(notFound.contains("pick(int)") && notFound.contains("pick(long)") && notFound.contains("pick(String)"), notFound);
            assertTrue(evalError(s, frame, "nosuch()", "watch").contains("no method named 'nosuch'"));
            String npe = evalError(s, frame, "nothing.length()", "watch");
            assertTrue(npe.contains("NullPointerException") && npe.contains("nothing"), npe);
            String thrown = evalError(s, frame, "boom()", "watch");
            assertTrue(thrown.contains("IllegalStateException: boom"), thrown);
            assertTrue(evalError(s, frame, "nums[9]", "watch").contains("ArrayIndexOutOfBoundsException"));
            assertTrue(evalError(s, frame, "1 / 0", "watch").contains("/ by zero"));
            assertTrue(evalError(s, frame, "(String) n", "watch").contains("ClassCastException"));
            assertTrue(evalError(s, frame, "words.forEach(w -> {})", "watch").contains("Lambdas"));
            assertTrue(evalError(s, frame, "a +", "watch").contains("not a Java expression"));
            String unknownType = evalError(s, frame, "new NoSuchType()", "watch");
            assertTrue(unknownType.contains("Unknown type 'NoSuchType'"), unknownType);
            String slow = evalError(s, frame, "sleepy()", "watch");
            assertTrue(slow.contains("did not return within 1500 ms") && slow.contains("interrupted"), slow);
            String spin = evalError(s, frame, "spin()", "watch");
            assertTrue(spin.contains("did not return within 1500 ms") && spin.contains("stopped"), spin);
            // still stopped in the same frame, and still evaluating
            assertEquals("7", value(s, frame, "a"));
            assertEquals("3", value(s, frame, "s.length()"));
            s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(FILE).toString()), "breakpoints", new Object[0]));
            JsonObject threads = s.dap.ok("threads", null);
            int tid = -1;
            for (var t : threads.getAsJsonArray("threads")) {
                if (t.getAsJsonObject().get("name").getAsString().equals("main")) tid = t.getAsJsonObject().get("id").getAsInt();
            }
            s.continueThread(tid);
            s.assertStdout("total=4999950000");
        }
    }

    /** With the adapter's --hover-calls, a hover may call methods; what it cannot do otherwise is still refused. */
    @Test
    void hoverCallsMethodsWhenTheAdapterIsStartedSo() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(DapClient.stdio("--hover-calls"), f, "evalfix.Calc", Map.of())) {
            int frame = stopAtTable(s, f);
            assertEquals("3", eval(s, frame, "s.length()", "hover").get("result").getAsString());
            assertTrue(evalError(s, frame, "a = 5", "hover").contains("repl"));
            assertEquals("7", value(s, frame, "a"));
        }
    }

    /** The first call of a stop that overruns is ended too: the thread is not lost to the session. */
    @Test
    void aRunawayCallIsEndedEvenAsTheFirstCallOfAStop() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc").with("evaluateTimeout", 1000)) {
            int frame = stopAtTable(s, f);
            String slow = evalError(s, frame, "sleepy()", "watch");
            assertTrue(slow.contains("did not return within 1000 ms") && slow.contains("interrupted"), slow);
            assertEquals("7", value(s, frame, "a"));
            assertEquals("3", value(s, frame, "s.length()"));
        }
    }

    /** Names the frame's source file imports statically, as Java resolves them there. */
    @Test
    void staticImportsOfTheSourceFileResolve() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc")) {
            int frame = stopAtTable(s, f);
            assertEquals("9", value(s, frame, "max(2, 9)"), "import static java.lang.Math.max");
            assertEquals("2147483646", value(s, frame, "MAX_VALUE - 1"), "import static java.lang.Integer.*");
            assertEquals("255", value(s, frame, "parseInt(\"ff\", 16)"));
            // a condition that uses them passes the check when it is set
            JsonObject bp = s.setBreakpoints(FILE, f.line(FILE, "BP_TABLE")).get(0).getAsJsonObject();
            var set = s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(FILE).toString()),
                    "breakpoints", List.of(Map.of("line", f.line(FILE, "BP_TABLE"), "condition", "max(counter, 0) < MAX_VALUE"))))
                    .getAsJsonArray("breakpoints").get(0).getAsJsonObject();
            assertTrue(set.get("verified").getAsBoolean(), set + " after " + bp);
        }
    }

    @Test
    void exceptionOfTheStopIsNamedDollarException() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc").with("wrap", List.of("evalfix.Calc#explode"))) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            int frame = s.topFrame(s.threadOf(stop)).get("id").getAsInt();
            assertEquals("\"exploded calc\"", value(s, frame, "$exception.getMessage()"));
            assertEquals("true", value(s, frame, "$exception instanceof IllegalArgumentException"));
        }
    }

    @Test
    void setVariableConvertsOrNamesBothTypes() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc")) {
            int frame = stopAtTable(s, f);
            JsonArray scopes = s.dap.ok("scopes", Map.of("frameId", frame)).getAsJsonArray("scopes");
            int locals = scopes.get(0).getAsJsonObject().get("variablesReference").getAsInt();
            JsonObject r = s.dap.ok("setVariable", Map.of("variablesReference", locals, "name", "a", "value", "a * 3"));
            assertEquals("21", r.get("value").getAsString());
            assertEquals("21", value(s, frame, "a"));
            s.dap.ok("setVariable", Map.of("variablesReference", locals, "name", "d", "value", "1"));
            assertEquals("1.0", value(s, frame, "d"));
            s.dap.ok("setVariable", Map.of("variablesReference", locals, "name", "c", "value", "'\\t'"));
            assertEquals("'\\t'", value(s, frame, "c"));
            s.dap.ok("setVariable", Map.of("variablesReference", locals, "name", "boxed", "value", "5"));
            assertEquals("5", value(s, frame, "boxed"));
            String mismatch = s.dap.error("setVariable", Map.of("variablesReference", locals, "name", "a", "value", "\"text\""));
            assertTrue(mismatch.contains("java.lang.String") && mismatch.contains("int"), mismatch);
            String narrowing = s.dap.error("setVariable", Map.of("variablesReference", locals, "name", "a", "value", "2.5"));
            assertTrue(narrowing.contains("double") && narrowing.contains("int"), narrowing);
            // fields of this, and array elements
            int self = s.variable(locals, "this").get("variablesReference").getAsInt();
            s.dap.ok("setVariable", Map.of("variablesReference", self, "name", "name", "value", "\"x\" + 1"));
            assertEquals("\"x1\"", value(s, frame, "name"));
            s.dap.ok("setVariable", Map.of("variablesReference", self, "name", "origin", "value", "new Point(7, 8)"));
            assertEquals("15", value(s, frame, "origin.sum()"));
            int nums = s.variable(self, "nums").get("variablesReference").getAsInt();
            s.dap.ok("setVariable", Map.of("variablesReference", nums, "name", "[1]", "value", "-1"));
            assertEquals("-1", value(s, frame, "nums[1]"));
        }
    }

    @Test
    void capabilitiesAdvertiseWhatWorks() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc")) {
            JsonObject caps = s.initialize();
            for (String c : List.of("supportsEvaluateForHovers", "supportsSetVariable", "supportsConditionalBreakpoints",
                    "supportsHitConditionalBreakpoints", "supportsLogPoints", "supportsSetExpression", "supportsCompletionsRequest")) {
                assertTrue(caps.has(c) && caps.get(c).getAsBoolean(), c + " in " + caps);
            }
        }
    }

    private static JsonArray setBreakpoints(Session s, Fixture f, Map<String, Object>... bps) throws Exception {
        return s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(FILE).toString()), "breakpoints", List.of(bps)))
                .getAsJsonArray("breakpoints");
    }

    /** Launches with these breakpoints in Calc.java, set before configurationDone; returns them as set. */
    @SafeVarargs
    private static JsonArray launchWith(Session s, Fixture f, Map<String, Object>... bps) throws Exception {
        s.dap.ok("launch", s.launchArgs);
        s.dap.event("initialized");
        return setBreakpoints(s, f, bps);
    }

    private static Map<String, Object> bp(Fixture f, String marker, String... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", f.line(FILE, marker));
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void conditionAndLogpointInALoopOf100000() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc")) {
            // two breakpoints on one line: the condition is evaluated at each of the 100,000
            // iterations; the logpoint's '% 10000' is counted by the JVM and reported 10 times
            JsonArray set = launchWith(s, f, bp(f, "BP_LOOP", "condition", "i == 7777 && total > 0"),
                    bp(f, "BP_LOOP", "logMessage", "i={i} total={total} sq={i * i % 1000} s={\"x\" + i}", "hitCondition", "% 10000"));
            assertTrue(set.get(0).getAsJsonObject().get("verified").getAsBoolean() || set.get(0).getAsJsonObject().has("message"));
            long t0 = System.nanoTime();
            s.dap.ok("configurationDone", null);
            JsonObject stop = s.stopped("breakpoint");
            long t1 = System.nanoTime();
            int tid = s.threadOf(stop);
            int frame = s.topFrame(tid).get("id").getAsInt();
            assertEquals("7777", value(s, frame, "i"));
            s.continueThread(tid);
            assertTrue(s.dap.sawEvent("output", b -> b.get("output").getAsString().contains("total=4999950000"), 300_000),
                    "the loop did not finish within 5 minutes");
            long t2 = System.nanoTime();
            List<String> logs = new ArrayList<>();
            for (JsonObject e : s.dap.allEvents()) {
                if (!e.get("event").getAsString().equals("output")) continue;
                JsonObject b = e.getAsJsonObject("body");
                if (b.get("output").getAsString().startsWith("i=")) {
                    logs.add(b.get("output").getAsString().trim());
                    assertEquals("console", b.get("category").getAsString());
                    assertEquals(f.line(FILE, "BP_LOOP"), b.get("line").getAsInt());
                    assertTrue(b.getAsJsonObject("source").get("path").getAsString().endsWith("Calc.java"));
                }
            }
            assertEquals(10, logs.size(), logs.toString());
            assertEquals("i=9999 total=49985001 sq=1 s=x9999", logs.get(0));
            assertEquals("i=99999 total=4999850001 sq=409 s=x99999", logs.get(9));
            double secs = (t2 - t0) / 1e9;
            System.out.printf("conditional breakpoints: 100000 conditions in %.1f s = %.0f hits/s (first stop after %.1f s)%n",
                    secs, 100000 / secs, (t1 - t0) / 1e9);
        }
    }

    @Test
    void hitCountsAndBrokenConditions() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc")) {
            JsonArray set = launchWith(s, f, bp(f, "BP_LOOP", "hitCondition", "== 3"),
                    bp(f, "BP_LOG", "condition", "i >"));
            JsonObject bad = set.get(1).getAsJsonObject();
            assertFalse(bad.get("verified").getAsBoolean());
            assertTrue(bad.get("message").getAsString().contains("Condition"), bad.toString());
            s.dap.ok("configurationDone", null);
            JsonObject stop = s.stopped("breakpoint");
            int tid = s.threadOf(stop);
            assertEquals("2", value(s, s.topFrame(tid).get("id").getAsInt(), "i"));
            // a condition naming nothing in that method is refused when set: the class is loaded
            set = setBreakpoints(s, f, bp(f, "BP_LOOP", "condition", "nosuch > 1"), bp(f, "BP_LOG", "hitCondition", "bad"));
            JsonObject nosuch = set.get(0).getAsJsonObject();
            assertFalse(nosuch.get("verified").getAsBoolean(), nosuch.toString());
            assertTrue(nosuch.get("message").getAsString().contains("'nosuch' is not a local variable"), nosuch.toString());
            assertFalse(set.get(1).getAsJsonObject().get("verified").getAsBoolean());
            assertTrue(set.get(1).getAsJsonObject().get("message").getAsString().contains("Hit count"));

            // a condition that throws stops with the exception
            setBreakpoints(s, f, bp(f, "BP_LOOP", "condition", "i > 5 && \"abc\".charAt(i) == 'x'"));
            s.continueThread(tid);
            stop = s.stopped("breakpoint");
            // the description is a short badge (40 characters); the whole sentence goes to the debug console
            assertEquals("Condition threw StringIndexOutOfBoundsE…", stop.get("description").getAsString());
            assertTrue(saidInConsole(s, "Breakpoint condition 'i > 5 && \"abc\".charAt(i) == 'x'' threw: ")
                    && saidInConsole(s, "java.lang.StringIndexOutOfBoundsException"), s.dap.allEvents().toString());
            assertEquals("6", value(s, s.topFrame(tid).get("id").getAsInt(), "i"));
            // plain n means >= n
            setBreakpoints(s, f, bp(f, "BP_LOG", "hitCondition", "99990"));
            s.continueThread(tid);
            stop = s.stopped("breakpoint");
            assertEquals("99995", value(s, s.topFrame(tid).get("id").getAsInt(), "i"));
            // a local of the method that is out of scope at the line passes the check; the hit says why and marks the breakpoint
            set = setBreakpoints(s, f, bp(f, "BP_MAIN", "condition", "e != null"));
            assertTrue(set.get(0).getAsJsonObject().get("verified").getAsBoolean(), set.toString());
            s.continueThread(tid);
            JsonObject changed = s.dap.event("breakpoint", b -> !b.getAsJsonObject("breakpoint").get("verified").getAsBoolean());
            assertTrue(changed.getAsJsonObject("breakpoint").get("message").getAsString().contains("'e'"), changed.toString());
            stop = s.stopped("breakpoint");
            assertEquals("Condition cannot be evaluated", stop.get("description").getAsString());
            assertTrue(saidInConsole(s, "Breakpoint condition 'e != null' cannot be evaluated: 'e' is not a local variable"),
                    s.dap.allEvents().toString());
        }
    }

    /** Whether an output event so far (before the last stop too) said this. */
    static boolean saidInConsole(Session s, String text) {
        return s.dap.allEvents().stream().anyMatch(e -> e.get("event").getAsString().equals("output")
                && e.getAsJsonObject("body").get("output").getAsString().contains(text));
    }

    @Test
    void conditionsThatCannotTypeCheckAreRefusedWhenTheirClassLoads() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc")) {
            // Calc is not loaded yet: every breakpoint waits for it
            JsonArray set = launchWith(s, f, bp(f, "BP_LOOP", "condition", "nosuch > 1"),
                    bp(f, "BP_LOG", "condition", "i + \"x\""), bp(f, "BP_TRIPLE", "condition", "x.length() > 0"),
                    bp(f, "BP_PROBE", "condition", "x == 3 && counter > 0"),
                    bp(f, "BP_LOG", "logMessage", "i={i} {nosuch + 1}"));
            for (var b : set) assertFalse(b.getAsJsonObject().get("verified").getAsBoolean(), set.toString());
            int okId = set.get(3).getAsJsonObject().get("id").getAsInt();
            s.dap.ok("configurationDone", null);
            Map<Integer, JsonObject> changed = new HashMap<>();
            for (int i = 0; i < 5; i++) {
                JsonObject e = s.dap.event("breakpoint", b -> !changed.containsKey(b.getAsJsonObject("breakpoint").get("id").getAsInt()));
                JsonObject b = e.getAsJsonObject("breakpoint");
                changed.put(b.get("id").getAsInt(), b);
            }
            for (int i = 0; i < 3; i++) {
                JsonObject b = changed.get(set.get(i).getAsJsonObject().get("id").getAsInt());
                assertFalse(b.get("verified").getAsBoolean(), b.toString());
                assertTrue(b.get("message").getAsString().startsWith("Condition '"), b.toString());
            }
            assertTrue(changed.get(set.get(0).getAsJsonObject().get("id").getAsInt()).get("message").getAsString()
                    .contains("'nosuch' is not a local variable, parameter or field visible here (Calc.loop)"));
            assertTrue(changed.get(set.get(1).getAsJsonObject().get("id").getAsInt()).get("message").getAsString()
                    .contains("must be boolean, but 'i + \"x\"' is java.lang.String"));
            assertTrue(changed.get(set.get(2).getAsJsonObject().get("id").getAsInt()).get("message").getAsString()
                    .contains("'x' is a int; it has no methods"));
            assertTrue(changed.get(okId).get("verified").getAsBoolean(), changed.get(okId).toString());
            // a logpoint's expressions are checked the same way
            JsonObject log = changed.get(set.get(4).getAsJsonObject().get("id").getAsInt());
            assertFalse(log.get("verified").getAsBoolean(), log.toString());
            assertTrue(log.get("message").getAsString().startsWith("Log message: {nosuch + 1}: 'nosuch' is not a local variable"),
                    log.toString());
            // the refused ones never stop the program or log; it runs to its end
            assertTrue(s.dap.sawEvent("output", b -> b.get("output").getAsString().contains("triple=42"), 60_000), s.dap.stdout());
            assertTrue(s.dap.allEvents().stream().noneMatch(e -> e.get("event").getAsString().equals("output")
                    && e.getAsJsonObject("body").get("output").getAsString().startsWith("i=")), "a refused logpoint logged");
        }
    }

    @Test
    void aBreakpointInAMethodAConditionCallsDoesNotStopIt() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc").with("evaluateTimeout", 3000)) {
            JsonArray set = launchWith(s, f, bp(f, "BP_PROBE"), bp(f, "BP_LOOP", "condition", "probe(i) == 5"));
            int loopId = set.get(1).getAsJsonObject().get("id").getAsInt();
            long t0 = System.nanoTime();
            s.dap.ok("configurationDone", null);
            JsonObject stop = s.stopped("breakpoint");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(loopId, stop.getAsJsonArray("hitBreakpointIds").get(0).getAsInt(), stop.toString());
            assertFalse(stop.has("description"), stop.toString());
            int tid = s.threadOf(stop);
            int frame = s.topFrame(tid).get("id").getAsInt();
            assertEquals("4", value(s, frame, "i"));
            assertTrue(ms < 3000, "the condition took " + ms + " ms over 5 calls: did a call wait for its own breakpoint?");
            String told = "breakpoint at Calc.java:" + f.line(FILE, "BP_PROBE") + " did not stop thread \"main\"";
            List<String> console = s.dap.allEvents().stream().filter(e -> e.get("event").getAsString().equals("output"))
                    .map(e -> e.getAsJsonObject("body").get("output").getAsString()).filter(o -> o.contains(told)).toList();
            assertEquals(1, console.size(), "said once, not on each of the 5 calls: " + console);
            // a watch calling it from the stopped frame returns too
            assertEquals("11", value(s, frame, "probe(10)"));
            assertEquals("\"x12\"", eval(s, frame, "\"x\" + probe(11)", "repl").get("result").getAsString());
            setBreakpoints(s, f);
            s.continueThread(tid);
            s.assertStdout("triple=42");
        }
    }

    @Test
    void setExpressionAssignsWhatAnExpressionNames() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc")) {
            int frame = stopAtTable(s, f);
            JsonObject r = s.dap.ok("setExpression", Map.of("expression", "a", "value", "a * 2", "frameId", frame));
            assertEquals("14", r.get("value").getAsString());
            assertEquals("14", value(s, frame, "a"));
            s.dap.ok("setExpression", Map.of("expression", "nums[1]", "value", "'a'", "frameId", frame));
            assertEquals("97", value(s, frame, "nums[1]"));
            s.dap.ok("setExpression", Map.of("expression", "this.name", "value", "\"set\" + a", "frameId", frame));
            assertEquals("\"set14\"", value(s, frame, "name"));
            r = s.dap.ok("setExpression", Map.of("expression", "origin", "value", "new Point(2, 3)", "frameId", frame));
            assertTrue(r.get("variablesReference").getAsInt() > 0, r.toString());
            assertEquals("5", value(s, frame, "origin.sum()"));
            s.dap.ok("setExpression", Map.of("expression", "Calc.counter", "value", "-1", "frameId", frame));
            assertEquals("-1", value(s, frame, "counter"));
            String mismatch = s.dap.error("setExpression", Map.of("expression", "a", "value", "\"text\"", "frameId", frame));
            assertTrue(mismatch.contains("java.lang.String") && mismatch.contains("int"), mismatch);
            String narrowing = s.dap.error("setExpression", Map.of("expression", "b", "value", "1.5", "frameId", frame));
            assertTrue(narrowing.contains("double") && narrowing.contains("long"), narrowing);
            assertTrue(s.dap.error("setExpression", Map.of("expression", "a + 1", "value", "3", "frameId", frame)).contains("cannot be assigned"));
            assertTrue(s.dap.error("setExpression", Map.of("expression", "nosuch", "value", "3", "frameId", frame)).contains("nosuch"));
            // nothing half-done: the failed ones changed nothing
            assertEquals("14", value(s, frame, "a"));
            assertEquals("3", value(s, frame, "b"));
        }
    }

    private static List<String> completions(Session s, int frame, String text) throws Exception {
        JsonObject body = s.dap.ok("completions", Map.of("frameId", frame, "text", text, "column", text.length() + 1));
        List<String> labels = new ArrayList<>();
        for (var t : body.getAsJsonArray("targets")) labels.add(t.getAsJsonObject().get("label").getAsString());
        return labels;
    }

    @Test
    void completionsOfTheFrameAndAfterADot() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc")) {
            int frame = stopAtTable(s, f);
            // names in scope: locals, fields (inherited too), methods
            JsonObject body = s.dap.ok("completions", Map.of("frameId", frame, "text", "1 + wo", "column", 7));
            JsonObject words = body.getAsJsonArray("targets").get(0).getAsJsonObject();
            assertEquals("words", words.get("label").getAsString());
            assertEquals("variable", words.get("type").getAsString());
            assertEquals(5, words.get("start").getAsInt(), words.toString());
            assertEquals(2, words.get("length").getAsInt(), words.toString());
            assertTrue(completions(s, frame, "inh").contains("inherited"));
            assertTrue(completions(s, frame, "pi").containsAll(List.of("pick(int)", "pick(long)", "pick(String)")));
            assertTrue(completions(s, frame, "tw").contains("twice(int)"));
            // after a dot: the members of the value's class, read without running anything
            assertTrue(completions(s, frame, "origin.").containsAll(List.of("x", "y", "sum()")));
            assertTrue(completions(s, frame, "o.len").contains("length()"), "o is an Object holding a String");
            assertTrue(completions(s, frame, "s.toU").containsAll(List.of("toUpperCase()", "toUpperCase(Locale)")));
            assertTrue(completions(s, frame, "nums.").containsAll(List.of("length", "clone()")));
            assertTrue(completions(s, frame, "nothing.").contains("isEmpty()"), "a null String still has String's members");
            // statics of a type; the declared result type of a call, which is not run
            assertTrue(completions(s, frame, "Calc.GRE").contains("GREETING"));
            assertFalse(completions(s, frame, "Calc.").contains("name"), "instance fields need an object");
            assertTrue(completions(s, frame, "hello(name).isE").contains("isEmpty()"));
            // a generic result is typed with the receiver's type arguments, as Java types it
            assertTrue(completions(s, frame, "words.get(0).isE").contains("isEmpty()"));
            assertTrue(completions(s, frame, "words.subList(0, 1).get(0).toU").contains("toUpperCase()"));
            assertTrue(completions(s, frame, "byLength.get(2).get(0).char").contains("charAt(int)"));
            assertTrue(completions(s, frame, "byLength.entrySet().iterator().next().getValue().size").contains("size()"));
            // the condition check types them the same way: javac would refuse this too
            JsonObject generic = setBreakpoints(s, f, bp(f, "BP_TABLE", "condition", "words.get(0) > 1")).get(0).getAsJsonObject();
            assertFalse(generic.get("verified").getAsBoolean(), generic.toString());
            assertTrue(generic.get("message").getAsString().contains("java.lang.String, int"), generic.toString());
            assertTrue(completions(s, frame, "boom().").isEmpty());
            assertTrue(completions(s, frame, "nosuch.").isEmpty());
            // nothing ran: boom() would have thrown, and a is still what it was
            assertEquals("7", value(s, frame, "a"));
        }
    }

    @Test
    void dollarReturnIsWhatTheLastStepOutReturned() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc")) {
            s.launch(Map.of(FILE, new int[]{f.line(FILE, "BP_TRIPLE")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            int frame = s.topFrame(tid).get("id").getAsInt();
            String before = evalError(s, frame, "$return", "watch");
            assertTrue(before.contains("$return is the value the last stepOut returned"), before);
            s.dap.ok("stepOut", Map.of("threadId", tid));
            s.stopped("step");
            frame = s.topFrame(tid).get("id").getAsInt();
            assertEquals("42", value(s, frame, "$return"));
            assertEquals("43", value(s, frame, "$return + 1"));
            Map<String, String> locals = s.locals(frame);
            assertEquals("42", locals.get("$return"), locals.toString());
            // the next step is no stepOut: $return is gone again
            s.dap.ok("next", Map.of("threadId", tid));
            s.stopped("step");
            frame = s.topFrame(tid).get("id").getAsInt();
            assertTrue(evalError(s, frame, "$return", "watch").contains("not a stepOut"));
            assertFalse(s.locals(frame).containsKey("$return"));
        }
    }

    @Test
    void anAnonymousClassSeesCapturedLocalsByTheirNames() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Calc")) {
            s.launch(Map.of(FILE, new int[]{f.line(FILE, "BP_ANON")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            int frame = s.topFrame(tid).get("id").getAsInt();
            assertEquals("\"anon\"", value(s, frame, "label"));
            assertEquals("4", value(s, frame, "label.length()"));
        }
    }
}
