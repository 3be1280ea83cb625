package dev.hotrestart.tests;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a conditional breakpoint costs per hit: a loop of N iterations with a breakpoint whose
 * condition reads two locals and is never true, timed by the program itself; the baseline is
 * the same loop in the same kind of debug session with no breakpoint. Prints; does not judge.
 * Run: {@code mvn -pl protocol-tests test -Dtest=ConditionBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ConditionBench {
    static final int N = Integer.getInteger("bench.conditions", 20_000);
    static final String CONDITION = "total < 0 || i == -1";
    private static final Pattern NS = Pattern.compile("n=(\\d+) total=\\d+ ns=(\\d+)");

    @Test
    void conditionsPerSecond() throws Exception {
        Fixture f = Fixture.of("eval");
        double baseline = ThroughputBench.median(() -> run(f, false));
        double conditional = ThroughputBench.median(() -> run(f, true));
        Bench bench = new Bench("condition");
        bench.figure("conditionHitsPerSec", String.format("conditional breakpoint hits/s ('%s', never true)", CONDITION), conditional, "/s")
                .baseline("iterations/s, same loop, no breakpoint", baseline).target("≥ 2,000 /s", conditional >= 2000);
        bench.write();
    }

    static double run(Fixture f, boolean withBreakpoint) throws Exception {
        try (Session s = Session.start(f, "evalfix.Loop").with("args", List.of(Integer.toString(N)))) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            if (withBreakpoint) {
                String file = "evalfix/Loop.java";
                Map<String, Object> bp = Map.of("line", f.line(file, "BP_COND"), "condition", CONDITION);
                s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(file).toString()), "breakpoints", List.of(bp)));
            }
            s.dap.ok("configurationDone", null);
            s.assertExit(0);
            Matcher m = NS.matcher(s.dap.stdout());
            assertTrue(m.find(), "no timing in: " + s.dap.stdout());
            assertTrue(Integer.parseInt(m.group(1)) == N, s.dap.stdout());
            return N / (Long.parseLong(m.group(2)) / 1e9);
        }
    }
}
