package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Launching a debuggee: its output, exit code, arguments, environment, JDK, entry stop and terminal. */
class LaunchTest {
    static final Fixture BASIC = Fixture.shared("basic");

    @Test
    void outputArrivesInOrderAndCompleteBeforeExitedAndTerminated() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Chatty")) {
            s.launch();
            s.assertExit(5);
            StringBuilder expectedOut = new StringBuilder();
            StringBuilder expectedErr = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                expectedOut.append("line ").append(i).append('\n');
                if (i % 500 == 0) expectedErr.append("err ").append(i).append('\n');
            }
            expectedOut.append("no newline at the end");
            assertEquals(expectedOut.toString(), s.dap.stdout(), "stdout as output events, in order, nothing lost");
            assertEquals(expectedErr.toString(), s.dap.stderr(), "stderr as output events, in order");

            List<JsonObject> events = s.dap.allEvents();
            int lastOutput = -1, exited = -1, terminated = -1;
            for (int i = 0; i < events.size(); i++) {
                JsonObject e = events.get(i);
                String name = e.get("event").getAsString();
                if (name.equals("output")) {
                    String cat = e.getAsJsonObject("body").get("category").getAsString();
                    if (cat.equals("stdout") || cat.equals("stderr")) lastOutput = i;
                }
                if (name.equals("exited") && exited < 0) exited = i;
                if (name.equals("terminated") && terminated < 0) terminated = i;
            }
            assertTrue(lastOutput < exited, "all program output comes before 'exited'");
            assertTrue(exited < terminated, "'exited' comes before 'terminated'");
        }
    }

    @Test
    void argsAsStringEnvAndVmArgsReachTheProgram() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            s.with("args", "x y")
                    .with("env", Map.of("HOTRESTART_TEST_ENV", "from-launch"))
                    .with("vmArgs", "-Dexit.code=9")
                    .launch();
            s.assertExit(9);
            assertTrue(s.dap.stdout().startsWith("start x,y env=from-launch\n"), s.dap.stdout());
        }
    }

    @Test
    void argsAsArrayCwdAndJavaHomeAreUsed() throws Exception {
        Path cwd = Fixture.tempDir("hotrestart-cwd-");
        Path javaHome = otherJdkThanTheServers();
        try (Session s = Session.start(BASIC, "demo.Where")) {
            s.with("args", List.of("a b", "c"))
                    .with("vmArgs", List.of("-Dwhere.prop=with space"))
                    .with("cwd", cwd.toString())
                    .with("javaHome", javaHome.toString())
                    .launch();
            s.assertExit(0);
            String out = s.dap.stdout();
            assertTrue(out.contains("args=a b|c\n"), "array args are passed one by one, spaces kept: " + out);
            assertTrue(out.contains("prop=with space\n"), "vmArgs as an array: " + out);
            assertTrue(out.contains("env=null\n"), out);
            assertEquals(cwd.toRealPath().toString(), Path.of(valueOf(out, "cwd=")).toRealPath().toString(), "cwd");
            assertEquals(javaHome.toRealPath().toString(), Path.of(valueOf(out, "javaHome=")).toRealPath().toString(), "javaHome");
        }
    }

    @Test
    void stopOnEntryStopsAtMainsFirstLine() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            s.with("stopOnEntry", true).launch();
            JsonObject stop = s.stopped("entry");
            int tid = s.threadOf(stop);
            JsonObject top = s.topFrame(tid);
            assertEquals("Basic.main(String[])", top.get("name").getAsString());
            assertEquals(13, top.get("line").getAsInt(), "main's first line");
            assertEquals(BASIC.file("demo/Basic.java").toString(), top.getAsJsonObject("source").get("path").getAsString(),
                    "found under sourcePaths (no breakpoint named the file)");
            assertEquals("", s.dap.stdout(), "nothing ran before the entry stop");
            s.continueThread(tid);
            s.assertExit(3);
        }
    }

    @Test
    void integratedTerminalGoesThroughRunInTerminal() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic", Map.of("supportsRunInTerminalRequest", true))) {
            s.with("console", "integratedTerminal").with("env", Map.of("HOTRESTART_TEST_ENV", "in-terminal"));
            int line = BASIC.line("demo/Basic.java", "BP_ADD");
            // The launch answers only once the program started in the "terminal" connected back.
            Thread launcher = new Thread(() -> {
                try {
                    s.dap.ok("launch", s.launchArgs);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            launcher.start();
            JsonObject rit = s.dap.reverseRequest("runInTerminal");
            JsonObject args = rit.getAsJsonObject("arguments");
            assertEquals(BASIC.root.toString(), args.get("cwd").getAsString());
            List<String> cmd = new ArrayList<>();
            for (JsonElement a : args.getAsJsonArray("args")) cmd.add(a.getAsString());
            assertTrue(cmd.contains("demo.Basic"), cmd.toString());
            // Play the editor's terminal: run the command, answer with its pid.
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(args.get("cwd").getAsString()))
                    .redirectErrorStream(true);
            Map<String, String> env = new HashMap<>();
            if (args.has("env")) args.getAsJsonObject("env").entrySet().forEach(e -> env.put(e.getKey(), e.getValue().getAsString()));
            pb.environment().putAll(env);
            Process terminal = pb.start();
            try {
                s.dap.respond(rit, true, Map.of("processId", terminal.pid()));
                launcher.join(DapClient.WAIT_MS);
                assertFalse(launcher.isAlive(), "launch answered");
                s.dap.event("initialized");
                s.setBreakpoints("demo/Basic.java", line);
                s.dap.ok("configurationDone", null);
                JsonObject stop = s.stopped("breakpoint");
                assertEquals(line, s.topFrame(s.threadOf(stop)).get("line").getAsInt());
                s.setBreakpoints("demo/Basic.java");
                s.continueThread(s.threadOf(stop));
                s.dap.event("terminated");
                assertTrue(terminal.waitFor(DapClient.WAIT_MS, TimeUnit.MILLISECONDS));
                assertEquals(3, terminal.exitValue());
                String shown = new String(terminal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(shown.contains("start  env=in-terminal"), "the env reached the terminal's program: " + shown);
                assertTrue(shown.contains("sum=6"), shown);
                assertEquals("", s.dap.stdout(), "the program's output went to the terminal, not to output events");
            } finally {
                terminal.destroyForcibly();
            }
        }
    }

    @Test
    void integratedTerminalWithoutClientSupportUsesTheDebugConsole() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            s.with("console", "integratedTerminal").launch();
            s.assertExit(3);
            assertTrue(s.dap.stdout().contains("sum=6"), s.dap.stdout());
            assertTrue(s.dap.reverseRequests().isEmpty(), "no runInTerminal to a client that did not offer it");
        }
    }

    /** The JDK 25 when present and the server runs on another; else the debuggee JDK. */
    static Path otherJdkThanTheServers() {
        Path server = Path.of(System.getProperty("java.home"));
        Path t25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        if (!Fixture.debuggeeJavaHome().equals(server)) return Fixture.debuggeeJavaHome();
        if (Files.isExecutable(t25.resolve("bin/java")) && !t25.equals(server)) return t25;
        return Fixture.debuggeeJavaHome();
    }

    static String valueOf(String out, String prefix) {
        for (String l : out.split("\n")) if (l.startsWith(prefix)) return l.substring(prefix.length());
        throw new AssertionError("no '" + prefix + "' in " + out);
    }

    static JsonArray array(JsonObject o, String key) {
        return o.getAsJsonArray(key);
    }
}
