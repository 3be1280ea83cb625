package dev.hotrestart.tests;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * 20,000 virtual threads that each do a trivial job (vt.Virtual, which times its threads itself),
 * on Java 25: under plain {@code java}, under a bare JDI client that only resumes the program (the
 * JDWP floor), and launched by the adapter. Rounds of the
 * three one after the other; the ratio is the median of each round's own. Prints; does not judge.
 * Run: {@code mvn -pl protocol-tests test -P 'bench,!debuggee-jdk25' -Dtest=VirtualThreadBench}.
 */
class VirtualThreadBench {
    static final int N = Integer.getInteger("bench.virtualThreads", 20_000);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 7);
    private static final Pattern TIMING = Pattern.compile("threads=(\\d+) ns=(\\d+)");

    @Test
    void virtualThreadsAgainstPlainJava() throws Exception {
        Path jdk = Fixture.jdk25();
        assumeTrue(Files.isExecutable(jdk.resolve("bin/java")), "needs the Java 25 JDK at " + jdk);
        Fixture f = Fixture.of("virtual", 21, jdk);
        String n = Integer.toString(N);
        List<Double> plain = new ArrayList<>(), floor = new ArrayList<>(), adapter = new ArrayList<>();
        List<Double> toPlain = new ArrayList<>(), toFloor = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            double p = ms(f.plainJava(jdk, List.of(), "vt.Virtual", n));
            double fl = ms(BareJdi.start(jdk, f, List.of(), "vt.Virtual", n).runToEnd());
            double a;
            try (Session s = Session.start(f, "vt.Virtual").with("args", List.of(n)).with("javaHome", jdk.toString())) {
                s.launch();
                s.assertExit(0);
                a = ms(s.dap.stdout());
            }
            plain.add(p);
            floor.add(fl);
            adapter.add(a);
            toPlain.add(a / p);
            toFloor.add(a / fl);
            System.out.printf("  round %d: plain %.1f ms, floor %.1f ms, adapter %.1f ms%n", i + 1, p, fl, a);
        }
        double ratio = Bench.median(toPlain);
        Bench bench = new Bench("virtualThreads");
        bench.figure("virtualThreadsMs", String.format("ms for %,d virtual threads doing a trivial job, Java 25, under the adapter", N),
                        Bench.median(adapter), "ms")
                .baseline("plain java", Bench.median(plain)).ratio(ratio)
                .floor("bare JDI client", Bench.median(floor)).floorRatio(Bench.median(toFloor))
                .target("≤ 1.5× plain java", ratio <= 1.5);
        bench.write();
    }

    private static double ms(String out) {
        return N / ThroughputBench.rate(TIMING, out, N) * 1000;
    }
}
