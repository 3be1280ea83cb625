package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fix the method, reload, run it again: the hot restart cycle and everything that can go wrong in it. */
class ReloadTest {
    static final String V = "shop/Versions.java";
    static final String FIX_FROM = "if (y > 0) {";
    static final String FIX_TO = "if (y < 0) {";

    static Session versions(Fixture f) throws Exception {
        return Session.start(f, "shop.Versions");
    }

    @Test
    void continueReloadsTheEditedMethodAndRunsItAgainWithTheSameState() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = versions(f)) {
            int tid = s.launchUntilEscape();
            f.edit(V, FIX_FROM, FIX_TO);
            s.continueThread(tid);
            s.assertExit(0);
            // attempts=2: the static state from the first call survived the restart
            assertTrue(s.dap.stdout().contains("answer=21 label=v1 attempts=2"), s.dap.stdout());
        }
    }

    @Test
    void restartWithoutResumeStopsAtTheFirstLineOfTheEditedMethodAndBreakpointsStillHit() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = versions(f)) {
            int tid = s.launchUntilEscape();
            // the edit moves the method down three lines and fixes it
            f.edit(V, "    static String label() {", "    // one\n    // two\n    // three\n    static String label() {");
            f.edit(V, FIX_FROM, FIX_TO);
            JsonObject body = s.dap.ok("restartFrameWithReload", Map.of("threadId", tid));
            assertEquals(List.of("shop.Versions.answer(int)"), DapClient.GSON.fromJson(body.get("reloaded"), List.class));
            assertEquals("Versions.answer(int)", body.get("restarted").getAsString());
            JsonObject stop = s.stopped("restart");
            JsonObject top = s.topFrame(s.threadOf(stop));
            assertEquals("Versions.answer(int)", top.get("name").getAsString());
            assertEquals(f.line(V, "attempts++"), top.get("line").getAsInt(), "line numbers follow the edited file");
            assertEquals("20", s.locals(top.get("id").getAsInt()).get("x"));
            int returnLine = f.line(V, "return y;");
            var bps = s.setBreakpoints(V, returnLine);
            assertTrue(bps.get(0).getAsJsonObject().get("verified").getAsBoolean(), bps.toString());
            s.continueThread(tid);
            JsonObject hit = s.stopped("breakpoint");
            assertEquals(returnLine, s.topFrame(s.threadOf(hit)).get("line").getAsInt());
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("answer=21"), s.dap.stdout());
        }
    }

    @ParameterizedTest
    @CsvSource({"method,v1", "class,v2"})
    void methodScopeLeavesOtherEditsOfTheFileAlone(String scope, String label) throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = versions(f)) {
            int tid = s.launchUntilEscape();
            f.edit(V, "return \"v1\";", "return \"v2\";");
            f.edit(V, FIX_FROM, FIX_TO);
            JsonObject body = s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "scope", scope, "resume", true));
            List<?> reloaded = DapClient.GSON.fromJson(body.get("reloaded"), List.class);
            assertTrue(reloaded.contains("shop.Versions.answer(int)"), reloaded.toString());
            assertEquals(scope.equals("class"), reloaded.contains("shop.Versions.label()"), reloaded.toString());
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("answer=21 label=" + label), s.dap.stdout());
        }
    }

    @Test
    void reloadOnContinueFalseRerunsTheOldCode() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = versions(f).with("reloadOnContinue", false)) {
            int tid = s.launchUntilEscape();
            f.edit(V, FIX_FROM, FIX_TO);
            s.continueThread(tid);
            JsonObject again = s.stopped("exception");
            assertTrue(s.exceptionSentence(again).contains("not yet: 21"), again.toString());
            s.dap.ok("restartFrameWithReload", Map.of("threadId", s.threadOf(again), "resume", true));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("answer=21 label=v1 attempts=3"), s.dap.stdout());
        }
    }

    @Test
    void continueActionPropagateLetsTheExceptionGo() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = versions(f).with("continueAction", "propagate")) {
            int tid = s.launchUntilEscape();
            f.edit(V, FIX_FROM, FIX_TO);
            s.continueThread(tid);
            s.assertExit(1);
            assertTrue(s.dap.stderr().contains("IllegalStateException: not yet: 21"), s.dap.stderr());
        }
    }

    @Test
    void aCompileErrorIsReportedAndLosesNothing() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = versions(f)) {
            int tid = s.launchUntilEscape();
            // a syntax error, then a type error: both name the file and line of the edited file
            f.edit(V, "int y = x + 1;", "int y = x + ;");
            int badLine = f.line(V, "int y = x + ;");
            JsonObject failed = s.dap.request("restartFrameWithReload", Map.of("threadId", tid));
            assertFalse(failed.get("success").getAsBoolean());
            assertFalse(failed.getAsJsonObject("body").getAsJsonObject("error").get("showUser").getAsBoolean(),
                    "the VS Code extension shows the diagnostics itself: no second notification");
            String msg = failed.get("message").getAsString();
            assertTrue(msg.contains("does not compile") && msg.contains(f.file(V) + ":" + badLine + ":"), msg);
            assertEquals(1400, DapClient.errorId(failed), "a compile error carries its id (COMPILE_ERROR): " + failed);
            f.edit(V, "int y = x + ;", "    \n        int y = x + \"one\";");
            badLine = f.line(V, "int y = x + \"one\";");
            msg = s.dap.error("restartFrameWithReload", Map.of("threadId", tid), 1400);
            assertTrue(msg.contains(f.file(V) + ":" + badLine + ":") && msg.contains("incompatible types"), msg);
            f.edit(V, "    \n        int y = x + \"one\";", "int y = x + ;");
            assertTrue(s.dap.sawEvent("output", b -> b.get("category").getAsString().equals("stderr")
                    && b.get("output").getAsString().contains("does not compile"), 5000));
            // still stopped where it was, same restart target
            assertEquals("⟳ Versions.answer(int)", EscapeTest.findTarget(s, tid).get("name").getAsString());
            f.edit(V, "int y = x + ;", "int y = x + 1;");
            f.edit(V, FIX_FROM, FIX_TO);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("answer=21"), s.dap.stdout());
        }
    }

    /** The next reloadDiagnostics event (after those already taken) that matches: one sent after the action, not before. */
    static JsonObject reloadDiagnostics(Session s, java.util.function.Predicate<JsonObject> which) {
        return s.dap.event("reloadDiagnostics", which);
    }

    /**
     * continue on an escape whose reload fails: the error says why, and the thread, still stopped
     * where it was, is announced stopped again (clients mark a thread running when they send
     * continue); a continue after the fix re-runs the method.
     */
    @Test
    void aContinueWhoseReloadFailsLeavesTheThreadStoppedAndSaysSo() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = versions(f)) {
            int tid = s.launchUntilEscape();
            f.edit(V, "int y = x + 1;", "int y = x + ;");
            String msg = s.dap.error("continue", Map.of("threadId", tid), 1400);
            assertTrue(msg.contains("does not compile"), msg);
            JsonObject d = reloadDiagnostics(s, b -> b.getAsJsonArray("diagnostics").size() > 0);
            assertEquals(f.file(V).toString(), d.getAsJsonArray("diagnostics").get(0).getAsJsonObject().get("path").getAsString());
            JsonObject again = s.stopped("exception");
            assertEquals(tid, s.threadOf(again));
            assertEquals("⟳ Versions.answer(int)", EscapeTest.findTarget(s, tid).get("name").getAsString());
            f.edit(V, "int y = x + ;", "int y = x + 1;");
            f.edit(V, FIX_FROM, FIX_TO);
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("answer=21"), s.dap.stdout());
        }
    }

    /**
     * A syntax error reads as javac says it (not as the parser found it), at the saved file's line;
     * editors also get it as a diagnostic, which the next good reload clears.
     */
    @Test
    void aSyntaxErrorReadsInJavacsWordsAndReachesEditorsAsADiagnostic() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = versions(f)) {
            int tid = s.launchUntilEscape();
            f.edit(V, "return \"v1\";", "return \"v1\" +;");
            int bad = f.line(V, "return \"v1\" +;");
            JsonObject failed = s.dap.request("reloadClass", Map.of("source", Map.of("path", f.file(V).toString())));
            assertEquals(1400, DapClient.errorId(failed), failed.toString());
            String msg = failed.get("message").getAsString();
            assertTrue(msg.contains(f.file(V) + ":" + bad + ":") && msg.contains("illegal start of expression"), msg);
            assertFalse(msg.contains("Parse error") || msg.contains("expected one of"), msg);
            JsonObject d = reloadDiagnostics(s, b -> b.getAsJsonArray("diagnostics").size() > 0).getAsJsonArray("diagnostics")
                    .get(0).getAsJsonObject();
            assertEquals(f.file(V).toString(), d.get("path").getAsString());
            assertEquals(bad, d.get("line").getAsInt());
            assertTrue(d.get("message").getAsString().contains("illegal start of expression"), d.toString());
            f.edit(V, "return \"v1\" +;", "return \"v1\";");
            f.edit(V, FIX_FROM, FIX_TO);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            reloadDiagnostics(s, b -> b.getAsJsonArray("diagnostics").size() == 0 && !b.has("errorId"));
            s.assertExit(0);
        }
    }

    /**
     * A method-scope reload of a method that uses what another edit of the file adds: the user
     * never reads that a file which compiles does not compile. A new helper method is named as the
     * change the JVM cannot swap; an edit the JVM can take (a method no longer declaring an
     * exception) is a matter of scope; javac's whole diagnostic (symbol:, location:) is kept where
     * the file as saved does not compile.
     */
    @Test
    void aMethodNeedingOtherEditsIsToldTruthfully() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = versions(f)) {
            int tid = s.launchUntilEscape();
            // the method needs the class to implement Runnable: the file compiles, and that is what cannot be swapped
            f.edit(V, "public class Versions {", "public class Versions implements Runnable {");
            f.edit(V, "    static int unused() {", "    public void run() {\n    }\n\n    static int unused() {");
            f.edit(V, "int y = x + 1;", "Runnable r = this;\n        int y = x + 1;");
            JsonObject r = s.dap.request("restartFrameWithReload", Map.of("threadId", tid));
            assertTrue(r.has("message"), r.toString());
            String msg = r.get("message").getAsString();
            assertEquals(1404, DapClient.errorId(r), msg);
            assertFalse(msg.contains("does not compile"), msg);
            assertTrue(msg.contains("Runnable") && msg.contains("needs other edits"), msg);
            f.edit(V, "public class Versions implements Runnable {", "public class Versions {");
            f.edit(V, "    public void run() {\n    }\n\n", "");
            f.edit(V, "Runnable r = this;\n        int y = x + 1;", "int y = x + 1;");

            // a new helper comes with the method; another new method the method does not use waits
            f.edit(V, "    static int unused() {", "    static int helper(int v) {\n        return v;\n    }\n\n"
                    + "    static int other() {\n        return 2;\n    }\n\n    static int unused() {");
            f.edit(V, "int y = x + 1;", "int y = helper(x) + 1;");
            JsonObject body = s.dap.ok("restartFrameWithReload", Map.of("threadId", tid));
            assertEquals(List.of("shop.Versions.answer(int)", "shop.Versions.helper(int)"),
                    DapClient.GSON.fromJson(body.get("reloaded"), List.class));
            tid = s.threadOf(s.stopped("restart"));
            int frame = s.topFrame(tid).get("id").getAsInt(); // stopped at the re-run's first line: the frame is the target

            f.edit(V, "int y = helper(x) + 1;", "int y = nosuch(x) + 1;");
            r = s.dap.request("restartFrameWithReload", Map.of("frameId", frame));
            msg = r.get("message").getAsString();
            assertEquals(1400, DapClient.errorId(r), msg);
            assertTrue(msg.contains("cannot find symbol") && msg.contains("symbol:") && msg.contains("nosuch(int)")
                    && msg.contains("location:"), msg);

            // the JVM runs an unused() that throws IOException; the edit takes that away and calls it unguarded
            f.edit(V, "    static int helper(int v) {\n        return v;\n    }\n\n    static int other() {\n        return 2;\n    }\n\n", "");
            f.edit(V, "int y = nosuch(x) + 1;", "int y = x + 1;");
            f.edit(V, "static int unused() {", "static int unused() throws java.io.IOException {");
            s.dap.ok("reloadClass", Map.of("source", Map.of("path", f.file(V).toString())));
            f.edit(V, "static int unused() throws java.io.IOException {", "static int unused() {");
            f.edit(V, "int y = x + 1;", "int y = unused() * 0 + x + 1;");
            r = s.dap.request("restartFrameWithReload", Map.of("frameId", frame));
            assertTrue(r.has("message"), r.toString());
            msg = r.get("message").getAsString();
            assertEquals(1407, DapClient.errorId(r), msg);
            assertTrue(msg.contains("scope \"class\"") && msg.contains("IOException") && !msg.contains("does not compile"), msg);
            f.edit(V, FIX_FROM, FIX_TO);
            s.dap.ok("restartFrameWithReload", Map.of("frameId", frame, "scope", "class", "resume", true));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("answer=21"), s.dap.stdout());
        }
    }

    /** Changes the JVM cannot swap are named before anything changes; the old code keeps running. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "class|    static String label() {|    static synchronized String label() {|the modifiers of shop.Versions.label() changed",
            "class|public class Versions {|public class Versions implements java.io.Serializable {|a hierarchy change"})
    void structuralChangesAreRefusedWithTheirName(String scope, String from, String to, String expected) throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = versions(f)) {
            int tid = s.launchUntilEscape();
            String original = f.read(V);
            f.edit(V, from.replace("\\n", "\n"), to == null ? "" : to.replace("\\n", "\n"));
            f.edit(V, FIX_FROM, FIX_TO);
            String msg = s.dap.error("restartFrameWithReload", Map.of("threadId", tid, "scope", scope, "resume", true));
            assertTrue(msg.contains(expected), msg);
            assertTrue(msg.contains("restart"), "says what would work: " + msg);
            // nothing changed: the old code still fails when continued without reload
            f.write(V, original);
            f.edit(V, FIX_FROM, FIX_TO);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("answer=21"), s.dap.stdout());
        }
    }

    @Test
    void theBottomFrameCannotBeRestarted() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = versions(f)) {
            int tid = s.launchUntilEscape();
            var frames = s.frames(tid);
            JsonObject main = frames.get(frames.size() - 1).getAsJsonObject();
            assertEquals("Versions.main(String[])", main.get("name").getAsString());
            assertEquals(false, main.get("canRestart").getAsBoolean());
            String msg = s.dap.error("restartFrame", Map.of("frameId", main.get("id").getAsInt()));
            assertTrue(msg.contains("bottom frame"), msg);
            assertTrue(msg.contains("Versions.answer(int)"), "suggests the nearest wrapped frame: " + msg);
            // the session goes on
            assertEquals("⟳ Versions.answer(int)", EscapeTest.findTarget(s, tid).get("name").getAsString());
        }
    }

    @Test
    void restartFrameReentersWithoutReloading() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = versions(f)) {
            int tid = s.launchUntilEscape();
            JsonObject target = EscapeTest.findTarget(s, tid);
            s.dap.ok("restartFrame", Map.of("frameId", target.get("id").getAsInt()));
            JsonObject stop = s.stopped("restart");
            assertEquals(f.line(V, "attempts++"), s.topFrame(s.threadOf(stop)).get("line").getAsInt());
        }
    }

    @Test
    void aLambdaInsideTheWrappedMethodReloads() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "layouts.Layouts").with("args", List.of("lambda"))) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            assertTrue(s.exceptionSentence(stop).endsWith("escaped Layouts.withLambda()"), stop.toString());
            f.edit("layouts/Layouts.java", "x -> x / 0", "x -> x / 2");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", s.threadOf(stop), "resume", true));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("result=lambda 3"), s.dap.stdout());
        }
    }

    @Test
    void recursionRestartsTheInnermostFrameAndTheOuterOnesCarryOn() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "layouts.Layouts").with("args", List.of("recursion"))) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            int tid = s.threadOf(stop);
            int callLine = f.line("layouts/Layouts.java", "return countdown(n - 1) + 1;");
            // the fix moves the lines below it down by one
            f.edit("layouts/Layouts.java", "            fail(\"bottom\");", "            // fixed\n            return 0;");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", false));
            s.stopped("restart");
            JsonArray frames = s.frames(tid);
            assertEquals("Layouts.countdown(int)", frames.get(0).getAsJsonObject().get("name").getAsString(), frames.toString());
            // the three outer frames still run the old code: they stand at the recursive call of the old text
            for (int i = 1; i <= 3; i++) {
                JsonObject outer = frames.get(i).getAsJsonObject();
                assertEquals("Layouts.countdown(int)", outer.get("name").getAsString(), outer.toString());
                assertEquals("Layouts.java (older version)", outer.getAsJsonObject("source").get("name").getAsString(), outer.toString());
                assertEquals(callLine, outer.get("line").getAsInt(), outer.toString());
            }
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("result=3"), s.dap.stdout());
        }
    }

    @Test
    void aHundredReloadCyclesInOneSession() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Cycle")) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            for (int k = 1; k <= 100; k++) stop = cycle(s, f, stop, "v" + (k - 1), "v" + k);
            finishCycles(s, f, stop, "v100");
        }
    }

    /** Shop.Cycle: edits its version from {@code from} to {@code to}, reloads, and sees the new version escape. */
    static JsonObject cycle(Session s, Fixture f, JsonObject stop, String from, String to) throws Exception {
        f.edit("shop/Cycle.java", "\"" + from + "\";", "\"" + to + "\";");
        s.dap.ok("restartFrameWithReload", Map.of("threadId", s.threadOf(stop), "resume", true));
        JsonObject next = s.stopped("exception");
        assertTrue(s.exceptionSentence(next).startsWith("java.lang.IllegalStateException: " + to + " escaped"),
                "after the reload of " + to + ": " + next);
        return next;
    }

    /** Shop.Cycle: the version that works, reloaded; the program ends. */
    static void finishCycles(Session s, Fixture f, JsonObject stop, String from) throws Exception {
        f.edit("shop/Cycle.java", "\"" + from + "\";", "\"done\";");
        s.dap.ok("restartFrameWithReload", Map.of("threadId", s.threadOf(stop), "resume", true));
        s.assertExit(0);
        assertTrue(s.dap.stdout().contains("cycle done"), s.dap.stdout());
    }

    /**
     * From 250 ms into an escape stop the adapter practises the reload in the background (plans
     * it from the file and throws the plan away, so the reload the user is editing for finds its
     * code quick). Reloads made while it does, an edit that does not compile among them, report
     * and run what the user wrote.
     */
    @Test
    void reloadsWhileJavacPractisesReportAndRunTheEdit() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Cycle")) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            Thread.sleep(400);
            f.edit("shop/Cycle.java", "\"v0\";", "\"v1\" + ;");
            String msg = s.dap.error("restartFrameWithReload", Map.of("threadId", s.threadOf(stop), "resume", true));
            assertTrue(msg.contains("does not compile") && msg.contains(f.file("shop/Cycle.java") + ":"), msg);
            f.edit("shop/Cycle.java", "\"v1\" + ;", "\"v0\";");
            for (int k = 1; k <= 3; k++) {
                Thread.sleep(400);
                stop = cycle(s, f, stop, "v" + (k - 1), "v" + k);
            }
            Thread.sleep(400);
            finishCycles(s, f, stop, "v3");
        }
    }

    /** The build rebuilt the class file before the reload (compile on save): the JVM still gets the new code. */
    @Test
    void aReloadAfterTheBuildRewroteTheClassFileStillSwapsTheCode() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Cycle")) {
            int tid = s.launchUntilEscape();
            f.edit("shop/Cycle.java", "String version = \"v0\";", "String version = \"done\";");
            Thread.sleep(20); // a file time after the launch, whatever the file system's resolution
            int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-g", "--release", "17",
                    "-cp", f.classPath(), "-d", f.classes.toString(), f.file("shop/Cycle.java").toString());
            assertEquals(0, rc);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("cycle done"), s.dap.stdout());
        }
    }
}
