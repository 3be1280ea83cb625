package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmokeTest {
    @Test
    void breakpointThenHotRestart() throws Exception {
        Fixture f = Fixture.of("basic");
        try (Session s = Session.start(f, "demo.Basic")) {
            int line = f.line("demo/Basic.java", "BP_ADD");
            s.launch(Map.of("demo/Basic.java", new int[]{line}));
            JsonObject stop = s.stopped("breakpoint");
            int tid = s.threadOf(stop);
            JsonObject top = s.topFrame(tid);
            assertEquals(line, top.get("line").getAsInt());
            assertEquals("0", s.locals(top.get("id").getAsInt()).get("a"), s.locals(top.get("id").getAsInt()).toString() + s.frames(tid));
            s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file("demo/Basic.java").toString()), "breakpoints", new Object[0]));
            s.continueThread(tid);
            s.assertExit(3);
            assertTrue(s.dap.stdout().contains("sum=6"), s.dap.stdout());
        }
        Fixture h = Fixture.of("hot");
        try (Session s = Session.start(h, "shop.Checkout")) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            assertTrue(s.exceptionSentence(stop).contains("escaped Checkout.total(int[])"), stop.toString());
            h.edit("shop/Checkout.java", "i <= prices.length", "i < prices.length");
            JsonObject body = s.dap.ok("restartFrameWithReload", Map.of("threadId", s.threadOf(stop), "resume", true));
            assertEquals("Checkout.total(int[])", body.get("restarted").getAsString());
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("total=60 calls=2"), s.dap.stdout());
        }
    }
}
