package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "suspendAll": a stop stops the whole program, continue runs all of it; without it, only the thread that stopped. */
class SuspendAllTest {
    static final Fixture BASIC = Fixture.shared("basic");
    static final int ROUND = BASIC.line("demo/Together.java", "TG_ROUND");

    @Test
    void withSuspendAllABreakpointAndAPauseStopEveryThreadAndContinueRunsThemAll() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Together")) {
            s.with("suspendAll", true);
            s.launch(Map.of("demo/Together.java", new int[]{ROUND}));
            JsonObject stop = s.stopped("breakpoint");
            assertTrue(stop.get("allThreadsStopped").getAsBoolean(), stop.toString());
            int main = s.threadOf(stop);
            int frame = s.topFrame(main).get("id").getAsInt();

            long before = count(s, frame);
            Thread.sleep(300);
            assertEquals(before, count(s, frame), "the counter stopped with main");
            // a method call runs its one thread while every other stays suspended
            assertEquals("\"" + before + "\"", evaluate(s, frame, "String.valueOf(count)"));
            int counter = SteppingTest.threadNamed(s, "counter");
            assertFalse(s.frames(counter).isEmpty(), "the counter's stack can be read: it is suspended");

            JsonObject cont = s.dap.ok("continue", Map.of("threadId", main));
            assertTrue(cont.get("allThreadsContinued").getAsBoolean(), cont.toString());
            // main sleeps before its next round: the pause comes first, and stops main too
            s.dap.ok("pause", Map.of("threadId", counter));
            JsonObject paused = s.stopped("pause");
            assertEquals(counter, s.threadOf(paused));
            assertTrue(paused.get("allThreadsStopped").getAsBoolean(), paused.toString());
            assertFalse(s.frames(main).isEmpty(), "main's stack can be read: it is suspended");
            JsonObject again = s.dap.ok("continue", Map.of("threadId", counter));
            assertTrue(again.get("allThreadsContinued").getAsBoolean(), again.toString());

            JsonObject second = s.stopped("breakpoint");
            assertTrue(second.get("allThreadsStopped").getAsBoolean());
            long later = count(s, s.topFrame(main).get("id").getAsInt());
            assertTrue(later > before, "the counter ran again after continue: " + before + " then " + later);
            s.dap.ok("continue", Map.of("threadId", main));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("round 2"), s.dap.stdout());
        }
    }

    @Test
    void byDefaultAStopStopsOnlyItsThread() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Together")) {
            s.launch(Map.of("demo/Together.java", new int[]{ROUND}));
            JsonObject stop = s.stopped("breakpoint");
            assertFalse(stop.get("allThreadsStopped").getAsBoolean(), stop.toString());
            int main = s.threadOf(stop);
            int frame = s.topFrame(main).get("id").getAsInt();
            long before = count(s, frame);
            Thread.sleep(300);
            assertNotEquals(before, count(s, frame), "the counter runs on while main is stopped");
            int counter = SteppingTest.threadNamed(s, "counter");
            s.dap.error("stackTrace", Map.of("threadId", counter));

            JsonObject cont = s.dap.ok("continue", Map.of("threadId", main));
            assertFalse(cont.get("allThreadsContinued").getAsBoolean(), cont.toString());
            s.dap.ok("pause", Map.of("threadId", counter));
            JsonObject paused = s.stopped("pause");
            assertFalse(paused.get("allThreadsStopped").getAsBoolean(), paused.toString());
            // main runs on to its next round while the counter stays paused
            s.stopped("breakpoint");
            assertFalse(s.frames(counter).isEmpty());
            s.dap.ok("continue", Map.of("threadId", counter));
            s.dap.ok("continue", Map.of("threadId", main));
            s.assertExit(0);
        }
    }

    static long count(Session s, int frame) throws Exception {
        return Long.parseLong(evaluate(s, frame, "count"));
    }

    static String evaluate(Session s, int frame, String expression) throws Exception {
        return s.dap.ok("evaluate", Map.of("expression", expression, "frameId", frame, "context", "watch")).get("result").getAsString();
    }
}
