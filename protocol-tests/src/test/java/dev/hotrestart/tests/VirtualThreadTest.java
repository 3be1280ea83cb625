package dev.hotrestart.tests;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Virtual threads (a Java 21+ debuggee): a breakpoint in one stops it as in a platform thread,
 * the stopped one is listed with the platform thread that carries it, steps stay in it, and the
 * thousands that start and end cost no event each.
 */
class VirtualThreadTest {
    static final String FILE = "vt/Virtual.java";

    @Test
    void aBreakpointInAVirtualThreadStopsItListsItWithItsCarrierAndStepsInIt() throws Exception {
        int feature = Fixture.debuggeeFeature();
        assumeTrue(feature >= 21, "needs a Java 21+ debuggee (this pass runs Java " + feature + ")");
        Fixture f = Fixture.of("virtual", 21, Fixture.debuggeeJavaHome());
        int line = f.line(FILE, "BP_WORK");
        int n = 2_000;
        try (Session s = Session.start(f, "vt.Virtual").with("args", List.of(Integer.toString(n)))) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(FILE).toString()),
                    "breakpoints", List.of(Map.of("line", line, "condition", "k == 1500"))));
            s.dap.ok("configurationDone", null);

            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonObject top = s.topFrame(tid);
            assertEquals("Virtual.work(int, AtomicLong)", top.get("name").getAsString());
            assertEquals("1500", s.locals(top.get("id").getAsInt()).get("k"));
            String name = null;
            for (JsonElement t : s.dap.ok("threads", null).getAsJsonArray("threads")) {
                if (t.getAsJsonObject().get("id").getAsInt() == tid) name = t.getAsJsonObject().get("name").getAsString();
            }
            assertNotNull(name, "the stopped virtual thread is listed");
            assertTrue(name.matches("virtual thread #\\d+ on ForkJoinPool-\\d+-worker-\\d+"), name);

            s.dap.ok("next", Map.of("threadId", tid));
            JsonObject step = s.stopped("step");
            assertEquals(tid, s.threadOf(step), "the step stays in the virtual thread");
            assertEquals(line + 1, s.topFrame(tid).get("line").getAsInt());

            // once every virtual thread has ended: the stopped one's id is dropped (the JVM says nothing when one ends)
            s.setBreakpoints(FILE, f.line(FILE, "BP_DONE"));
            s.continueThread(tid);
            int done = s.threadOf(s.stopped("breakpoint"));
            long deadline = System.currentTimeMillis() + 5_000;
            String stale = null;
            String last = null;
            while (stale == null && System.currentTimeMillis() < deadline) {
                JsonObject r = s.dap.request("stackTrace", Map.of("threadId", tid));
                last = r.toString();
                // until the watch's next look the id is still the thread's, which is not suspended
                if (!r.get("success").getAsBoolean() && r.get("message").getAsString().startsWith("No thread with id " + tid + ": it ended")) {
                    stale = r.get("message").getAsString();
                } else {
                    Thread.sleep(200);
                }
            }
            assertNotNull(stale, "the ended virtual thread's id is still answered: " + last);
            s.continueThread(done);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("sum=" + (long) n * (n - 1) / 2), s.dap.stdout());
            long threadEvents = s.dap.allEvents().stream().filter(e -> e.get("event").getAsString().equals("thread")).count();
            assertTrue(threadEvents < 50, "no event for each of " + n + " virtual threads: " + threadEvents + " thread events");
            assertTrue(s.dap.allEvents().stream().filter(e -> e.get("event").getAsString().equals("thread"))
                    .noneMatch(e -> e.getAsJsonObject("body").get("threadId").getAsInt() == tid), "the virtual thread was not announced");
        }
    }
}
