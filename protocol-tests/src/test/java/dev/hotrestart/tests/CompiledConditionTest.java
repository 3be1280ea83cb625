package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conditions compiled into the program: the method tests the condition itself, and only hits where
 * it holds reach the debugger. Each test stops exactly where the debugger's evaluation would, on a
 * loop too long for that evaluation (about a thousand hits a second) to finish within the test's
 * time: a run that ends in time proves the condition ran in the program.
 */
class CompiledConditionTest {
    static final String REPEAT = "evalfix/Repeat.java";

    private static Map<String, Object> bp(Fixture f, String condition) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", f.line(REPEAT, "BP_SUM"));
        if (condition != null) m.put("condition", condition);
        return m;
    }

    private static JsonArray setBreakpoint(Session s, Fixture f, String condition) throws Exception {
        return s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(REPEAT).toString()),
                "breakpoints", List.of(bp(f, condition)))).getAsJsonArray("breakpoints");
    }

    private static String value(Session s, int tid, String expr) throws Exception {
        int frame = s.topFrame(tid).get("id").getAsInt();
        return s.dap.ok("evaluate", Map.of("expression", expr, "frameId", frame, "context", "watch")).get("result").getAsString();
    }

    private static JsonObject launch(Session s, Fixture f, String condition) throws Exception {
        s.dap.ok("launch", s.launchArgs);
        s.dap.event("initialized");
        JsonObject bp = setBreakpoint(s, f, condition).get(0).getAsJsonObject();
        s.dap.ok("configurationDone", null);
        return bp;
    }

    @Test
    void aConditionCompiledIntoTheMethodStopsWhereItHoldsAndTheLoopRunsAtFullSpeed() throws Exception {
        fullSpeed(false);
    }

    /** Without the agent (stopAt throw) the breakpoint sits on the marker in the method itself; the stops are the same. */
    @Test
    void withoutTheAgentTheConditionIsCompiledInAllTheSame() throws Exception {
        fullSpeed(true);
    }

    private static void fullSpeed(boolean noAgent) throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Repeat").with("args", List.of("3", "2000000"))) {
            if (noAgent) s.with("stopAt", "throw");
            JsonObject set = launch(s, f, "round == 1 && i == 1234567 || i * (long) round == 3999998");
            assertTrue(set.get("message").getAsString().startsWith("Deferred"), set.toString()); // verified when the class loads
            long t0 = System.nanoTime();
            JsonObject stop = s.stopped("breakpoint");
            int tid = s.threadOf(stop);
            assertEquals(f.line(REPEAT, "BP_SUM"), s.topFrame(tid).get("line").getAsInt());
            assertTrue(s.topFrame(tid).get("name").getAsString().contains("sum"), s.topFrame(tid).toString());
            assertEquals("1234567", value(s, tid, "i"));
            assertEquals("1", value(s, tid, "round"));
            // the markers' own locals are not among the method's
            assertFalse(s.locals(s.topFrame(tid).get("id").getAsInt()).keySet().stream().anyMatch(n -> n.contains("hotrestart")));
            // a step goes on from the line as from any breakpoint: the line runs, the loop's header is next
            s.dap.ok("next", Map.of("threadId", tid));
            s.stopped("step");
            assertEquals(f.line(REPEAT, "for (int i = 0; i < n; i++) {"), s.topFrame(tid).get("line").getAsInt());
            assertEquals("1234567", value(s, tid, "i"));
            s.continueThread(tid);
            stop = s.stopped("breakpoint");
            assertEquals("1999999", value(s, tid, "i"));
            assertEquals("2", value(s, tid, "round"));
            s.continueThread(tid);
            assertEquals(0, s.exitCode());
            double secs = (System.nanoTime() - t0) / 1e9;
            assertTrue(secs < 60, "6,000,000 hits took " + secs + " s: the condition was not tested in the program");
            s.assertStdout("rounds=3 total=5999997000000");
        }
    }

    @Test
    void aConditionThatThrowsInTheProgramStopsAsTheDebuggersEvaluationWould() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Repeat").with("args", List.of("2", "1000000"))) {
            launch(s, f, "i > 2 && \"abc\".charAt(i) == 'x'");
            JsonObject stop = s.stopped("breakpoint");
            assertEquals("Condition threw StringIndexOutOfBoundsE…", stop.get("description").getAsString());
            assertTrue(ExpressionTest.saidInConsole(s, "Breakpoint condition 'i > 2 && \"abc\".charAt(i) == 'x'' threw: "
                    + "java.lang.StringIndexOutOfBoundsException"), s.dap.allEvents().toString());
            int tid = s.threadOf(stop);
            assertEquals("3", value(s, tid, "i"));
            assertEquals(f.line(REPEAT, "BP_SUM"), s.topFrame(tid).get("line").getAsInt());
        }
    }

    @Test
    void aConditionThatCannotGoInIsEvaluatedByTheDebuggerAndTheBreakpointSaysSo() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Repeat").with("args", List.of("2", "3000"))) {
            // a comment in it: the debugger reads it; it is not compiled in
            launch(s, f, "round == 1 /* second round */ && i == 2500");
            JsonObject changed = s.dap.event("breakpoint", b -> b.getAsJsonObject("breakpoint").has("message"));
            String message = changed.getAsJsonObject("breakpoint").get("message").getAsString();
            assertTrue(message.contains("evaluated by the debugger") && message.contains("comment"), message);
            assertTrue(changed.getAsJsonObject("breakpoint").get("verified").getAsBoolean());
            JsonObject stop = s.stopped("breakpoint");
            int tid = s.threadOf(stop);
            assertEquals("2500", value(s, tid, "i"));
            assertEquals("1", value(s, tid, "round"));
        }
    }

    @Test
    void aConditionSetWhileTheMethodRunsIsEvaluatedByTheDebuggerThenCompiledWhenSetAgainOutsideIt() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Repeat").with("args", List.of("4", "1000000"))) {
            launch(s, f, "i == 10");
            JsonObject stop = s.stopped("breakpoint");
            int tid = s.threadOf(stop);
            assertEquals("0", value(s, tid, "round"));
            // inside sum: the JVM would keep running this call's old code, so the debugger evaluates it
            JsonObject set = setBreakpoint(s, f, "i == 20 && round == 0").get(0).getAsJsonObject();
            assertTrue(set.get("message").getAsString().contains("is inside evalfix.Repeat.sum"), set.toString());
            s.continueThread(tid);
            stop = s.stopped("breakpoint");
            assertEquals("20", value(s, tid, "i"));
            // set from main, between two calls of sum: compiled in
            s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(REPEAT).toString()), "breakpoints", List.of()));
            int mainLine = f.line(REPEAT, "total += sum(r, n);");
            s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(REPEAT).toString()),
                    "breakpoints", List.of(Map.of("line", mainLine))));
            s.continueThread(tid);
            s.stopped("breakpoint");
            assertEquals("1", value(s, tid, "r"));
            set = s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(REPEAT).toString()),
                    "breakpoints", List.of(bp(f, "i == 999998 && round >= 2")))).getAsJsonArray("breakpoints").get(0).getAsJsonObject();
            assertNull(set.get("message"), set.toString());
            long t0 = System.nanoTime();
            s.continueThread(tid);
            stop = s.stopped("breakpoint");
            assertEquals("999998", value(s, tid, "i"));
            assertEquals("2", value(s, tid, "round"));
            // taken out again: a plain breakpoint stops at the next hit
            setBreakpoint(s, f, null);
            s.continueThread(tid);
            stop = s.stopped("breakpoint");
            assertEquals("999999", value(s, tid, "i"));
            assertEquals("2", value(s, tid, "round"));
            s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(REPEAT).toString()), "breakpoints", List.of()));
            s.continueThread(tid);
            assertEquals(0, s.exitCode());
            double secs = (System.nanoTime() - t0) / 1e9;
            assertTrue(secs < 60, "the rounds took " + secs + " s: the condition was not tested in the program");
        }
    }

    @Test
    void aReloadOfTheMethodKeepsItsCompiledCondition() throws Exception {
        Fixture f = Fixture.of("eval");
        try (Session s = Session.start(f, "evalfix.Repeat").with("args", List.of("3", "1000000"))) {
            launch(s, f, "i == 100");
            JsonObject stop = s.stopped("breakpoint");
            int tid = s.threadOf(stop);
            assertEquals("0", value(s, tid, "round"));
            f.edit(REPEAT, "total += i * (long) round; // BP_SUM", "total += i * (long) round + 1; // BP_SUM");
            s.dap.ok("reloadClass", Map.of("source", Map.of("path", f.file(REPEAT).toString())));
            long t0 = System.nanoTime();
            s.continueThread(tid);
            stop = s.stopped("breakpoint");
            assertEquals("1", value(s, tid, "round"));
            assertEquals("100", value(s, tid, "i"));
            // the new code runs: total counts one more per iteration
            assertEquals("5050", value(s, tid, "total"));
            s.continueThread(tid);
            stop = s.stopped("breakpoint");
            assertEquals("2", value(s, tid, "round"));
            s.continueThread(tid);
            assertEquals(0, s.exitCode());
            double secs = (System.nanoTime() - t0) / 1e9;
            assertTrue(secs < 60, "the rounds after the reload took " + secs + " s: the condition was not compiled in again");
        }
    }

    @Test
    void aConditionInAMethodTheAgentWrapsIsCompiledIntoTheWrappedCode() throws Exception {
        Fixture f = Fixture.shared("hot");
        String file = "shop/Throughput.java";
        try (Session s = Session.start(f, "shop.Throughput").with("args", List.of("2000000"))) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(file).toString()),
                    "breakpoints", List.of(Map.of("line", f.line(file, "check(i);"), "condition", "i == 5000"))));
            s.dap.ok("configurationDone", null);
            long t0 = System.nanoTime();
            for (int call = 0; call < 2; call++) { // the warm-up call, then the timed one
                JsonObject stop = s.stopped("breakpoint");
                int tid = s.threadOf(stop);
                assertEquals("5000", value(s, tid, "i"));
                assertEquals(f.line(file, "check(i);"), s.topFrame(tid).get("line").getAsInt());
                s.continueThread(tid);
            }
            assertEquals(0, s.exitCode());
            double secs = (System.nanoTime() - t0) / 1e9;
            assertTrue(secs < 60, "2,200,000 hits took " + secs + " s: the condition was not tested in the program");
            s.assertStdout("caught=2000000");
        }
    }

    @Test
    void aBreakpointAddedBesideACompiledConditionLeavesItCompiled() throws Exception {
        Fixture f = Fixture.shared("eval");
        try (Session s = Session.start(f, "evalfix.Repeat").with("args", List.of("3", "1000000"))) {
            launch(s, f, "i == 100");
            JsonObject stop = s.stopped("breakpoint");
            int tid = s.threadOf(stop);
            // stopped inside sum, where the code cannot change: the condition keeps its code, nothing is recompiled
            int mainLine = f.line(REPEAT, "total += sum(r, n);");
            JsonArray set = s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(REPEAT).toString()),
                    "breakpoints", List.of(bp(f, "i == 100"), Map.of("line", mainLine)))).getAsJsonArray("breakpoints");
            assertNull(set.get(0).getAsJsonObject().get("message"), set.toString());
            long t0 = System.nanoTime();
            s.continueThread(tid);
            s.stopped("breakpoint");
            assertEquals(mainLine, s.topFrame(tid).get("line").getAsInt());
            s.continueThread(tid);
            s.stopped("breakpoint");
            assertEquals("100", value(s, tid, "i"));
            assertEquals("1", value(s, tid, "round"));
            s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(REPEAT).toString()), "breakpoints", List.of()));
            s.continueThread(tid);
            assertEquals(0, s.exitCode());
            double secs = (System.nanoTime() - t0) / 1e9;
            assertTrue(secs < 60, "the rounds took " + secs + " s: the condition was not tested in the program");
        }
    }
}
