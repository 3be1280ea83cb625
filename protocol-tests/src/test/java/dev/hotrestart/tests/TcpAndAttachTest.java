package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** DAP over TCP (--port 0), and attaching to a JVM that runs on its own. */
class TcpAndAttachTest {
    static final Fixture BASIC = Fixture.shared("basic");

    @Test
    void portZeroPrintsThePortAndServesSessionsOverTcp() throws Exception {
        Process server = new ProcessBuilder(DapClient.javaExe(), "-jar", DapClient.serverJar().toString(), "--port", "0").start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher m = Pattern.compile("Listening on port (\\d+)").matcher(first == null ? "" : first);
            assertTrue(m.matches(), "first stdout line: " + first);
            int port = Integer.parseInt(m.group(1));
            // two sessions one after the other on the same server
            for (int round = 0; round < 2; round++) {
                try (DapClient dap = DapClient.tcp(port)) {
                    Session s = Session.over(dap);
                    s.launchArgs.putAll(basicLaunch());
                    dap.ok("launch", s.launchArgs);
                    dap.event("initialized");
                    int add = BASIC.line("demo/Basic.java", "BP_ADD");
                    dap.ok("setBreakpoints", Map.of("source", Map.of("path", BASIC.file("demo/Basic.java").toString()),
                            "breakpoints", List.of(Map.of("line", add))));
                    dap.ok("configurationDone", null);
                    int tid = s.threadOf(s.stopped("breakpoint"));
                    JsonObject top = s.topFrame(tid);
                    assertEquals(add, top.get("line").getAsInt());
                    assertEquals("0", s.locals(top.get("id").getAsInt()).get("a"));
                    dap.ok("setBreakpoints", Map.of("source", Map.of("path", BASIC.file("demo/Basic.java").toString()),
                            "breakpoints", List.of()));
                    s.continueThread(tid);
                    s.assertExit(3);
                    assertTrue(dap.stdout().contains("sum=6"), dap.stdout());
                }
            }
            assertTrue(server.isAlive(), "the TCP server keeps listening after its sessions");
        } finally {
            server.destroyForcibly();
            server.waitFor(DapClient.WAIT_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void attachStopsAtABreakpointAndDisconnectLeavesTheJvmRunning() throws Exception {
        try (Ticker ticker = Ticker.start(); DapClient dap = DapClient.stdio()) {
            Session s = Session.over(dap);
            dap.ok("attach", attachArgs(ticker.port));
            dap.event("initialized");
            int line = BASIC.line("demo/Ticker.java", "BP_TICK");
            JsonObject bp = dap.ok("setBreakpoints", Map.of("source", Map.of("path", BASIC.file("demo/Ticker.java").toString()),
                    "breakpoints", List.of(Map.of("line", line)))).getAsJsonArray("breakpoints").get(0).getAsJsonObject();
            assertTrue(bp.get("verified").getAsBoolean(), "Ticker is loaded already: " + bp);
            dap.ok("configurationDone", null);

            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonObject top = s.topFrame(tid);
            assertEquals("Ticker.tick(int)", top.get("name").getAsString());
            assertEquals(BASIC.file("demo/Ticker.java").toString(), top.getAsJsonObject("source").get("path").getAsString());
            int n = Integer.parseInt(s.locals(top.get("id").getAsInt()).get("n"));

            // Disconnect while stopped: the adapter detaches, the JVM runs on.
            dap.ok("disconnect", Map.of());
            ticker.awaitLine("tick " + (n + 3));
            assertTrue(ticker.process.isAlive());
        }
    }

    @Test
    void attachWithTerminateDebuggeeEndsTheJvm() throws Exception {
        try (Ticker ticker = Ticker.start(); DapClient dap = DapClient.stdio()) {
            Session s = Session.over(dap);
            dap.ok("attach", attachArgs(ticker.port));
            dap.event("initialized");
            dap.ok("configurationDone", null);
            assertTrue(s.dap.ok("threads", null).toString().contains("\"main\""));
            dap.ok("disconnect", Map.of("terminateDebuggee", true));
            assertTrue(ticker.process.waitFor(DapClient.WAIT_MS, TimeUnit.MILLISECONDS), "the JVM was ended");
        }
    }

    static Map<String, Object> attachArgs(int port) {
        return attachArgs(BASIC, port);
    }

    static Map<String, Object> attachArgs(Fixture f, int port) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("hostName", "127.0.0.1");
        a.put("port", port);
        a.put("timeout", 10_000);
        a.put("sourcePaths", List.of(f.src.toString()));
        return a;
    }

    static Map<String, Object> basicLaunch() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("mainClass", "demo.Basic");
        a.put("classPaths", List.of(BASIC.classes.toString()));
        a.put("sourcePaths", List.of(BASIC.src.toString()));
        a.put("cwd", BASIC.root.toString());
        a.put("javaHome", Fixture.debuggeeJavaHome().toString());
        return a;
    }

    /** A JVM started by hand with a JDWP server, as a user would start a service to attach to. */
    static final class Ticker implements AutoCloseable {
        final Process process;
        final int port;
        private final StringBuffer out = new StringBuffer();

        private Ticker(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        /** demo.Ticker, which prints a tick now and then. */
        static Ticker start() throws IOException {
            return start(BASIC, "demo.Ticker");
        }

        static Ticker start(Fixture f, String mainClass, String... vmArgs) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Fixture.debuggeeJavaHome().resolve("bin/java").toString(),
                    "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0"));
            cmd.addAll(List.of(vmArgs));
            cmd.addAll(List.of("-cp", f.classPath(), mainClass));
            return listening(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        }

        /** A started JVM, once its first line says on which port JDWP listens. */
        static Ticker listening(Process p) throws IOException {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = r.readLine();
            Matcher m = Pattern.compile("Listening for transport dt_socket at address: (\\d+)").matcher(first == null ? "" : first);
            if (!m.find()) {
                p.destroyForcibly();
                fail("the JVM did not start: " + first);
            }
            int port = Integer.parseInt(m.group(1));
            Ticker t = new Ticker(p, port);
            Thread pump = new Thread(() -> {
                try {
                    for (String l; (l = r.readLine()) != null; ) {
                        synchronized (t) {
                            t.out.append(l).append('\n');
                            t.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // ended
                }
            }, "ticker-out");
            pump.setDaemon(true);
            pump.start();
            return t;
        }

        /** Sends a line to the program's stdin. */
        void send(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        synchronized String output() {
            return out.toString();
        }

        synchronized void awaitLine(String line) throws InterruptedException {
            long deadline = System.currentTimeMillis() + DapClient.WAIT_MS;
            while (!out.toString().contains(line + "\n")) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) fail("the JVM never printed '" + line + "' (alive: " + process.isAlive() + "): " + tail());
                wait(left);
            }
        }

        private String tail() {
            String s = out.toString();
            return s.substring(Math.max(0, s.length() - 300));
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
