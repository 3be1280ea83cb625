package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter process itself: message order, capabilities, a clean protocol stream, logging, command line. */
class ServerTest {
    static final Fixture BASIC = Fixture.shared("basic");

    @Test
    void initializedComesAfterTheInitializeResponseAndCapabilitiesAreTheOnesThatWork() throws Exception {
        try (DapClient dap = DapClient.stdio()) {
            JsonObject caps = Session.over(dap).initialize();
            dap.event("initialized");
            List<String> order = dap.arrivals();
            assertTrue(order.indexOf("response initialize") >= 0 && order.indexOf("response initialize") < order.indexOf("event initialized"),
                    "initialized only after the initialize response: " + order);
            assertTrue(caps.get("supportsConfigurationDoneRequest").getAsBoolean());
            assertTrue(caps.get("supportsTerminateRequest").getAsBoolean());
            assertTrue(caps.get("supportTerminateDebuggee").getAsBoolean());
            assertTrue(caps.get("supportsExceptionInfoRequest").getAsBoolean());
            assertTrue(caps.get("supportsDelayedStackTraceLoading").getAsBoolean(), "stackTrace pages");
            assertTrue(caps.get("supportsFunctionBreakpoints").getAsBoolean(), "FunctionBreakpointTest");
            assertTrue(caps.get("supportsDataBreakpoints").getAsBoolean(), "DataBreakpointTest");
            List<String> filters = new ArrayList<>();
            caps.getAsJsonArray("exceptionBreakpointFilters").forEach(f -> filters.add(f.getAsJsonObject().get("filter").getAsString()));
            assertEquals(List.of("caught", "uncaught"), filters);
            for (var f : caps.getAsJsonArray("exceptionBreakpointFilters")) {
                assertTrue(f.getAsJsonObject().get("supportsCondition").getAsBoolean(), f.toString());
                assertTrue(f.getAsJsonObject().get("conditionDescription").getAsString().contains("!"), f.toString());
            }
            assertTrue(caps.get("supportsExceptionFilterOptions").getAsBoolean(), "conditions arrive in filterOptions");
            assertTrue(caps.get("supportsValueFormattingOptions").getAsBoolean(), "format.hex");
            assertTrue(caps.get("supportsStepInTargetsRequest").getAsBoolean(), "StepInTargetTest");
            assertTrue(caps.get("supportsBreakpointLocationsRequest").getAsBoolean(), "ColumnBreakpointTest");
            // not implemented, so not claimed
            for (String no : List.of("supportsStepBack", "supportsGotoTargetsRequest",
                    "supportsReadMemoryRequest", "supportsDisassembleRequest")) {
                assertFalse(caps.has(no) && caps.get(no).getAsBoolean(), no + " is advertised: " + caps);
            }
        }
    }

    @Test
    void stdioCarriesOnlyProtocolAndLogGoesToTheLogFile() throws Exception {
        Path log = Fixture.tempDir("hotrestart-log-").resolve("adapter.log");
        try (DapClient dap = DapClient.stdio(List.of("-Dhotrestart.debug=true"), "--log", log.toString())) {
            Session s = Session.over(dap);
            s.launchArgs.putAll(TcpAndAttachTest.basicLaunch());
            s.launch();
            s.assertExit(3);
            assertTrue(dap.stdout().contains("sum=6"));
            assertEquals("", dap.noise(), "nothing but DAP on the adapter's stdout");
            dap.ok("disconnect", Map.of());
            String logged = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(logged.contains("launching"), "the log file has the adapter's log: " + logged);
            assertFalse(dap.serverStderr().contains("launching"), "with --log, the log is not on stderr");
        }
    }

