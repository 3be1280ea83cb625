package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** disconnect, terminate and a vanished client in launch mode leave no JVM behind; an exit on its own is reported. */
class EndingTest {
    static final Fixture BASIC = Fixture.shared("basic");

    @Test
    void disconnectKillsTheLaunchedDebuggee() throws Exception {
        String marker = Jvms.marker();
        try (Session s = Session.start(BASIC, "demo.Spin")) {
            s.with("vmArgs", List.of(marker)).launch();
            s.assertStdout("spinning");
            ProcessHandle jvm = Jvms.one(marker);
            assertTrue(jvm.isAlive());
            s.dap.ok("disconnect", Map.of());
            Jvms.awaitNone(marker);
        }
    }

    @Test
    void disconnectWhileStoppedAtABreakpointKillsTheDebuggee() throws Exception {
        String marker = Jvms.marker();
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            s.with("vmArgs", List.of(marker)).launch(Map.of("demo/Basic.java", new int[]{BASIC.line("demo/Basic.java", "BP_ADD")}));
            s.stopped("breakpoint");
            Jvms.one(marker);
            s.dap.ok("disconnect", Map.of("terminateDebuggee", true));
            Jvms.awaitNone(marker);
        }
    }

    @Test
    void terminateKillsTheDebuggeeAndTheSessionEnds() throws Exception {
        String marker = Jvms.marker();
        try (Session s = Session.start(BASIC, "demo.Spin")) {
            s.with("vmArgs", List.of(marker)).launch();
            s.assertStdout("spinning");
            Jvms.one(marker);
            s.dap.ok("terminate", Map.of());
            s.dap.event("exited");
            s.dap.event("terminated");
            Jvms.awaitNone(marker);
        }
    }

    @Test
    void aClientThatGoesAwayLeavesNoOrphan() throws Exception {
        String marker = Jvms.marker();
        Session s = Session.start(BASIC, "demo.Spin");
        try {
            s.with("vmArgs", List.of(marker)).launch();
            s.assertStdout("spinning");
            Jvms.one(marker);
            // The editor crashed: the adapter's stdin closes without a disconnect.
            s.dap.process().getOutputStream().close();
            Jvms.awaitNone(marker);
        } finally {
            s.dap.process().destroyForcibly();
        }
    }

    @Test
    void aProgramThatExitsOnItsOwnIsReportedWithItsExitCode() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            s.with("vmArgs", "-Dexit.code=0").launch();
            JsonObject exited = s.dap.event("exited");
            assertEquals(0, exited.get("exitCode").getAsInt());
            s.dap.event("terminated");
            // the session is over but the adapter still answers
            assertTrue(s.dap.ok("threads", null).getAsJsonArray("threads").isEmpty());
        }
    }
}
