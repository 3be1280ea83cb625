package dev.hotrestart.tests;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What watching for escapes costs a program that throws and catches many exceptions under a
 * wrapped method: exceptions per second without a debugger (the baseline, same run), with the
 * agent's handler detector, and with the throw-site detector. Prints; does not judge.
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
        // the baseline for the cost of watching: the same debug session with nothing wrapped
        double unwatched = median(() -> watchedRun(f, "handler", N, List.of("shop.**")));
        double handler = median(() -> watchedRun(f, "handler", N, List.of()));
        double thrown = median(() -> watchedRun(f, "throw", N_THROW, List.of()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exceptions", N);
        out.put("noDebuggerPerSecond", Math.round(plain));
        out.put("unwatchedPerSecond", Math.round(unwatched));
        out.put("handlerPerSecond", Math.round(handler));
        out.put("handlerOverUnwatched", Math.round(handler / unwatched * 1000) / 1000.0);
        out.put("throwModeExceptions", N_THROW);
        out.put("throwPerSecond", Math.round(thrown));
        out.put("throwOverUnwatched", Math.round(thrown / unwatched * 10000) / 10000.0);
        System.out.println();
        System.out.println("exception throughput, " + N + " thrown and caught under a wrapped method (median of " + RUNS + "):");
        System.out.printf("  no debugger              %,12.0f /s   (for the record: a JVM with JDWP handles exceptions more slowly)%n", plain);
        System.out.printf("  debugger, nothing wrapped%,12.0f /s   (baseline)%n", unwatched);
        System.out.printf("  stopAt handler (agent)   %,12.0f /s   ratio %.3f (target ≥ 0.8)%n", handler, handler / unwatched);
        System.out.printf("  stopAt throw (%,d)     %,12.0f /s   ratio %.4f (for the record)%n", N_THROW, thrown, thrown / unwatched);
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("throughput.json"), DapClient.GSON.toJson(out));
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
        try (Session s = Session.start(f, "shop.Throughput").with("args", List.of(Integer.toString(n))).with("stopAt", stopAt)
                .with("noWrap", noWrap)) {
            s.launch();
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
