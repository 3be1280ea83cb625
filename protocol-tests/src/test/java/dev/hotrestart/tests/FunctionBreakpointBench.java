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
 * {@code step(i, total)} N times (100,000) and times its loop; the breakpoint's condition reads a
 * parameter and is never true. The baseline is the same condition on a line breakpoint at the
 * method's first line, in the same run; the two alternate run by run, so a slow stretch of the
 * machine hits both. The loop with no breakpoint is printed for scale. Prints; does not judge.
 * Run: {@code mvn -pl protocol-tests test -Dtest=FunctionBreakpointBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class FunctionBreakpointBench {
    static final int N = Integer.getInteger("bench.functionCalls", 100_000);
    static final int RUNS = Integer.getInteger("bench.runs", 3);
    static final String CONDITION = "i < 0";
    /**
     * The line breakpoint's: the same condition, for the debugger to evaluate as it does a function
     * breakpoint's (a comment keeps it out of the program; a line breakpoint's condition is compiled
     * into the method otherwise, see ConditionBench).
     */
    static final String LINE_CONDITION = CONDITION + " /* evaluated by the debugger */";
    private static final Pattern NS = Pattern.compile("n=(\\d+) total=\\d+ ns=(\\d+)");

    @Test
    void functionBreakpointAgainstLineBreakpoint() throws Exception {
        Fixture f = Fixture.of("members");
        List<Double> lineRuns = new ArrayList<>(), functionRuns = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            lineRuns.add(run(f, "line", N));
            functionRuns.add(run(f, "function", N));
        }
        double plain = run(f, null, N);
        double line = Bench.median(lineRuns), function = Bench.median(functionRuns);
        Bench bench = new Bench("functionBreakpoint");
        bench.figure("functionConditionCallsPerSec", String.format("function breakpoint Calls#step, condition '%s' never true: calls/s (%,d calls)",
                        CONDITION, N), function, "/s")
                .baseline("the same condition on a line breakpoint at step's first line, evaluated by the debugger", line)
                .target("costs no more (ratio ≥ 0.95: noise)", function / line >= 0.95);
        bench.figure("noBreakpointCallsPerSec", "the same loop in the same debug session, no breakpoint: calls/s", plain, "/s").target(null, null);
        bench.write();
    }

    /** Calls per second over the loop of n, with a breakpoint of that kind ("line", "function", or none when null). */
    static double run(Fixture f, String kind, int n) throws Exception {
        try (Session s = Session.start(f, "members.Calls").with("args", List.of(Integer.toString(n)))) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            if ("line".equals(kind)) {
                String file = "members/Calls.java";
                Map<String, Object> bp = Map.of("line", f.line(file, "FN_STEP"), "condition", LINE_CONDITION);
                s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(file).toString()), "breakpoints", List.of(bp)));
            } else if ("function".equals(kind)) {
                s.dap.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of(Map.of("name", "members.Calls#step", "condition", CONDITION))));
            }
            s.dap.ok("configurationDone", null);
            // 100,000 conditions take longer than a test's usual wait for the end
            long deadline = System.currentTimeMillis() + 20 * 60_000;
            while (!s.dap.sawEvent("exited", b -> true, 10_000)) assertTrue(System.currentTimeMillis() < deadline, "the loop did not end");
            s.assertExit(0);
            assertEquals(0, BreakpointTest.count(s, "stopped"), "the condition is never true");
            Matcher m = NS.matcher(s.dap.stdout());
            assertTrue(m.find() && Integer.parseInt(m.group(1)) == n, "no timing in: " + s.dap.stdout());
            return n / (Long.parseLong(m.group(2)) / 1e9);
        }
    }
}
