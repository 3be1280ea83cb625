package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** continue, next, stepIn, stepOut, pause, step filters, threads and thread events. */
class SteppingTest {
    static final Fixture BASIC = Fixture.shared("basic");

    @Test
    void nextStepInStepOutAndStepFilters() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Steps")) {
            int start = BASIC.line("demo/Steps.java", "ST_START");
            s.launch(Map.of("demo/Steps.java", new int[]{start}));
            int tid = s.threadOf(s.stopped("breakpoint"));

            s.dap.ok("next", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Steps.main(String[])", line("ST_JDK"));

            // The line calls only JDK code (String.join): stepIn steps over it.
            s.dap.ok("stepIn", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Steps.main(String[])", line("ST_CALL"));
            assertEquals("\"a-b\"", s.locals(s.topFrame(tid).get("id").getAsInt()).get("joined"));

            s.dap.ok("stepIn", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Steps.twice(int)", line("ST_IN"));
            assertEquals("1", s.locals(s.topFrame(tid).get("id").getAsInt()).get("v"));

            s.dap.ok("stepOut", Map.of("threadId", tid));
            JsonObject out = s.stopped("step");
            assertAt(s, out, "Steps.main(String[])", line("ST_CALL"));

            s.dap.ok("next", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Steps.main(String[])", line("ST_CALL") + 1);
            s.dap.ok("next", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Steps.main(String[])", line("ST_CMP"));

            // cmp.compare goes through the compiler's synthetic bridge compare(Object, Object): never stop there.
            s.dap.ok("stepIn", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Steps.ByLength.compare(String, String)", line("ST_COMPARE"));
            JsonArray frames = s.frames(tid);
            for (var f : frames) {
                String name = f.getAsJsonObject().get("name").getAsString();
                assertFalse(name.contains("compare(Object, Object)"), "no stop in the bridge, but it may be on the stack: " + frames);
                break;
            }

            s.dap.ok("stepOut", Map.of("threadId", tid));
            JsonObject back = s.stopped("step");
            JsonObject top = s.topFrame(s.threadOf(back));
            assertEquals("Steps.main(String[])", top.get("name").getAsString(), "stepOut leaves through the bridge to main");

            // next over the comment line lands on the code after it
            s.dap.ok("next", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Steps.main(String[])", line("ST_AFTER_COMMENT"));

            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("steps a-b 2 1"), s.dap.stdout());
        }
    }

    @Test
    void stepFiltersSkipAListedPackageAndConstructors() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Skips")) {
            s.with("stepFilters", Map.of("skipClasses", List.of("$JDK", "demo.gen.*"), "skipConstructors", true, "skipStaticInitializers", true));
            s.launch(Map.of("demo/Skips.java", new int[]{skips("SK_GEN"), skips("SK_NEW")}));
            int tid = s.threadOf(s.stopped("breakpoint"));

            // Made is in the skipped package: the step goes through it, and stops in our code it calls
            s.dap.ok("stepIn", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Skips.back(int)", skips("SK_BACK"));
            s.continueThread(tid);

            // past the constructor, into the call on the same line
            s.threadOf(s.stopped("breakpoint"));
            s.dap.ok("stepIn", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Skips.size()", skips("SK_SIZE"));
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("skips 3 3 13"), s.dap.stdout());
        }
    }

    @Test
    void withoutStepFiltersAStepIntoStopsInEveryUserClassAndConstructor() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Skips")) {
            s.launch(Map.of("demo/Skips.java", new int[]{skips("SK_GEN"), skips("SK_NEW"), skips("SK_LAZY")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            s.dap.ok("stepIn", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Made.call(int)", BASIC.line("demo/gen/Made.java", "MADE_IN"));
            s.continueThread(tid);

            s.threadOf(s.stopped("breakpoint"));
            s.dap.ok("stepIn", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Skips.<init>(int)", skips("SK_CTOR") - 1);
            // inside the constructor a step into is a step: the filter for its entry does not apply
            s.dap.ok("stepIn", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Skips.<init>(int)", skips("SK_CTOR"));
            s.continueThread(tid);

            s.threadOf(s.stopped("breakpoint"));
            // the JVM's own step into runs the static initializer of the class it calls without
            // stopping in it: skipStaticInitializers has nothing to add there
            s.dap.ok("stepIn", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Skips.Lazy.plus(int)", skips("SK_PLUS"));
            s.continueThread(tid);
            s.assertExit(0);
        }
    }

    @Test
    void aWrongStepFilterIsNamedInTheLaunchError() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Skips")) {
            s.with("stepFilters", Map.of("skipClasses", List.of("com.*.generated"), "skipConstructor", true));
            String message = s.dap.error("launch", s.launchArgs, 1100);
            assertTrue(message.contains("'com.*.generated' in skipClasses is not a class pattern"), message);
            assertTrue(message.contains("no 'skipConstructor'"), message);
        }
    }

    static int skips(String marker) {
        return BASIC.line("demo/Skips.java", marker);
    }

    @Test
    void nextOnMainsLastLineRunsTheProgramToItsEnd() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Steps")) {
            s.launch(Map.of("demo/Steps.java", new int[]{line("ST_AFTER_COMMENT")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            s.dap.ok("next", Map.of("threadId", tid));
            assertAt(s, s.stopped("step"), "Steps.main(String[])", line("ST_AFTER_COMMENT") + 1); // main's closing brace
            s.dap.ok("next", Map.of("threadId", tid));
            s.assertExit(0);
            assertEquals(2, s.dap.allEvents().stream().filter(e -> e.get("event").getAsString().equals("stopped")).count(),
                    "no stop in the JDK code that called main");
        }
    }

    @Test
    void pauseARunningThreadShowsWhereItIsAndItRunsOnAfterContinue() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Rounds")) {
            s.launch();
            s.assertStdout("round 1\n"); // the worker is in its endless loop now
            int worker = threadNamed(s, "worker");
            assertTrue(sawThreadEvent(s, "started", worker), "a thread event reported the worker's start");

            s.dap.ok("pause", Map.of("threadId", worker));
            assertEquals(worker, s.threadOf(s.stopped("pause")));
            JsonObject loop = loopFrame(s, worker);
            int loopStart = BASIC.line("demo/Rounds.java", "n++;");
            int loopLine = loop.get("line").getAsInt();
            assertTrue(loopLine >= loopStart - 1 && loopLine <= loopStart + 2, "paused in the loop: " + loop);
            Map<String, String> locals = s.locals(loop.get("id").getAsInt());
            assertTrue(locals.containsKey("n"), locals.toString());
            int round = Integer.parseInt(locals.get("round"));

            s.continueThread(worker);
            // "round N+1" can only be printed once the worker runs again.
            s.assertStdout("round " + (round + 1) + "\n");

            // and it can be paused again
            s.dap.ok("pause", Map.of("threadId", worker));
            assertEquals(worker, s.threadOf(s.stopped("pause")));
            loopFrame(s, worker);
            s.continueThread(worker);
            s.dap.ok("disconnect", Map.of());
        }
    }

    /** The worker's loop frame; the pause may have caught it inside println, so look down the stack. */
    static JsonObject loopFrame(Session s, int worker) throws Exception {
        JsonArray frames = s.frames(worker);
        for (var f : frames) {
            if (f.getAsJsonObject().get("name").getAsString().startsWith("Rounds.lambda$main$")) return f.getAsJsonObject();
        }
        throw new AssertionError("the worker's loop is not on its stack: " + frames);
    }

    @Test
    void threadsListAndThreadEventsForAThreadThatStartsAndEnds() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Workers")) {
            int inWorker = BASIC.line("demo/Workers.java", "BP_WORKER");
            int joined = BASIC.line("demo/Workers.java", "BP_JOINED");
            s.launch(Map.of("demo/Workers.java", new int[]{inWorker, joined}));
            JsonObject stop = s.stopped("breakpoint");
            int worker = s.threadOf(stop);
            assertEquals(worker, threadNamed(s, "short-lived"), "the stopped thread is listed under its name");
            assertNotEquals(worker, threadNamed(s, "main"));
            assertTrue(sawThreadEvent(s, "started", worker), "a thread event reported the worker's start");
            s.continueThread(worker);

            JsonObject mainStop = s.stopped("breakpoint");
            int main = s.threadOf(mainStop);
            assertEquals(main, threadNamed(s, "main"));
            // main passed join(): the worker has ended, and a thread event said so.
            assertTrue(sawThreadEvent(s, "exited", worker), "a thread event reported the worker's end");
            for (var t : s.dap.ok("threads", null).getAsJsonArray("threads")) {
                assertNotEquals("short-lived", t.getAsJsonObject().get("name").getAsString(), "an ended thread is not listed");
            }
            s.continueThread(main);
            s.assertExit(0);
        }
    }

    static boolean sawThreadEvent(Session s, String reason, int threadId) {
        return s.dap.allEvents().stream().anyMatch(e -> e.get("event").getAsString().equals("thread")
                && e.getAsJsonObject("body").get("reason").getAsString().equals(reason)
                && e.getAsJsonObject("body").get("threadId").getAsInt() == threadId);
    }

    static int threadNamed(Session s, String name) throws Exception {
        for (var t : s.dap.ok("threads", null).getAsJsonArray("threads")) {
            JsonObject o = t.getAsJsonObject();
            if (o.get("name").getAsString().equals(name)) return o.get("id").getAsInt();
        }
        throw new AssertionError("no thread '" + name + "' in " + s.dap.ok("threads", null));
    }

    static int line(String marker) {
        return BASIC.line("demo/Steps.java", marker);
    }

    static void assertAt(Session s, JsonObject stop, String method, int line) throws Exception {
        JsonObject top = s.topFrame(s.threadOf(stop));
        assertEquals(method, top.get("name").getAsString(), "stopped in " + top);
        assertEquals(line, top.get("line").getAsInt(), "stopped in " + top);
    }
}
