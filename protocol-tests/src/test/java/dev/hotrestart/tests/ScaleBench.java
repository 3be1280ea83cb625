package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the adapter holds up as a program grows: setBreakpoints with 12,000 classes loaded
 * (against the same program with none of them), and the adapter's heap after 200 reload cycles
 * (against after 10). Prints; does not judge.
 * Run: {@code mvn -pl protocol-tests test -Dtest=ScaleBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ScaleBench {
    static final int CLASSES = Integer.getInteger("bench.classes", 12_000);
    static final int CYCLES = Integer.getInteger("bench.heapCycles", 200);
    static final int RUNS = Integer.getInteger("bench.runs", 21);

    @Test
    void setBreakpointsWithManyClassesAndHeapAfterManyReloads() throws Exception {
        Bench bench = new Bench("scale");
        Fixture f = Fixture.shared("basic");
        double many = setBreakpointsMs(f, CLASSES);
        double few = setBreakpointsMs(f, 0);
        bench.figure("setBreakpoints12kClassesMs", String.format("setBreakpoints, %,d classes loaded", CLASSES), many, "ms")
                .baseline("the same program without them", few).target("≤ 50 ms", many <= 50);

        long[] heap = heapAfterReloads(Fixture.of("hot"));
        bench.figure("heapAfter200ReloadsKb", "adapter heap after " + CYCLES + " reload cycles", heap[1], "KB")
                .baseline("after 10 cycles", heap[0]).target("ratio ≤ 1.2", heap[1] <= 1.2 * heap[0]);
        bench.write();
    }

    /** The median time of setBreakpoints on a loaded class's file, once the program has loaded {@code n} more classes. */
    static double setBreakpointsMs(Fixture f, int n) throws Exception {
        String file = "demo/Many.java";
        int line = f.line(file, "BP_MANY_TICK");
        try (Session s = Session.start(f, "demo.Many").with("args", List.of(Integer.toString(n)))) {
            s.launch();
            s.dap.awaitStdout("loaded " + n);
            Thread.sleep(1000); // let the adapter take in the class-prepare events
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < RUNS + 2; i++) {
                long t0 = System.nanoTime();
                JsonArray bps = s.setBreakpoints(file, line);
                double took = Bench.ms(t0);
                assertTrue(bps.get(0).getAsJsonObject().get("verified").getAsBoolean(), bps.toString());
                s.setBreakpoints(file);
                if (i >= 2) times.add(took); // the first two warm the adapter up
            }
            return Bench.median(times);
        }
    }

    /** The adapter's live heap after 10 and after all reload cycles of a failing wrapped method. */
    static long[] heapAfterReloads(Fixture f) throws Exception {
        String file = "shop/Slow.java";
        long after10 = -1;
        try (Session s = Session.start(f, "shop.Slow").with("args", List.of("0"))) {
            s.launch();
            int tid = s.threadOf(s.stopped("exception"));
            // as a user reading the stop: javac's practice (a compiler of its own, about 1 s) runs
            // its course now, not during the measurements below
            Thread.sleep(ReloadBench.PAUSE_MS);
            for (int k = 1; k <= CYCLES; k++) {
                String current = "v" + k;
                f.edit(file, "\"v" + (k - 1) + "\";", "\"" + current + "\";");
                JsonObject body = s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
                assertTrue(body.toString().contains("Slow.report"), body.toString());
                JsonObject again = s.stopped("exception");
                assertTrue(s.exceptionSentence(again).contains(current + " after"), again.toString());
                if (k == 10) after10 = ReloadBench.usedHeapKb(s.dap.process());
            }
            return new long[]{after10, ReloadBench.usedHeapKb(s.dap.process())};
        }
    }
}
