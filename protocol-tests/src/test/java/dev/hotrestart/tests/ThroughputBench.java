package dev.hotrestart.tests;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What watching costs a running program, against the real limits measured in the same run: plain
 * {@code java} (no debugger) and the JDWP floor (the same JVM under a bare JDI client that only
 * resumes it). Two programs, each timing itself: one that throws and catches 1,000,000 exceptions
 * inside a wrapped method (the worst case for any JDWP debugger: the JVM must be ready to report
 * every exception), one that computes under a wrapped method and throws nothing. Then the
 * throw-site detector, and a Caught Exceptions filter whose condition leaves these exceptions
 * out (asked of the JVM by type, or decided in the adapter).
 * <p>
 * The machines these run on change speed by tens of percent from one minute to the next, so each
 * round runs plain java, the floor and the adapter one after the other, and the ratios are the
 * median of each round's own ratios. Prints; does not judge.
 * Run: {@code mvn -pl protocol-tests test -P 'bench,!debuggee-jdk25' -Dtest=ThroughputBench}.
 */
class ThroughputBench {
    static final int N = Integer.getInteger("bench.exceptions", 1_000_000);
    static final int N_COMPUTE = Integer.getInteger("bench.computed", 3_000_000);
    static final int N_THROW = Integer.getInteger("bench.exceptionsThrowMode", 20_000);
    static final int RUNS = Integer.getInteger("bench.runs", 3);
    /** Rounds of plain java, floor and adapter for the watching figures (more than RUNS: these carry the targets). */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 7);
    private static final Pattern NS = Pattern.compile("(?:caught|checked)=(\\d+) ns=(\\d+)");

    @Test
    void watchingAgainstPlainJavaAndTheJdwpFloor() throws Exception {
        Fixture f = Fixture.of("hot");
        Rounds exceptions = rounds(f, "shop.Throughput", N);
        Rounds compute = rounds(f, "shop.Compute", N_COMPUTE);
        double thrown = median(() -> watchedRun(f, "shop.Throughput", "throw", N_THROW, null));
        // a Caught Exceptions filter whose condition names another type: the JVM reports none of these
        double byType = median(() -> watchedRun(f, "shop.Throughput", "handler", N, "IllegalStateException"));
        // one that leaves only these out: every exception is reported, and the adapter decides
        double decided = median(() -> watchedRun(f, "shop.Throughput", "handler", N_THROW, "!IllegalArgumentException"));

        Bench bench = new Bench("throughput");
        bench.figure("handlerPerSecond", String.format("exceptions/s, %,d thrown and caught, watched (stopAt handler)", N),
                        exceptions.adapter(), "/s")
                .baseline("plain java", exceptions.plain()).ratio(exceptions.toPlain())
                .floor("bare JDI client", exceptions.floor()).floorRatio(exceptions.toFloor())
                .target("≥ 0.9× plain java and ≥ 0.95× the floor", exceptions.toPlain() >= 0.9 && exceptions.toFloor() >= 0.95);
        bench.figure("jdwpFloorPerSecond", "exceptions/s, the same JVM under a bare JDI client (the floor)", exceptions.floor(), "/s")
                .baseline("plain java", exceptions.plain()).ratio(exceptions.floorToPlain()).target("for the record", null);
        bench.figure("computePerSecond", String.format("numbers/s, %,d checked for primes, watched (no exceptions)", N_COMPUTE),
                        compute.adapter(), "/s")
                .baseline("plain java", compute.plain()).ratio(compute.toPlain())
                .floor("bare JDI client", compute.floor()).floorRatio(compute.toFloor())
                .target("≥ 0.9× plain java and ≥ 0.95× the floor", compute.toPlain() >= 0.9 && compute.toFloor() >= 0.95);
        bench.figure("throwPerSecond", String.format("exceptions/s, stopAt throw (%,d thrown)", N_THROW), thrown, "/s")
                .baseline("plain java", exceptions.plain()).floor("bare JDI client", exceptions.floor()).target("for the record", null);
        bench.figure("caughtFilterByTypePerSecond", "exceptions/s, caught filter for another type (requests by type)", byType, "/s")
                .baseline("plain java", exceptions.plain()).floor("bare JDI client", exceptions.floor())
                .target("≥ 0.8× the floor", byType / exceptions.floor() >= 0.8);
        bench.figure("caughtFilterDecidedPerSecond", String.format("exceptions/s, caught filter decided in the adapter (%,d thrown)", N_THROW),
                decided, "/s").baseline("plain java", exceptions.plain()).floor("bare JDI client", exceptions.floor())
                .target("for the record", null);
        bench.write();
    }

    /** Medians of the three runs over the rounds, and the medians of each round's own ratios. */
    record Rounds(double plain, double floor, double adapter, double toPlain, double toFloor, double floorToPlain) {}

    static Rounds rounds(Fixture f, String mainClass, int n) throws Exception {
        List<Double> plain = new ArrayList<>(), floor = new ArrayList<>(), adapter = new ArrayList<>();
        List<Double> toPlain = new ArrayList<>(), toFloor = new ArrayList<>(), floorToPlain = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            double p = rate(f.plainJava(List.of(), mainClass, Integer.toString(n)), n);
            double fl = rate(BareJdi.start(f, List.of(), mainClass, Integer.toString(n)).runToEnd(), n);
            double a = watchedRun(f, mainClass, "handler", n, null);
            plain.add(p);
            floor.add(fl);
            adapter.add(a);
            toPlain.add(a / p);
            toFloor.add(a / fl);
            floorToPlain.add(fl / p);
            System.out.printf("  round %d %s: plain %.0f/s, floor %.0f/s, adapter %.0f/s%n", i + 1, mainClass, p, fl, a);
        }
        return new Rounds(Bench.median(plain), Bench.median(floor), Bench.median(adapter), Bench.median(toPlain),
                Bench.median(toFloor), Bench.median(floorToPlain));
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

    /** {@code caughtCondition}: the condition of a Caught Exceptions filter set before the program runs; null for none. */
    static double watchedRun(Fixture f, String mainClass, String stopAt, int n, String caughtCondition) throws Exception {
        try (Session s = Session.start(f, mainClass).with("args", List.of(Integer.toString(n))).with("stopAt", stopAt)) {
            if (caughtCondition == null) s.launch();
            else BreakpointTest.launchWithFilterOptions(s, Map.of("filterId", "caught", "condition", caughtCondition));
            s.assertExit(0);
            return rate(s.dap.stdout(), n);
        }
    }

    static double rate(String out, int n) {
        return rate(NS, out, n);
    }

    /** Per second, from the program's own timing: {@code timing} finds its count (group 1) and nanoseconds (group 2). */
    static double rate(Pattern timing, String out, int n) {
        Matcher m = timing.matcher(out);
        assertTrue(m.find(), "no timing in: " + out);
        assertTrue(Long.parseLong(m.group(1)) == n, out);
        return n / (Long.parseLong(m.group(2)) / 1e9);
    }
}
