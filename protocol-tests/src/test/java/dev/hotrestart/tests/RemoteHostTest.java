package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import dev.hotrestart.tests.TcpAndAttachTest.Ticker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A JVM on another host, as a container or a pod is: it runs in a network namespace of its own
 * (reached through a veth pair, by an address of that namespace only) and a mount namespace of its
 * own (its class path and agent jar are on a file system this side cannot see). The user's side has
 * the sources and the build output; the agent is on the JVM's command line.
 */
class RemoteHostTest {
    static final String SERVICE = "shop/Service.java";

    @Test
    void aJvmOnAnotherHostIsAttachedByItsAddressStopsOnAnEscapeAndReloadsTheFix() throws Exception {
        Fixture f = Fixture.of("hot");
        Path root = Fixture.tempDir("hotrestart-remote");
        String remoteClasses = root.resolve("app/classes").toString();
        try (Host host = Host.create(); Ticker svc = startOn(host, f, root)) {
            svc.awaitLine("ready");
            int bp = f.line(SERVICE, "String answer = request.toUpperCase();");
            Map<String, Object> args = TcpAndAttachTest.attachArgs(f, svc.port);
            args.put("hostName", host.address);

            // attached with the JVM's own class path, which is not on this machine: the user reads what to set
            try (DapClient dap = DapClient.stdio()) {
                Session first = Session.over(dap);
                dap.ok("attach", args);
                dap.event("initialized");
                dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(SERVICE).toString()), "breakpoints", List.of(Map.of("line", bp))));
                dap.ok("configurationDone", null);
                String note = dap.event("output", b -> b.get("output").getAsString().contains("not on this machine")).get("output").getAsString();
                assertTrue(note.contains(remoteClasses) && note.contains("'classPaths'"), note);
                assertFalse(dap.allEvents().toString().contains("could not be loaded now"), "the agent came with the JVM's command line");
                assertFalse(dap.allEvents().toString().contains("other wrap patterns"), "neither the agent nor the session has wrap patterns");
                svc.send("first");
                int t0 = first.threadOf(first.stopped("breakpoint"));
                f.edit(SERVICE, "        check(request);\n", "        if (!request.startsWith(\"bad\")) check(request);\n");
                String refused = dap.error("restartFrameWithReload", Map.of("threadId", t0, "frameId", first.topFrame(t0).get("id").getAsInt()));
                assertTrue(refused.contains("entries of the program's") && refused.contains(remoteClasses)
                        && refused.contains("Set 'classPaths'"), "a compile against a class path that is elsewhere says so: " + refused);
                f.edit(SERVICE, "        if (!request.startsWith(\"bad\")) check(request);\n", "        check(request);\n");
                dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(SERVICE).toString()), "breakpoints", List.of()));
                dap.ok("disconnect", Map.of()); // detached while stopped: the service goes on
            }
            svc.awaitLine("handled FIRST");

            // the user sets classPaths to the build output here: escape, fix, reload, finish
            try (DapClient again = DapClient.stdio()) {
                Session s = Session.over(again);
                args.put("classPaths", List.of(f.classes.toString(), Fixture.annotationsJar().toString()));
                again.ok("attach", args);
                again.event("initialized");
                again.ok("configurationDone", null);
                svc.send("bad one");
                int tid = s.threadOf(s.stopped("exception"));
                JsonObject top = s.topFrame(tid);
                assertEquals("⟳ Service.handle(String)", top.get("name").getAsString(), "the agent given on the command line stops in the wrapped method");
                assertEquals(f.file(SERVICE).toString(), top.getAsJsonObject("source").get("path").getAsString(), "the frame shows the source on this side");
                assertEquals("\"bad one\"", s.locals(top.get("id").getAsInt()).get("request"));

                f.edit(SERVICE, "        check(request);\n", "        if (!request.startsWith(\"bad\")) check(request);\n");
                again.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
                svc.awaitLine("handled BAD ONE");

                again.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(SERVICE).toString()), "breakpoints", List.of(Map.of("line", bp))));
                svc.send("next");
                int stopped = s.threadOf(s.stopped("breakpoint"));
                assertEquals(bp, s.topFrame(stopped).get("line").getAsInt(), "a breakpoint in the reloaded method stops too");
                again.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(SERVICE).toString()), "breakpoints", List.of()));

                // a structural edit: a new helper method, defined in the remote JVM by its agent
                String text = f.read(SERVICE);
                int end = text.lastIndexOf('}');
                f.write(SERVICE, text.substring(0, end) + "\n    static String shout(String s) {\n        return s + \"!\";\n    }\n}\n");
                f.edit(SERVICE, "String answer = request.toUpperCase();", "String answer = shout(request.toUpperCase());");
                JsonObject body = again.ok("restartFrameWithReload", Map.of("threadId", stopped, "frameId", s.topFrame(stopped).get("id").getAsInt(), "resume", true));
                assertTrue(body.get("reloaded").toString().contains("shout"), body.toString());
                svc.awaitLine("handled NEXT!");
                again.ok("disconnect", Map.of());
            }
            svc.send("bad two");
            svc.awaitLine("handled BAD TWO!"); // detached: the service runs on with the fixed code
        }
    }

    /**
     * A host of the test's own: a network namespace joined to this one by a veth pair, with
     * addresses that only it uses. Removed, with everything in it, on close.
     */
    static final class Host implements AutoCloseable {
        final String name;
        final String address;
        private final String here;

        private Host(String name, String here, String address) {
            this.name = name;
            this.here = here;
            this.address = address;
        }

        static Host create() throws IOException, InterruptedException {
            boolean possible = "root".equals(System.getProperty("user.name")) && (Files.isExecutable(Path.of("/usr/sbin/ip"))
                    || Files.isExecutable(Path.of("/sbin/ip")));
            if (!possible && System.getenv("CI") != null) fail("CI runs as root with iproute2 (.ci/run installs it): a network namespace is needed");
            assumeTrue(possible, "network namespaces need root and iproute2's ip");
            long id = ProcessHandle.current().pid() % 100_000;
            int net = (int) (id % 250) + 1;
            Host h = new Host("hrt" + id, "10.213." + net + ".1", "10.213." + net + ".2");
            String veth = "hrt" + id;
            h.ip("netns", "add", h.name);
            h.ip("link", "add", veth + "a", "type", "veth", "peer", "name", veth + "b");
            h.ip("link", "set", veth + "b", "netns", h.name);
            h.ip("addr", "add", h.here + "/30", "dev", veth + "a");
            h.ip("link", "set", veth + "a", "up");
            h.ip("netns", "exec", h.name, "ip", "addr", "add", h.address + "/30", "dev", veth + "b");
            h.ip("netns", "exec", h.name, "ip", "link", "set", veth + "b", "up");
            h.ip("netns", "exec", h.name, "ip", "link", "set", "lo", "up");
            return h;
        }

        private void ip(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("ip"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                close();
                fail(String.join(" ", cmd) + " failed: " + out);
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            Process pids = new ProcessBuilder("ip", "netns", "pids", name).redirectErrorStream(true).start();
            for (String pid : new String(pids.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\\s+")) {
                if (pid.matches("\\d+")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
            pids.waitFor();
            new ProcessBuilder("ip", "netns", "del", name).redirectErrorStream(true).start().waitFor(); // takes the veth pair with it
        }
    }

    /**
     * shop.Service on the host, started as a user starts a service to debug: JDWP on every address
     * at port 5005 (the host has its own ports), the agent on the command line, its class path on
     * the host's own file system, mounted on {@code root}, which stays empty here.
     */
    static Ticker startOn(Host host, Fixture f, Path root) throws IOException, InterruptedException {
        Path agent = Fixture.tempDir("hotrestart-remote-agent").resolve("agent.jar");
        Process write = new ProcessBuilder(DapClient.javaExe(), "-jar", DapClient.serverJar().toString(), "--write-agent", agent.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, write.waitFor());
        String r = root.toString();
        String script = "mount -t tmpfs tmpfs " + r + " && mkdir -p " + r + "/app && cp -r " + f.classes + " " + r + "/app/classes"
                + " && cp " + Fixture.annotationsJar() + " " + r + "/app/annotations.jar && cp " + agent + " " + r + "/app/agent.jar"
                + " && exec " + Fixture.debuggeeJavaHome().resolve("bin/java") + " -javaagent:" + r + "/app/agent.jar"
                + " -agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=0.0.0.0:5005"
                + " -cp " + r + "/app/classes:" + r + "/app/annotations.jar shop.Service";
        Ticker t = Ticker.listening(new ProcessBuilder("ip", "netns", "exec", host.name, "sh", "-c", script).redirectErrorStream(true).start());
        assertFalse(Files.exists(root.resolve("app")), "the host's files are not visible here");
        return t;
    }
}
