package dev.hotrestart.tests;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What watching for escapes costs a program that throws and catches many exceptions under a
 * wrapped method: exceptions per second without a debugger (the baseline, same run), with the
 * agent's handler detector, and with the throw-site detector; and with a Caught Exceptions filter
 * whose condition leaves these exceptions out, asked of the JVM by type or decided in the adapter.
 * Prints; does not judge.
 * Run: {@code mvn -pl protocol-tests test -Dtest=ThroughputBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ThroughputBench {
    static final int N = Integer.getInteger("bench.exceptions", 1_000_000);
    static final int N_THROW = Integer.getInteger("bench.exceptionsThrowMode", 20_000);
    static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final Pattern NS = Pattern.compile("caught=(\\d+) ns=(\\d+)");

    @Test
    void exceptionThroughputWatchedAgainstUnwatched() throws Exception {
        Fixture f = Fixture.of("hot");
        double plain = median(() -> plainRun(f, N));
        // the baseline for the cost of watching: the same debug session with nothing wrapped.
        // Runs alternate with the watched ones, so a slower stretch of the machine hits both.
        List<Double> unwatchedRuns = new ArrayList<>(), handlerRuns = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            unwatchedRuns.add(watchedRun(f, "handler", N, List.of("shop.**")));
            handlerRuns.add(watchedRun(f, "handler", N, List.of()));
        }
        double unwatched = Bench.median(unwatchedRuns);
        double handler = Bench.median(handlerRuns);
        double thrown = median(() -> watchedRun(f, "throw", N_THROW, List.of()));
        // a Caught Exceptions filter whose condition names another type: the JVM reports none of these
        double byType = median(() -> watchedRun(f, "handler", N, List.of(), "IllegalStateException"));
        // one that leaves only these out: every exception is reported, and the adapter decides
        double decided = median(() -> watchedRun(f, "handler", N_THROW, List.of(), "!IllegalArgumentException"));
        Bench bench = new Bench("throughput");
        bench.figure("noDebuggerPerSecond", String.format("exceptions/s, %,d thrown and caught, no debugger", N), plain, "/s")
                .target(null, null);
        bench.figure("handlerPerSecond", "exceptions/s, stopAt handler (the agent)", handler, "/s")
                .baseline("debug session, nothing wrapped", unwatched).target("ratio ≥ 0.8", handler / unwatched >= 0.8);
        bench.figure("throwPerSecond", String.format("exceptions/s, stopAt throw (%,d thrown)", N_THROW), thrown, "/s")
                .baseline("debug session, nothing wrapped", unwatched).target("for the record", null);
        bench.figure("caughtFilterByTypePerSecond", "exceptions/s, caught filter for another type (requests by type)", byType, "/s")
                .baseline("plain java, no debugger", plain).target("≥ 0.8× stopAt handler without a filter", byType / handler >= 0.8);
        bench.figure("caughtFilterDecidedPerSecond", String.format("exceptions/s, caught filter decided in the adapter (%,d thrown)", N_THROW),
                decided, "/s").baseline("plain java, no debugger", plain).target("for the record", null);
        bench.write();
    }

    interface Run {
        double perSecond() throws Exception;
    }

    static double median(Run r) throws Exception {
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) v.add(r.perSecond());
        v.sort(Double::compare);
        return v.get(v.size() / 2);
    }

    static double plainRun(Fixture f, int n) throws Exception {
        Process p = new ProcessBuilder(Fixture.debuggeeJavaHome().resolve("bin/java").toString(), "-cp", f.classPath(),
                "shop.Throughput", Integer.toString(n)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return rate(out, n);
    }

    static double watchedRun(Fixture f, String stopAt, int n, List<String> noWrap) throws Exception {
        return watchedRun(f, stopAt, n, noWrap, null);
    }

    /** {@code caughtCondition}: the condition of a Caught Exceptions filter set before the program runs; null for none. */
    static double watchedRun(Fixture f, String stopAt, int n, List<String> noWrap, String caughtCondition) throws Exception {
        try (Session s = Session.start(f, "shop.Throughput").with("args", List.of(Integer.toString(n))).with("stopAt", stopAt)
                .with("noWrap", noWrap)) {
            if (caughtCondition == null) s.launch();
            else BreakpointTest.launchWithFilterOptions(s, Map.of("filterId", "caught", "condition", caughtCondition));
            s.assertExit(0);
            return rate(s.dap.stdout(), n);
        }
    }

    static double rate(String out, int n) {
        Matcher m = NS.matcher(out);
        assertTrue(m.find(), "no timing in: " + out);
        assertTrue(Long.parseLong(m.group(1)) == n, out);
        return n / (Long.parseLong(m.group(2)) / 1e9);
    }
}