    @Test
    void versionPrintsAndExits() throws Exception {
        Process p = new ProcessBuilder(DapClient.javaExe(), "-jar", DapClient.serverJar().toString(), "--version").start();
        assertTrue(p.waitFor(DapClient.WAIT_MS, TimeUnit.MILLISECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue());
        assertTrue(out.matches("hotrestart \\S+\\s*"), out);
    }

    @Test
    void unknownCommandLineArgumentIsRefused() throws Exception {
        Process p = new ProcessBuilder(DapClient.javaExe(), "-jar", DapClient.serverJar().toString(), "--bogus").start();
        assertTrue(p.waitFor(DapClient.WAIT_MS, TimeUnit.MILLISECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.exitValue() != 0 && err.contains("--bogus"), err);
    }

    /**
     * The launcher script gives the adapter a class-data archive: the first session writes it,
     * later ones start from it; with one the JVM cannot use, the session still works: the JVM's
     * warning goes to stderr, never into the DAP stream on stdout. Writing the archive adds
     * nothing to stderr.
     */
    @Test
    void theLauncherScriptKeepsAClassDataArchiveAndAnUnusableOneHarmsNothing() throws Exception {
        Path cache = Fixture.tempDir("hotrestart-cache-");
        Fixture f = Fixture.shared("basic");
        Path archive = null;
        for (int run = 0; run < 3; run++) {
            if (run == 2) {
                // an archive made for another jar in its place: the JVM cannot use it and says so
                Path other = Files.copy(DapClient.serverJar(), cache.resolve("other.jar"));
                Path made = cache.resolve("other.jsa");
                Process p = new ProcessBuilder(DapClient.javaExe(), "-XX:ArchiveClassesAtExit=" + made, "-jar", other.toString(), "--version")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                assertEquals(0, p.waitFor());
                Files.delete(archive);
                Files.copy(made, archive);
            }
            DapClient dap = DapClient.viaScript(cache);
            try (Session s = Session.start(dap, f, "demo.Basic", Map.of())) {
                s.with("stopOnEntry", true).launch();
                String top = s.topFrame(s.threadOf(s.stopped("entry"))).get("name").getAsString();
                assertTrue(top.contains("main("), top);
            }
            try (var files = Files.list(cache.resolve("hotrestart"))) {
                List<Path> archives = files.filter(p -> p.getFileName().toString().matches("server-.*\\.jsa")).toList();
                assertEquals(1, archives.size(), archives.toString());
                archive = archives.get(0);
            }
            if (run < 2) assertTrue(Files.size(archive) > 1_000_000, "the archive holds the adapter's classes: " + Files.size(archive));
            // ... on stderr: on stdout, the DAP channel, the line would have broken the session above
            if (run == 2) assertTrue(dap.serverStderr().contains("Unable to use shared archive"), dap.serverStderr());
            // but not the line per class the archive cannot hold, some tens as the first session writes it
            assertFalse(dap.serverStderr().contains("[warning][cds]"), dap.serverStderr());
        }
    }

    /**
     * Launches load the agent from a copy kept in the cache folder: the first session of a build
     * writes it, later ones use it as it is, copies other builds left a day ago and more go. With
     * no cache folder to write, a session still gets the agent (a temp copy of its own).
     */
    @Test
    void theAgentCopyIsKeptInTheCacheFolderAndSessionsWithoutOneStillStop() throws Exception {
        Path cache = Fixture.tempDir("hotrestart-cache-");
        Path folder = Files.createDirectories(cache.resolve("hotrestart"));
        Path stale = Files.writeString(folder.resolve("agent-1-1.jar"), "left by an older build");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 2 * 24 * 3600 * 1000L));
        Path recent = Files.writeString(folder.resolve("agent-2-2.jar"), "another build, in use today");
        Fixture f = Fixture.shared("hot");
        Path kept = null;
        java.nio.file.attribute.FileTime written = null;
        for (int run = 0; run < 3; run++) {
            if (run == 2) {
                // the cache "folder" is a file: nothing can be kept there
                cache = Fixture.tempDir("hotrestart-cache-");
                Files.writeString(cache.resolve("hotrestart"), "not a folder");
            }
            DapClient dap = DapClient.viaScript(cache);
            try (Session s = Session.start(dap, f, "shop.Versions", Map.of())) {
                int tid = s.launchUntilEscape();
                assertEquals("⟳ Versions.answer(int)", EscapeTest.findTarget(s, tid).get("name").getAsString(),
                        "the agent's handler stopped the escape");
            }
            if (run == 2) break;
            try (var files = Files.list(folder)) {
                List<Path> copies = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
                assertEquals(2, copies.size(), "this build's copy and the recent one: " + copies);
                assertTrue(copies.contains(recent), copies.toString());
                Path mine = copies.get(0).equals(recent) ? copies.get(1) : copies.get(0);
                if (kept == null) {
                    kept = mine;
                    written = Files.getLastModifiedTime(mine);
                } else {
                    assertEquals(kept, mine);
                    assertEquals(written, Files.getLastModifiedTime(mine), "the second session used the copy as it was");
                }
            }
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(kept.toFile())) {
                assertEquals("dev.hotrestart.agent.Agent", jar.getManifest().getMainAttributes().getValue("Premain-Class"));
            }
        }
    }
}
