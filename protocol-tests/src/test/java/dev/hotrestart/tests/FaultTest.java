package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Faults around a session: each ends with a clear message, nothing hangs, no JVM is left behind. */
class FaultTest {
    static final Fixture BASIC = BadInputTest.BASIC;

    /** The program dies while an evaluation runs in it: the evaluation is answered at once, the session ends. */
    @Test
    void aDebuggeeKilledDuringAnEvaluationAnswersItAndEndsTheSession() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic").with("evaluateTimeout", 60_000)) {
            s.launch(Map.of("demo/Basic.java", new int[]{BASIC.line("demo/Basic.java", "BP_ADD")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            int frame = s.topFrame(tid).get("id").getAsInt();
            long seq = 7_000_000;
            s.dap.sendRaw("{\"seq\":" + seq + ",\"type\":\"request\",\"command\":\"evaluate\",\"arguments\":{\"expression\":"
                    + "\"java.lang.Thread.sleep(60000)\",\"frameId\":" + frame + ",\"context\":\"repl\"}}");
            Thread.sleep(500);
            List<ProcessHandle> jvms = s.dap.process().descendants().toList();
            assertFalse(jvms.isEmpty(), "the program runs under the adapter");
            long t0 = System.nanoTime();
            for (ProcessHandle p : jvms) p.destroyForcibly();
            JsonObject r = s.dap.responseTo(seq);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(r.get("success").getAsBoolean(), r.toString());
            assertTrue(ms < 5_000, "answered " + ms + " ms after the program died, not at the end of its time limit: " + r);
            s.dap.event("terminated");
            assertTrue(s.dap.process().descendants().findAny().isEmpty(), "no JVM left");
        }
    }

    /** A JVM already debugged takes no second debugger: the second attach is refused with a message, the first goes on. */
    @Test
    void aSecondDebuggerCannotAttachToAJvmAlreadyDebugged() throws Exception {
        try (TcpAndAttachTest.Ticker ticker = TcpAndAttachTest.Ticker.start();
             DapClient first = DapClient.stdio(); DapClient second = DapClient.stdio()) {
            Session one = Session.over(first);
            first.ok("attach", TcpAndAttachTest.attachArgs(ticker.port));
            first.event("initialized");
            first.ok("configurationDone", null);
            Session.over(second);
            Map<String, Object> args = new java.util.HashMap<>(TcpAndAttachTest.attachArgs(ticker.port));
            args.put("timeout", 2_000);
            long t0 = System.nanoTime();
            String msg = second.error("attach", args);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(msg.contains("Cannot attach to 127.0.0.1:" + ticker.port), msg);
            assertTrue(ms < 10_000, "refused within the timeout and a little: " + ms + " ms");
            // the first session is untouched
            assertTrue(one.dap.ok("threads", null).toString().contains("\"main\""));
            first.ok("disconnect", Map.of("terminateDebuggee", true));
            assertTrue(ticker.process.waitFor(DapClient.WAIT_MS, TimeUnit.MILLISECONDS), "the JVM was ended");
        }
    }
}
