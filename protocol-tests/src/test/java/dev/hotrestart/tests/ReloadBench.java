package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reload cycle benchmark (not a timed test: it prints, it does not judge). From the edit
 * saved to the new code running (the stop at the re-entered method's first line), against
 * the baseline a user has without hot restart: running the program again up to the failure.
 * Run: {@code mvn -pl protocol-tests test -Dtest=ReloadBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ReloadBench {
    static final int CYCLES = Integer.getInteger("bench.cycles", 50);
    static final long WORK_MS = Long.getLong("bench.workMs", 2000);

    @Test
    void reloadCycleAgainstRerunningToTheFailure() throws Exception {
        Fixture f = Fixture.of("hot");
        String file = "shop/Slow.java";
        List<Double> cycles = new ArrayList<>();
        double first = 0;
        double rerun;
        long t0 = System.nanoTime();
        try (Session s = Session.start(f, "shop.Slow").with("args", List.of(Long.toString(WORK_MS)))) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            rerun = Bench.ms(t0);
            int tid = s.threadOf(stop);
            String current = "v0";
            for (int k = 1; k <= CYCLES + 1; k++) {
                long start = System.nanoTime();
                f.edit(file, "\"" + current + "\";", "\"v" + k + "\";");
                current = "v" + k;
                s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", false));
                s.stopped("restart");
                double took = Bench.ms(start);
                if (k == 1) first = took;
                else cycles.add(took);
                s.dap.ok("continue", Map.of("threadId", tid)); // on into this version's failure
                s.stopped("exception");
            }
        }
        double median = Bench.median(cycles);
        double p90 = Bench.percentile(cycles, 0.9);
        Bench bench = new Bench("reload");
        bench.figure("firstReloadMs", "reload cycle (edit saved → new code stopped at entry): first", first, "ms")
                .baseline("rerunning the program to the failure", rerun).target("≤ 150 ms", first <= 150);
        bench.figure("warmMedianMs", "reload cycle: warm median of " + cycles.size(), median, "ms")
                .baseline("rerunning the program to the failure", rerun).target("≤ 25 ms; ratio ≤ 0.05", median <= 25 && median / rerun <= 0.05);
        bench.figure("warmP90Ms", "reload cycle: warm p90", p90, "ms").target(null, null);
        bench.write();
    }

    /** The adapter's live heap after a full GC, read with jcmd. */
    static long usedHeapKb(Process server) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(server.pid()), "GC.run");
        String info = run(jcmd, Long.toString(server.pid()), "GC.heap_info");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
