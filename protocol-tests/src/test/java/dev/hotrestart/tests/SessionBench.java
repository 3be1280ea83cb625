package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import com.sun.jdi.ArrayReference;
import com.sun.jdi.Location;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import com.sun.jdi.event.StepEvent;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.StepRequest;
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
 * 1,000,000-element list (with the agent, and without it for the record); the last three beside the
 * floor of any JDWP debugger, a bare JDI client doing the minimum in the same run. Prints; does not judge.
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
            bench.figure("nextMedianMs", "next → stopped: median of " + STEPS, stepMedian, "ms")
                    .floor("a bare JDI client: a step request (line, over), resume, the step event", median(bareSteps(f)))
                    .target("≤ 10 ms", stepMedian <= 10);
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
            bench.figure("stackTrace1000Ms", "stackTrace of a 1,000-frame recursion", median(traces), "ms")
                    .floor("a bare JDI client: the thread's frames, each one's method, line and source name", median(bareStackTraces(f)))
                    .target("≤ 50 ms", median(traces) <= 50);
        }

        List<Double> pages = listPages(f, "handler");
        bench.figure("listPage100Ms", "variables: 100 of a 1,000,000-element list", median(pages), "ms")
                .floor("a bare JDI client: the list's array, 100 of its elements, each Integer's value", median(barePages(f)))
                .target("≤ 20 ms", median(pages) <= 20);
        List<Double> read = listPages(f, "throw");
        bench.figure("listPage100NoAgentMs", "the same page without the agent (stopAt: throw)", median(read), "ms")
                .baseline("with the agent", median(pages)).target(null, null);
        bench.write();
    }

    /** Times pages of 100 from a 1,000,000-element list (the first one also makes the list's array). */
    private static List<Double> listPages(Fixture f, String stopAt) throws Exception {
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
            return pages;
        }
    }

    // ------------------------------------------------------------ the floor: a bare JDI client, no adapter

    private interface Setup<S> {
        S at(BareJdi jdi, ThreadReference thread) throws Exception;
    }

    private interface Once<S> {
        void run(S state, int i) throws Exception;
    }

    /** Runs {@code mainClass} under a bare JDI client to its line with {@code marker}, then times {@code once} {@code times} times. */
    private static <S> List<Double> bare(Fixture f, String mainClass, String marker, int times, Setup<S> setup, Once<S> once) throws Exception {
        BareJdi jdi = BareJdi.start(f, List.of(), mainClass);
        try {
            ThreadReference thread = jdi.stopAt(mainClass, f.line(mainClass.replace('.', '/') + ".java", marker));
            S state = setup.at(jdi, thread);
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                long t0 = System.nanoTime();
                once.run(state, i);
                out.add(ms(t0));
            }
            return out;
        } finally {
            jdi.kill();
        }
    }

    /** Steps over a line of demo.Loop, STEPS times: a step request, resume, the step event. */
    private static List<Double> bareSteps(Fixture f) throws Exception {
        record Stepping(BareJdi jdi, ThreadReference thread) {}
        return bare(f, "demo.Loop", "BP_LOOP_BODY", STEPS, Stepping::new, (st, i) -> {
            var requests = st.jdi().vm.eventRequestManager();
            StepRequest step = requests.createStepRequest(st.thread(), StepRequest.STEP_LINE, StepRequest.STEP_OVER);
            step.addCountFilter(1);
            step.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            step.enable();
            st.thread().resume();
            boolean stepped = false;
            while (!stepped) {
                var set = st.jdi().vm.eventQueue().remove();
                for (var e : set) stepped |= e instanceof StepEvent;
                if (!stepped) set.resume();
            }
            requests.deleteEventRequest(step);
        });
    }

    /** demo.Deep stopped 1,000 frames down: the thread's frames, and each one's method, line and source name. */
    private static List<Double> bareStackTraces(Fixture f) throws Exception {
        return bare(f, "demo.Deep", "BP_BOTTOM", RUNS, (jdi, thread) -> thread, (thread, i) -> {
            int n = 0;
            for (StackFrame frame : thread.frames()) {
                Location at = frame.location();
                if (at.method().name() != null && at.lineNumber() > -2 && at.sourceName() != null) n++;
            }
            if (n < 1000) throw new AssertionError("only " + n + " frames");
        });
    }

    /** demo.Data's 1,000,000-element list: pages of 100, as the adapter is asked for them (the array's elements, each Integer's value). */
    private static List<Double> barePages(Fixture f) throws Exception {
        return bare(f, "demo.Data", "BP_DATA", RUNS, (jdi, thread) -> {
            StackFrame frame = thread.frame(0);
            ObjectReference big = (ObjectReference) frame.getValue(frame.visibleVariableByName("big"));
            return (ArrayReference) big.getValue(big.referenceType().fieldByName("elementData"));
        }, (array, i) -> {
            int shown = 0;
            for (Value v : array.getValues(100_000 * (i + 1), 100)) {
                ObjectReference boxed = (ObjectReference) v;
                if (boxed.getValue(boxed.referenceType().fieldByName("value")) != null) shown++;
            }
            if (shown != 100) throw new AssertionError("only " + shown + " elements");
        });
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
