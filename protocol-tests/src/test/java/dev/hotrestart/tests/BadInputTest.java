package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each bad input gets an error response naming the problem and the fix, and the session
 * survives it: mistakes are made one after the other in one session, and each is followed by
 * a request that still works; at the end a real program runs in that same session.
 */
class BadInputTest {
    static final Fixture BASIC = Fixture.shared("basic");

    static Map<String, Object> goodLaunch() {
        Map<String, Object> good = new LinkedHashMap<>();
        good.put("mainClass", "demo.Basic");
        good.put("classPaths", List.of(BASIC.classes.toString()));
        good.put("cwd", BASIC.root.toString());
        good.put("javaHome", Fixture.debuggeeJavaHome().toString());
        return good;
    }

    static Map<String, Object> goodLaunchWith(String key, Object value) {
        Map<String, Object> m = goodLaunch();
        if (value == null) m.remove(key); else m.put(key, value);
        return m;
    }

    /** The session survived: it answers, and a real launch in it runs to the end. */
    static void stillWorks(Session s) throws IOException {
        assertTrue(s.dap.ok("threads", null).has("threads"));
        s.launchArgs.clear();
        s.launchArgs.putAll(goodLaunch());
        s.launch();
        s.assertExit(3);
    }

    /** A mistake: an error response whose message contains every piece, then the adapter still answers. */
    static String refused(Session s, String command, Object args, String... pieces) throws IOException {
        return refused(s, command, args, -1, pieces);
    }

    /** The same, with the error id the response must carry ({@code id} -1: any). */
    static String refused(Session s, String command, Object args, int id, String... pieces) throws IOException {
        JsonObject r = s.dap.request(command, args);
        assertFalse(r.get("success").getAsBoolean(), "'" + command + "' should have failed: " + r);
        if (id != -1) assertEquals(id, DapClient.errorId(r), "error id of " + r);
        String msg = r.has("message") && !r.get("message").isJsonNull() ? r.get("message").getAsString() : "";
        for (String p : pieces) assertTrue(msg.contains(p), "'" + p + "' missing from: " + msg);
        assertTrue(s.dap.ok("threads", null).has("threads"), "the adapter still answers after: " + msg);
        return msg;
    }

    @Test
    void launchConfigurationMistakes() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            // several classes with main in the sources: the error lists them
            refused(s, "launch", goodLaunchWith("mainClass", null), 1100, "'mainClass'", "demo.Basic", "demo.Chatty");

            String missing = BASIC.root.resolve("no-such-folder").toString();
            refused(s, "launch", goodLaunchWith("classPaths", List.of(BASIC.classes.toString(), missing)),
                    missing, "does not exist", "classPaths");

            refused(s, "launch", goodLaunchWith("mainClass", "demo.Nope"), 1100, "demo.Nope", BASIC.classes.toString(), "mainClass");

            Map<String, Object> wrongTypes = goodLaunchWith("args", 5);
            wrongTypes.put("stopOnEntry", "yes");
            refused(s, "launch", wrongTypes, "'args' must be a string or an array of strings", "'stopOnEntry' must be true or false");

            Path notJdk = Fixture.tempDir("hotrestart-notjdk-");
            refused(s, "launch", goodLaunchWith("javaHome", notJdk.toString()), "'javaHome'", notJdk.toString(), "bin/java");

