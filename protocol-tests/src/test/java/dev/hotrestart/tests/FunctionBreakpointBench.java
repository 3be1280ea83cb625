package dev.hotrestart.tests;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a conditional function breakpoint costs per call: {@code members.Calls} calls
 * {@code step(i, total)} N times (200,000,000) and times its loop; the breakpoint's condition reads a
 * parameter and is never true. The baseline is the same condition on a line breakpoint at the
 * method's first line, in the same run; the two alternate run by run, so a slow stretch of the
 * machine hits both. Both are compiled into the method (see ConditionBench): a breakpoint that says
 * its condition is evaluated by the debugger ends the run at once (its round trips would take
 * a day here). Fewer calls measure the JIT's warm-up more than the loop. The loop under plain java is
 * printed for scale. Prints; does not judge.
 * Run: {@code mvn -pl protocol-tests test -Dtest=FunctionBreakpointBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class FunctionBreakpointBench {
    static final int N = Integer.getInteger("bench.functionCalls", 200_000_000);
    static final int RUNS = Integer.getInteger("bench.runs", 5);
    static final String CONDITION = "i < 0";
    private static final Pattern NS = Pattern.compile("n=(\\d+) total=\\d+ ns=(\\d+)");

    @Test
    void functionBreakpointAgainstLineBreakpoint() throws Exception {
        Fixture f = Fixture.of("members");
        List<Double> lineRuns = new ArrayList<>(), functionRuns = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            lineRuns.add(run(f, "line", N));
            functionRuns.add(run(f, "function", N));
        }
        Matcher pm = NS.matcher(f.plainJava(List.of(), "members.Calls", Integer.toString(N)));
        assertTrue(pm.find(), "plain java printed no timing");
        double plain = N / (Long.parseLong(pm.group(2)) / 1e9);
        double line = Bench.median(lineRuns), function = Bench.median(functionRuns);
        System.out.println("function breakpoint runs: " + functionRuns + "; line breakpoint runs: " + lineRuns);
        Bench bench = new Bench("functionBreakpoint");
        bench.figure("functionConditionCallsPerSec", String.format("function breakpoint Calls#step, condition '%s' never true: calls/s (%,d calls)",
                        CONDITION, N), function, "/s")
                .baseline("the same condition on a line breakpoint at step's first line, compiled into the method", line)
                .target("costs no more (ratio ≥ 0.95: noise)", function / line >= 0.95);
        bench.figure("noBreakpointCallsPerSec", "the same loop under plain java: calls/s", plain, "/s").target(null, null);
        bench.write();
    }

    /** Calls per second over the loop of n, with a breakpoint of that kind ("line" or "function"). */
    static double run(Fixture f, String kind, int n) throws Exception {
        try (Session s = Session.start(f, "members.Calls").with("args", List.of(Integer.toString(n)))) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            if ("line".equals(kind)) {
                String file = "members/Calls.java";
                Map<String, Object> bp = Map.of("line", f.line(file, "FN_STEP"), "condition", CONDITION);
                s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(file).toString()), "breakpoints", List.of(bp)));
            } else if ("function".equals(kind)) {
                s.dap.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of(Map.of("name", "members.Calls#step", "condition", CONDITION))));
            }
            s.dap.ok("configurationDone", null);
            com.google.gson.JsonObject set = s.dap.event("breakpoint").getAsJsonObject("breakpoint");
            assertTrue(set.get("verified").getAsBoolean() && !set.has("message"), "the condition is not compiled in: " + set);
            long deadline = System.currentTimeMillis() + 5 * 60_000;
            while (!s.dap.sawEvent("exited", b -> true, 10_000)) assertTrue(System.currentTimeMillis() < deadline, "the loop did not end");
            s.assertExit(0);
            assertEquals(0, BreakpointTest.count(s, "stopped"), "the condition is never true");
            Matcher m = NS.matcher(s.dap.stdout());
            assertTrue(m.find() && Integer.parseInt(m.group(1)) == n, "no timing in: " + s.dap.stdout());
            return n / (Long.parseLong(m.group(2)) / 1e9);
        }
    }
}
