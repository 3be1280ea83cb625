package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everyday debugger speed, each figure with a baseline from the same run: adapter start to the
 * initialize response (against a JVM printing its version), launch to the entry stop (against
 * plain java running the same program), next→stopped, a 1,000-frame stackTrace, and a page of a
 * 1,000,000-element list (with the agent, and without it for the record). Prints; does not judge.
 * Run: {@code mvn -pl protocol-tests test -Dtest=SessionBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SessionBench {
    static final int RUNS = Integer.getInteger("bench.runs", 5);
    static final int STEPS = Integer.getInteger("bench.steps", 1000);

    @Test
    void everydaySpeed() throws Exception {
        Fixture f = Fixture.of("basic");
        Bench bench = new Bench("session");

        List<Double> init = new ArrayList<>(), javaVersion = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            try (DapClient dap = DapClient.stdio()) {
                Session.over(dap);
                init.add(ms(t0));
            }
            t0 = System.nanoTime();
            new ProcessBuilder(DapClient.javaExe(), "-version").redirectErrorStream(true).start().waitFor();
            javaVersion.add(ms(t0));
        }
        double initMs = median(init);
        bench.figure("initializeMs", "adapter start → initialize response", initMs, "ms")
                .baseline("java -version", median(javaVersion)).target("≤ 300 ms", initMs <= 300);

        // the launcher script (as the VS Code extension) starts the adapter with a class-data
        // archive of its classes; the first session through it writes the archive
        Path cache = Fixture.tempDir("hotrestart-bench-cache-");
        launchToEntry(DapClient.viaScript(cache), f);
        List<Double> entry = new ArrayList<>(), archived = new ArrayList<>(), plain = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            entry.add(launchToEntry(DapClient.stdio(), f));
            archived.add(launchToEntry(DapClient.viaScript(cache), f));
            long t0 = System.nanoTime();
            new ProcessBuilder(Fixture.debuggeeJavaHome().resolve("bin/java").toString(), "-cp", f.classPath(), "demo.Basic")
                    .redirectErrorStream(true).start().waitFor();
            plain.add(ms(t0));
        }
        bench.figure("launchToEntryMs", "launch → stopped on entry (./hotrestart, VS Code: adapter class-data archive)", median(archived), "ms")
                .baseline("plain java runs the program", median(plain)).target("ratio ≤ 1.5", median(archived) <= 1.5 * median(plain));
        bench.figure("launchToEntryJarMs", "launch → stopped on entry (plain java -jar, no archive)", median(entry), "ms")
                .baseline("plain java runs the program", median(plain)).target(null, null);

        try (Session s = Session.start(f, "demo.Loop")) {
            s.launch(Map.of("demo/Loop.java", new int[]{f.line("demo/Loop.java", "BP_LOOP_BODY")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            s.setBreakpoints("demo/Loop.java");
            List<Double> steps = new ArrayList<>();
            for (int i = 0; i < STEPS; i++) {
                long t0 = System.nanoTime();
                s.dap.ok("next", Map.of("threadId", tid));
                s.stopped("step");
                steps.add(ms(t0));
            }
            double stepMedian = median(steps);
            bench.figure("nextMedianMs", "next → stopped: median of " + STEPS, stepMedian, "ms").target("≤ 10 ms", stepMedian <= 10);
            bench.figure("nextP99Ms", "next → stopped: p99", Bench.percentile(steps, 0.99), "ms").target(null, null);
        }

        try (Session s = Session.start(f, "demo.Deep")) {
            s.launch(Map.of("demo/Deep.java", new int[]{f.line("demo/Deep.java", "BP_BOTTOM")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            List<Double> traces = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                int n = s.dap.ok("stackTrace", Map.of("threadId", tid)).getAsJsonArray("stackFrames").size();
                traces.add(ms(t0));
                if (n < 1000) throw new AssertionError("only " + n + " frames");
            }
            List<Double> threads = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                s.dap.ok("threads", null);
                threads.add(ms(t0));
            }
            bench.figure("stackTrace1000Ms", "stackTrace of a 1,000-frame recursion", median(traces), "ms")
                    .baseline("a 'threads' request", median(threads)).target("≤ 50 ms", median(traces) <= 50);
        }

        List<Double> threads = new ArrayList<>();
        List<Double> pages = listPages(f, "handler", threads);
        bench.figure("listPage100Ms", "variables: 100 of a 1,000,000-element list", median(pages), "ms")
                .baseline("a 'threads' request", median(threads)).target("≤ 20 ms", median(pages) <= 20);
        List<Double> read = listPages(f, "throw", new ArrayList<>());
        bench.figure("listPage100NoAgentMs", "the same page without the agent (stopAt: throw)", median(read), "ms")
                .baseline("with the agent", median(pages)).target(null, null);
        bench.write();
    }

    /**
     * Times pages of 100 from a 1,000,000-element list (the first one also makes the list's array);
     * adds the times of as many 'threads' requests to {@code threads}.
     */
    private static List<Double> listPages(Fixture f, String stopAt, List<Double> threads) throws Exception {
        try (Session s = Session.start(f, "demo.Data")) {
            s.with("stopAt", stopAt).launch(Map.of("demo/Data.java", new int[]{f.line("demo/Data.java", "BP_DATA")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            int frame = s.topFrame(tid).get("id").getAsInt();
            JsonObject big = s.variable(s.dap.ok("scopes", Map.of("frameId", frame)).getAsJsonArray("scopes").get(0).getAsJsonObject()
                    .get("variablesReference").getAsInt(), "big");
            int ref = big.get("variablesReference").getAsInt();
            List<Double> pages = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                s.dap.ok("variables", Map.of("variablesReference", ref, "start", 100_000 * (i + 1), "count", 100));
                pages.add(ms(t0));
            }
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                s.dap.ok("threads", null);
                threads.add(ms(t0));
            }
            return pages;
        }
    }

    private static double median(List<Double> v) {
        return Bench.median(v);
    }

    private static double ms(long since) {
        return Bench.ms(since);
    }

    /** launch (stopOnEntry) → the entry stop, in a new adapter; ms. */
    private static double launchToEntry(DapClient dap, Fixture f) throws Exception {
        try (Session s = Session.start(dap, f, "demo.Basic", Map.of())) {
            long t0 = System.nanoTime();
            s.with("stopOnEntry", true).launch();
            s.stopped("entry");
            return ms(t0);
        }
    }
}
