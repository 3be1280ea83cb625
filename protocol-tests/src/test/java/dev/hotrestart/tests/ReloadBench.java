package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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
        long heapAfter10 = -1, heapAtEnd = -1;
        double rerun;
        long t0 = System.nanoTime();
        try (Session s = Session.start(f, "shop.Slow").with("args", List.of(Long.toString(WORK_MS)))) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            rerun = ms(t0);
            int tid = s.threadOf(stop);
            String current = "v0";
            for (int k = 1; k <= CYCLES + 1; k++) {
                long start = System.nanoTime();
                f.edit(file, "\"" + current + "\";", "\"v" + k + "\";");
                current = "v" + k;
                s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", false));
                s.stopped("restart");
                double took = ms(start);
                if (k == 11) heapAfter10 = usedHeapKb(s.dap.process());
                if (k == 1) first = took;
                else cycles.add(took);
                s.dap.ok("continue", Map.of("threadId", tid)); // on into this version's failure
                s.stopped("exception");
            }
            heapAtEnd = usedHeapKb(s.dap.process());
        }
        Collections.sort(cycles);
        double median = cycles.get(cycles.size() / 2);
        double p90 = cycles.get((int) Math.ceil(cycles.size() * 0.9) - 1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("firstReloadMs", round(first));
        out.put("warmMedianMs", round(median));
        out.put("warmP90Ms", round(p90));
        out.put("rerunToFailureMs", round(rerun));
        out.put("medianOverRerun", Math.round(median / rerun * 10000) / 10000.0);
        out.put("cycles", cycles.size());
        out.put("adapterHeapAfter10Kb", heapAfter10);
        out.put("adapterHeapAtEndKb", heapAtEnd);
        System.out.println();
        System.out.println("reload cycle (edit saved → new code running), " + cycles.size() + " warm cycles:");
        System.out.printf("  first reload        %8.1f ms   (target ≤ 150)%n", first);
        System.out.printf("  warm median         %8.1f ms   (target ≤ 25)%n", median);
        System.out.printf("  warm p90            %8.1f ms%n", p90);
        System.out.printf("  rerun to failure    %8.1f ms   (baseline, same run)%n", rerun);
        System.out.printf("  median ÷ rerun      %8.4f      (target ≤ 0.05)%n", median / rerun);
        System.out.printf("  adapter heap after 10 cycles %d KB, after %d: %d KB (ratio %.2f)%n",
                heapAfter10, CYCLES + 1, heapAtEnd, heapAtEnd / (double) heapAfter10);
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("reload.json"), DapClient.GSON.toJson(out));
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

    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
