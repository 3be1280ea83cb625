package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import dev.hotrestart.tests.TcpAndAttachTest.Ticker;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.hotrestart.tests.TcpAndAttachTest.attachArgs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attaching to a JVM started without the agent: the adapter loads it through the attach API, so
 * escapes stop the cheap way (in the wrapped method, where the exception leaves it); where it
 * cannot, it says why and watches at the throw site.
 */
class AttachAgentTest {
    static final String SERVICE = "shop/Service.java";

    @Test
    void attachLoadsTheAgentIntoARunningJvmAndReloadedCodeStaysWatched() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Ticker svc = Ticker.start(f, "shop.Service"); DapClient dap = DapClient.stdio()) {
            svc.awaitLine("ready");
            svc.send("first");
            svc.awaitLine("handled FIRST"); // the wrapped class is loaded and has run: it must be retransformed
            Session s = Session.over(dap);
            dap.ok("attach", attachArgs(f, svc.port));
            dap.event("initialized");
            dap.ok("configurationDone", null);
            JsonObject note = dap.event("output", b -> b.get("output").getAsString().contains("hotrestart agent"));
            assertTrue(note.get("output").getAsString().contains("loaded the hotrestart agent into process " + svc.process.pid()),
                    note.toString());

            svc.send("bad one");
            int tid = s.threadOf(s.stopped("exception"));
            JsonObject top = s.topFrame(tid);
            assertEquals("⟳ Service.handle(String)", top.get("name").getAsString(),
                    "the agent stops in the wrapped method (the restart target); the thrower's frame is gone");
            Map<String, String> locals = s.locals(top.get("id").getAsInt());
            assertEquals("\"bad one\"", locals.get("request"));
            assertEquals("\"BAD ONE\"", locals.get("answer"), "a local keeps the value it had when the exception left");
            JsonObject info = dap.ok("exceptionInfo", Map.of("threadId", tid));
            assertTrue(info.toString().contains("cannot handle bad one"), info.toString());

            f.edit(SERVICE, "        check(request);\n", "        if (!request.startsWith(\"bad\")) check(request);\n");
            dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            svc.awaitLine("handled BAD ONE");

            // the reloaded class is still wrapped: the next escape stops again, in handle
            svc.send("");
            int again = s.threadOf(s.stopped("exception"));
            assertEquals("⟳ Service.handle(String)", s.topFrame(again).get("name").getAsString());
            f.edit(SERVICE, "if (!request.startsWith(\"bad\"))", "if (!request.isEmpty() && !request.startsWith(\"bad\"))");
            dap.ok("restartFrameWithReload", Map.of("threadId", again, "resume", true));
            svc.awaitLine("handled ");

            dap.ok("disconnect", Map.of());
            svc.send("after");
            svc.awaitLine("handled AFTER"); // detached: the service runs on with the fixed code
            assertTrue(svc.process.isAlive());
        }
    }

    @Test
    void aJvmThatRefusesTheAttachApiIsWatchedAtTheThrowSiteAndTheUserReadsWhy() throws Exception {
        Fixture f = Fixture.shared("hot");
        try (Ticker svc = Ticker.start(f, "shop.Service", "-XX:+DisableAttachMechanism"); DapClient dap = DapClient.stdio()) {
            svc.awaitLine("ready");
            Session s = Session.over(dap);
            dap.ok("attach", attachArgs(f, svc.port));
            dap.event("initialized");
            dap.ok("configurationDone", null);
            String note = dap.event("output", b -> b.get("output").getAsString().contains("hotrestart agent"))
                    .get("output").getAsString();
            assertTrue(note.contains("could not be loaded now") && note.contains("DisableAttachMechanism")
                    && note.contains("throw site") && note.contains("-javaagent"), note);

            svc.send("bad two");
            int tid = s.threadOf(s.stopped("exception"));
            assertEquals("Service.check(String)", s.topFrame(tid).get("name").getAsString(),
                    "the throw-site detector stops with the thrower's frame live");
            dap.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    @Test
    void aJvmStartedWithTheAgentIsWatchedByItAndTheUserLearnsWhichPatternsHold() throws Exception {
        Fixture f = Fixture.shared("hot");
        Path agent = Fixture.tempDir("hotrestart-agent-test").resolve("agent.jar");
        Process write = new ProcessBuilder(DapClient.javaExe(), "-jar", DapClient.serverJar().toString(), "--write-agent", agent.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, write.waitFor());
        try (Ticker svc = Ticker.start(f, "shop.Service", "-javaagent:" + agent); DapClient dap = DapClient.stdio()) {
            svc.awaitLine("ready");
            Session s = Session.over(dap);
            Map<String, Object> args = attachArgs(f, svc.port);
            args.put("wrap", List.of("shop.Service.main"));
            dap.ok("attach", args);
            dap.event("initialized");
            dap.ok("configurationDone", null);
            String note = dap.event("output", b -> b.get("output").getAsString().contains("hotrestart agent")).get("output").getAsString();
            assertTrue(note.contains("was loaded with other wrap patterns (none)"), note);

            svc.send("bad three");
            int tid = s.threadOf(s.stopped("exception"));
            assertEquals("⟳ Service.handle(String)", s.topFrame(tid).get("name").getAsString());
            assertFalse(dap.allEvents().toString().contains("loaded the hotrestart agent into"), "the agent was there already");
            dap.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }
}