            stillWorks(s);
        }
    }

    @Test
    void attachMistakes() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        // Something listens but never speaks JDWP (say, the program's HTTP port): the handshake cannot finish.
        try (ServerSocket mute = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Session s = Session.start(BASIC, "demo.Basic")) {
            refused(s, "attach", Map.of("hostName", "127.0.0.1"), "'port' is required");
            refused(s, "attach", Map.of("hostName", "127.0.0.1", "port", free, "timeout", 300), 1102,
                    "Cannot attach to 127.0.0.1:" + free, "hostName", "port");
            refused(s, "attach", Map.of("hostName", "127.0.0.1", "port", mute.getLocalPort(), "timeout", 500),
                    "Cannot attach to 127.0.0.1:" + mute.getLocalPort(), "no JDWP answer", "timeout");
            stillWorks(s);
        }
    }

    @Test
    void protocolMistakes() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            // malformed JSON: one with a readable seq is answered, plain garbage is skipped
            s.dap.sendRaw("{\"seq\": 99, \"type\": \"request\", \"command\": \"threads\", oops");
            s.dap.sendRaw("this is not json at all");
            assertTrue(s.dap.ok("threads", null).has("threads"), "the next request is answered");
            JsonObject answer = s.dap.unmatchedResponses().stream()
                    .filter(r -> r.get("request_seq").getAsInt() == 99).findFirst().orElseThrow();
            assertEquals(false, answer.get("success").getAsBoolean());
            String msg = answer.get("message").getAsString();
            assertTrue(msg.contains("'threads'") && msg.contains("not valid JSON"), msg);

            refused(s, "frobnicate", Map.of("x", 1), "frobnicate");
            refused(s, "stackTrace", Map.of("threadId", 4711), 1201, "4711", "threads");
            refused(s, "setBreakpoints", Map.of("source", 5), 1001, "'setBreakpoints'", "'source' has the wrong type");

            // a wrong argument type while a thread is stopped: it stays stopped and inspectable
            s.launchArgs.clear();
            s.launchArgs.putAll(goodLaunch());
            s.launchArgs.put("sourcePaths", List.of(BASIC.src.toString()));
            s.launch(Map.of("demo/Basic.java", new int[]{BASIC.line("demo/Basic.java", "BP_ADD")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            refused(s, "stackTrace", Map.of("threadId", "abc"), 1001, "'stackTrace'", "'threadId' must be a whole number", "abc");
            refused(s, "variables", Map.of("variablesReference", 123456), 1201, "123456", "no longer valid");
            int frameId = s.topFrame(tid).get("id").getAsInt();
            // an error the client shows in place (a hover, a watch) asks for no notification of its
            // own; one for a request the user made deliberately does
            JsonObject hover = s.dap.request("evaluate", Map.of("expression", "nope", "frameId", frameId, "context", "hover"));
            assertFalse(hover.get("success").getAsBoolean());
            assertFalse(hover.getAsJsonObject("body").getAsJsonObject("error").get("showUser").getAsBoolean(), hover.toString());
            JsonObject restart = s.dap.request("restartFrame", Map.of("frameId", 987654));
            assertFalse(restart.get("success").getAsBoolean());
            assertTrue(restart.getAsJsonObject("body").getAsJsonObject("error").get("showUser").getAsBoolean(), restart.toString());
            assertEquals("0", s.locals(frameId).get("a"));
            s.setBreakpoints("demo/Basic.java");
            s.continueThread(tid);
            s.assertExit(3);
        }
    }

    @Test
    void aJavaRuntimeWithoutJdkJdi() throws Exception {
        // The adapter runs on a runtime that lacks jdk.jdi (as a JRE or a jlinked image would).
        try (DapClient dap = DapClient.stdio(List.of("--limit-modules", "java.base,java.logging,java.compiler,java.sql"))) {
            Map<String, Object> init = Map.of("adapterID", "hotrestart", "linesStartAt1", true, "columnsStartAt1", true);
            String msg = dap.error("initialize", init);
            assertTrue(msg.contains("jdk.jdi") && msg.contains("full JDK"), msg);
            // still answering, with the same advice
            msg = dap.error("launch", Map.of("mainClass", "demo.Basic"));
            assertTrue(msg.contains("jdk.jdi"), msg);
            dap.ok("disconnect", Map.of());
        }
    }

    @Test
    void portAlreadyInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> cmd = new ArrayList<>(List.of(DapClient.javaExe(), "-jar", DapClient.serverJar().toString(),
                    "--port", Integer.toString(taken.getLocalPort())));
            Process p = new ProcessBuilder(cmd).start();
            assertTrue(p.waitFor(DapClient.WAIT_MS, TimeUnit.MILLISECONDS), "the server gives up");
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertNotEquals(0, p.exitValue());
            assertTrue(err.contains("127.0.0.1:" + taken.getLocalPort()) && err.contains("--port 0"), err);
            assertEquals("", out, "nothing on stdout");
        }
    }
}
