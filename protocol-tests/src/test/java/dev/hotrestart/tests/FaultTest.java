package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            JsonObject r = killedDuring(s, "evaluate", "{\"expression\":\"java.lang.Thread.sleep(60000)\",\"frameId\":" + frame
                    + ",\"context\":\"repl\"}", 500);
            assertFalse(r.get("success").getAsBoolean(), r.toString());
        }
    }

    /** The program dies while a reload is under way: the reload is answered, truthfully, and the session ends. */
    @Test
    void aDebuggeeKilledDuringAReloadAnswersItAndEndsTheSession() throws Exception {
        Fixture f = Fixture.of("basic");
        try (Session s = Session.start(f, "demo.Basic")) {
            s.launch(Map.of("demo/Basic.java", new int[]{f.line("demo/Basic.java", "BP_ADD")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            int frame = s.topFrame(tid).get("id").getAsInt();
            f.edit("demo/Basic.java", "int c = a + b; // BP_ADD", "int c = a + b + 0; // BP_ADD");
            // killed 20 ms in: javac compiles the file then (a warm reload takes 20-30 ms here, this first one more)
            JsonObject r = killedDuring(s, "restartFrameWithReload", "{\"threadId\":" + tid + ",\"frameId\":" + frame + "}", 20);
            if (!r.get("success").getAsBoolean()) {
                String msg = r.get("message").getAsString();
                assertFalse(msg.contains("does not compile"), "the edit compiles; the program ended: " + msg);
                assertTrue(msg.contains("no longer connected"), "says the program is gone: " + msg);
            }
        }
    }

    /** The program dies while a page of a large array is read: the page is answered, the session ends. */
    @Test
    void aDebuggeeKilledDuringAVariablesPageAnswersItAndEndsTheSession() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            s.launch(Map.of("demo/Basic.java", new int[]{BASIC.line("demo/Basic.java", "BP_ADD")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            int frame = s.topFrame(tid).get("id").getAsInt();
            JsonObject big = s.dap.ok("evaluate", Map.of("expression", "new long[500000]", "frameId", frame, "context", "repl"));
            int ref = big.get("variablesReference").getAsInt();
            assertTrue(ref > 0, big.toString());
            killedDuring(s, "variables", "{\"variablesReference\":" + ref + ",\"start\":0,\"count\":500000}", 0);
        }
    }

    /**
     * Sends a request (seq 7,000,000), kills the program {@code delayMs} later, and checks what a
     * user would: the request is answered within seconds, the session ends, no JVM is left.
     */
    private static JsonObject killedDuring(Session s, String command, String arguments, long delayMs) throws Exception {
        long seq = 7_000_000;
        List<ProcessHandle> jvms = s.dap.process().descendants().toList();
        assertFalse(jvms.isEmpty(), "the program runs under the adapter");
        s.dap.sendRaw("{\"seq\":" + seq + ",\"type\":\"request\",\"command\":\"" + command + "\",\"arguments\":" + arguments + "}");
        if (delayMs > 0) Thread.sleep(delayMs);
        long t0 = System.nanoTime();
        for (ProcessHandle p : jvms) p.destroyForcibly();
        JsonObject r = s.dap.responseTo(seq);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 5_000, command + " answered " + ms + " ms after the program died: " + r);
        s.dap.event("terminated");
        assertTrue(s.dap.process().descendants().findAny().isEmpty(), "no JVM left");
        assertTrue(s.dap.process().isAlive(), "the adapter lives until the client disconnects");
        return r;
    }

    /** The JVM itself crashes: the user reads that it did and where its report is; the session ends. */
    @Test
    void aCrashingJvmEndsTheSessionWithItsReportNamed() throws Exception {
        Fixture hog = Fixture.generated("hog", Map.of("crash/Hog.java", """
                package crash;
                public class Hog {
                    public static void main(String[] args) {
                        java.util.List<long[]> all = new java.util.ArrayList<>();
                        System.out.println("eating");
                        while (true) all.add(new long[1 << 16]);
                    }
                }
                """));
        try (Session s = Session.start(hog, "crash.Hog")) {
            s.with("vmArgs", "-Xmx32m -XX:+CrashOnOutOfMemoryError");
            s.launch();
            int code = s.exitCode();
            assertEquals(134, code, "the JVM aborts on a fatal error");
            String note = s.dap.allEvents().stream().map(Object::toString).filter(e -> e.contains("hotrestart: the program's JVM crashed"))
                    .findFirst().orElse(s.dap.allEvents().toString());
            List<Path> reports;
            try (var files = Files.list(hog.root)) {
                reports = files.filter(p -> p.getFileName().toString().startsWith("hs_err_pid")).toList();
            }
            assertEquals(1, reports.size(), "the JVM wrote its report in its working folder: " + reports);
            Path report = reports.get(0);
            assertTrue(note.contains("Its crash report: " + report), "the adapter says the JVM crashed and where its report is: " + note);
            assertTrue(Files.isRegularFile(report));
            assertTrue(s.dap.process().descendants().findAny().isEmpty(), "no JVM left");
        }
    }

    /** The file a stopped method comes from is deleted: the session says so where it matters, and takes the file back. */
    @Test
    void aDeletedSourceFileIsNamedAndTheSessionGoesOnWhenItIsBack() throws Exception {
        Fixture f = Fixture.of("basic");
        String file = "demo/Basic.java";
        try (Session s = Session.start(f, "demo.Basic")) {
            int line = f.line(file, "BP_ADD");
            s.launch(Map.of(file, new int[]{line}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            String text = f.read(file);
            java.nio.file.Files.delete(f.file(file));

            JsonObject top = s.topFrame(tid);
            assertEquals("Basic.add(int, int)", top.get("name").getAsString(), "the stack is still shown");
            String refused = s.dap.error("restartFrameWithReload", Map.of("threadId", tid, "frameId", top.get("id").getAsInt()));
            assertTrue(refused.contains(f.file(file) + ", is gone: it was deleted, moved or renamed"),
                    "names the missing file: " + refused);
            assertFalse(refused.contains("does not compile"), refused);
            JsonObject bp = s.setBreakpoints(file, line).get(0).getAsJsonObject();
            assertTrue(bp.get("verified").getAsBoolean(), "a breakpoint in the running code of the deleted file is set: " + bp);

            // back, but not readable as the UTF-8 the adapter reads: said so, nothing reloaded
            Files.write(f.file(file), text.replace("// BP_ADD", "// caf\u00e9 BP_ADD").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String unreadable = s.dap.error("restartFrameWithReload", Map.of("threadId", tid, "frameId", s.topFrame(tid).get("id").getAsInt()));
            assertTrue(unreadable.contains("Cannot read " + f.file(file) + " (it is not UTF-8 text)") && unreadable.contains("unchanged"), unreadable);

            java.nio.file.Files.writeString(f.file(file), text.replace("int c = a + b; // BP_ADD", "int c = a + b + 10; // BP_ADD"));
            s.setBreakpoints(file);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "frameId", s.topFrame(tid).get("id").getAsInt(), "resume", true));
            s.assertExit(3);
            assertTrue(s.dap.stdout().contains("sum=36"), "the file back, its edit reloaded: " + s.dap.stdout());
        }
    }

    /** The cache folder cannot be made (a file is in its place; root ignores file modes): sessions work, a Maven launch says what it costs. */
    @Test
    void anUnwritableCacheFolderCostsOnlyTimeAndSaysSo() throws Exception {
        Fixture shop = Fixture.maven("shop", "lib", "app");
        Path notAFolder = Fixture.tempDir("hotrestart-cache-").resolve("file");
        Files.writeString(notAFolder, "a file where the cache folders should go");
        for (int round = 0; round < 2; round++) {
            try (Session s = ProjectClassPathTest.shopSession(shop, notAFolder)) {
                s.launch();
                s.assertExit(3);
                assertEquals("{\"total\":120}\n", s.dap.stdout(), "the program ran with the agent and Maven's class path");
                String note = s.dap.allEvents().stream().map(Object::toString).filter(e -> e.contains("from Maven in")).findFirst().orElse("none");
                assertTrue(note.contains("not kept: the cache folder " + notAFolder.resolve("hotrestart") + " cannot be written")
                        && note.contains("every launch asks Maven"), "round " + round + ": " + note);
            }
        }
        // the launcher script starts the adapter without its class-data archive
        try (Session s = Session.start(DapClient.viaScript(notAFolder), BASIC, "demo.Basic", Map.of())) {
            s.launch(Map.of("demo/Basic.java", new int[]{BASIC.line("demo/Basic.java", "BP_ADD")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            s.setBreakpoints("demo/Basic.java");
            s.continueThread(tid);
            s.assertExit(3);
        }
    }

    /**
     * A client that stops reading for 30 s while the program floods its output and then stops at
     * a breakpoint: nothing deadlocks, and when the client reads again every line, the stop and the
     * answer to the request it sent meanwhile arrive, in order; the session then goes on.
     */
    @Test
    void aClientThatStopsReadingFindsTheWholeSessionWhenItReadsAgain() throws Exception {
        int lines = 20_000;
        Fixture flood = Fixture.generated("flood", Map.of("flood/Flood.java", """
                package flood;
                public class Flood {
                    public static void main(String[] args) {
                        String pad = "x".repeat(100);
                        for (int i = 0; i < %d; i++) System.out.println("line " + i + " " + pad);
                        int done = %d; // BP_DONE
                        System.out.println("done " + done);
                    }
                }
                """.formatted(lines, lines)));
        try (Session s = Session.start(flood, "flood.Flood")) {
            s.launch(Map.of("flood/Flood.java", new int[]{flood.line("flood/Flood.java", "BP_DONE")}));
            s.dap.stopReadingFor(30_000);
            s.dap.sendRaw("{\"seq\":8000000,\"type\":\"request\",\"command\":\"threads\"}");
            Thread.sleep(30_000);
            int tid = s.threadOf(s.stopped("breakpoint"));
            assertTrue(s.dap.responseTo(8_000_000).get("success").getAsBoolean());
            String out = s.dap.stdout();
            for (int i = 0; i < lines; i += 997) {
                assertTrue(out.contains("line " + i + " x"), "line " + i + " arrived");
            }
            assertTrue(out.indexOf("line " + (lines - 1) + " ") > out.indexOf("line 0 "), "in order");
            assertEquals(lines, out.lines().filter(l -> l.startsWith("line ")).count(), "every line, once");
            List<JsonObject> events = s.dap.allEvents();
            int lastLine = -1, stop = -1;
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).toString().contains("line " + (lines - 1) + " x")) lastLine = i;
                if (events.get(i).get("event").getAsString().equals("stopped")) stop = i;
            }
            assertTrue(lastLine >= 0 && lastLine < stop, "what the program printed comes before its stop: " + lastLine + " < " + stop);
            assertEquals(flood.line("flood/Flood.java", "BP_DONE"), s.topFrame(tid).get("line").getAsInt());
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("done " + lines));
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
