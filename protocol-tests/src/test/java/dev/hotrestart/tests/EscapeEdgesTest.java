package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Escapes at the edges: stepping from a stop, main as the target, old code still running, refusals. */
class EscapeEdgesTest {
    static final String LAYOUTS = "layouts/Layouts.java";

    /** A step from an escape stop follows the exception to where it is caught, in both detectors. */
    @ParameterizedTest
    @CsvSource({"handler,next", "throw,next", "handler,stepIn"})
    void aStepFromAnEscapeStopGoesWhereTheExceptionIsCaught(String stopAt, String step) throws Exception {
        Fixture f = Fixture.shared("hot");
        try (Session s = Session.start(f, "layouts.Layouts").with("args", List.of("callerCatches")).with("stopAt", stopAt)) {
            int tid = s.launchUntilEscape();
            s.dap.ok(step, Map.of("threadId", tid));
            s.stopped("step");
            JsonObject top = s.topFrame(tid);
            assertEquals("Layouts.run(String)", top.get("name").getAsString(), "not back in the method the exception left: " + top);
            assertEquals(f.line(LAYOUTS, "return \"caller caught") - 1, top.get("line").getAsInt(), "the catch line");
            s.continueThread(tid);
            s.assertExit(0);
        }
    }

    /**
     * A wrapped main escaped: it has no caller to pop to, so the agent's handler calls it again,
     * the newest version, with the program's arguments. It stops at main's first line; the
     * program then finishes with the fix.
     */
    @Test
    void aWrappedMainRestartsWithItsArguments() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.MainFails").with("args", List.of("once"))) {
            int tid = s.launchUntilEscape();
            f.edit("shop/MainFails.java", "throw new IllegalStateException(\"main failed\");",
                    "System.out.println(\"fixed, args=\" + String.join(\",\", args));");
            JsonObject body = s.dap.ok("restartFrameWithReload", Map.of("threadId", tid));
            assertEquals("MainFails.main(String[])", body.get("restarted").getAsString());
            s.stopped("restart");
            JsonObject top = s.topFrame(tid);
            assertEquals("MainFails.main(String[])", top.get("name").getAsString());
            assertEquals(f.line("shop/MainFails.java", "System.out.println(\"started\");"), top.get("line").getAsInt());
            s.continueThread(tid);
            s.assertExit(0);
            assertEquals(2, s.dap.stdout().split("started", -1).length - 1, s.dap.stdout());
            assertTrue(s.dap.stdout().contains("fixed, args=once"), s.dap.stdout());
        }
    }

    /** continue on an escape from a wrapped main re-runs it too, with the edits. */
    @Test
    void continueOnAnEscapeFromAWrappedMainReRunsIt() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.MainFails")) {
            int tid = s.launchUntilEscape();
            f.edit("shop/MainFails.java", "throw new IllegalStateException(\"main failed\");", "System.out.println(\"fixed\");");
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("fixed"), s.dap.stdout());
        }
    }

    /**
     * Without the agent, main has no caller to return to: continue is refused with the reason,
     * also on stderr, and the thread stays stopped where it was; propagateException then lets the
     * exception go on.
     */
    @Test
    void continueOnAnEscapeFromMainIsRefusedWithoutTheAgentAndPropagateLetsItGo() throws Exception {
        Fixture f = Fixture.shared("hot");
        try (Session s = Session.start(f, "shop.MainFails").with("stopAt", "throw")) {
            int tid = s.launchUntilEscape();
            String msg = s.dap.error("continue", Map.of("threadId", tid));
            assertTrue(msg.contains("bottom frame") && msg.contains("propagateException"), msg);
            assertTrue(s.dap.sawEvent("output", b -> b.get("category").getAsString().equals("stderr")
                    && b.get("output").getAsString().contains("bottom frame"), 5000), s.dap.allEvents().toString());
            assertEquals("⟳ MainFails.main(String[])", EscapeTest.findTarget(s, tid).get("name").getAsString(), "still stopped");
            s.dap.ok("propagateException", Map.of("threadId", tid));
            s.assertExit(1);
            assertTrue(s.dap.stderr().contains("main failed"), s.dap.stderr());
        }
    }

    /** A nested exception type in propagatedExceptions, written as in source. */
    @ParameterizedTest
    @CsvSource({"handler,MainFails.Quit", "throw,shop.MainFails.Quit", "handler,Quit"})
    void aNestedExceptionTypeCanBePropagated(String stopAt, String name) throws Exception {
        Fixture f = Fixture.shared("hot");
        try (Session s = Session.start(f, "shop.MainFails").with("args", List.of("quit")).with("stopAt", stopAt)
                .with("propagatedExceptions", List.of(name))) {
            s.launch();
            s.assertExit(1);
            assertTrue(s.dap.stderr().contains("quit now"), s.dap.stderr());
            assertFalse(s.dap.allEvents().toString().contains("\"reason\":\"exception\""), "no stop");
        }
    }

    /** A wrapped enum's valueOf is the compiler's: a caught bad name does not stop. */
    @ParameterizedTest
    @CsvSource({"handler", "throw"})
    void aWrappedEnumsValueOfNeverStops(String stopAt) throws Exception {
        try (Session s = Session.start(Fixture.shared("hot"), "shop.Color").with("stopAt", stopAt)) {
            s.launch();
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("parsed RED 2"), s.dap.stdout());
        }
    }

    /**
     * After the innermost call of a recursion is fixed and restarted, an outer call still runs
     * the old code and fails: that stop names the method, and continue restarts it on the new code.
     */
    @ParameterizedTest
    @CsvSource({"handler", "throw"})
    void anOuterFrameOnOldCodeStopsByNameAndRestartsOnTheNewCode(String stopAt) throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Depth").with("stopAt", stopAt)) {
            int tid = s.launchUntilEscape();
            f.edit("shop/Depth.java", "int version = 0;", "int version = 1;");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            JsonObject again = s.stopped("exception");
            assertTrue(s.exceptionSentence(again).contains("outer v0 at 2")
                    && s.exceptionSentence(again).contains("escaped Depth.down(int)"), again.toString());
            assertEquals("⟳ Depth.down(int)", EscapeTest.findTarget(s, s.threadOf(again)).get("name").getAsString());
            s.continueThread(s.threadOf(again));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("depth 2"), s.dap.stdout());
        }
    }

    /** A change the JVM refuses though no check caught it: the thread stays where it was, nothing is popped. */
    @ParameterizedTest
    @CsvSource({"handler", "throw"})
    void aSwapTheJvmRefusesLeavesTheThreadWhereItWas(String stopAt) throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Cycle").with("stopAt", stopAt)) {
            int tid = s.launchUntilEscape();
            int framesBefore = s.frames(tid).size();
            f.edit("shop/Cycle.java", "public class Cycle", "public final class Cycle");
            String msg = s.dap.error("restartFrameWithReload", Map.of("threadId", tid, "scope", "class"));
            assertTrue(msg.contains("refused") && msg.contains("old code"), msg);
            assertEquals(framesBefore, s.frames(tid).size(), "nothing was popped");
            assertEquals("⟳ Cycle.step()", EscapeTest.findTarget(s, tid).get("name").getAsString());
            f.edit("shop/Cycle.java", "public final class Cycle", "public class Cycle");
            f.edit("shop/Cycle.java", "String version = \"v0\";", "String version = \"done\";");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("cycle done"), s.dap.stdout());
        }
    }

    /** A constructor frame restarts with its whole file reloaded (a constructor has no name to splice by). */
    @org.junit.jupiter.api.Test
    void aConstructorFrameRestartsWithItsFileReloaded() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Made")) {
            s.launch(Map.of("shop/Made.java", new int[]{f.line("shop/Made.java", "BP_MADE")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            s.setBreakpoints("shop/Made.java");
            f.edit("shop/Made.java", "\"made v0\"", "\"made v1\"");
            JsonObject body = s.dap.ok("restartFrameWithReload", Map.of("frameId", s.topFrame(tid).get("id").getAsInt(), "resume", true));
            assertEquals("Made.<init>(String)", body.get("restarted").getAsString(), body.toString());
            assertEquals("[\"shop.Made.<init>(String)\"]", body.get("reloaded").toString());
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("made v1 x"), s.dap.stdout());
        }
    }

    /** The same class in two class loaders: a reload in the second copy's thread reloads that copy too. */
    @ParameterizedTest
    @CsvSource({"handler", "throw"})
    void eachClassLoadersCopyIsReloadedWhenItsFrameRestarts(String stopAt) throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.TwoLoaders").with("stopAt", stopAt)) {
            int tid = s.launchUntilEscape();
            f.edit("shop/Twin.java", "String version = \"v0\";", "String version = \"v1\";");
            s.continueThread(tid); // reload the first copy and run it again
            s.dap.awaitStdout("twin first v1");
            JsonObject second = s.stopped("exception"); // the second loader read the old class file
            assertTrue(s.exceptionSentence(second).contains("second v0"), second.toString());
            s.continueThread(s.threadOf(second));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("twin second v1"), s.dap.stdout());
        }
    }

    /**
     * A wrapped method whose code the handler would push past the JVM's 64 KB limit cannot be
     * wrapped: the console says so, and the class's other wrapped methods still stop.
     */
    @Test
    void aMethodTooLargeToWrapIsNamedAndTheOthersStillStop() throws Exception {
        int size = largestThatCompiles();
        Fixture f = Fixture.generated("huge", Map.of("huge/Main.java", huge(size)));
        try (Session s = Session.start(f, "huge.Main")) {
            int tid = s.launchUntilEscape();
            assertTrue(s.topFrame(tid).get("name").getAsString().endsWith("Main.small()"), s.topFrame(tid).toString());
            String err = s.dap.stderr();
            assertTrue(err.contains("hotrestart: cannot wrap huge.Main.huge: its code is"), err);
            assertTrue(err.contains("over the JVM's limit of 65,535"), err);
            assertTrue(s.dap.stdout().contains("huge failed, caught by main"), "huge() was not wrapped, so its escape did not stop");
            s.dap.ok("propagateException", Map.of("threadId", tid));
            s.assertExit(1);
        }
    }

    private static String huge(int elements) {
        StringBuilder b = new StringBuilder("package huge;\n\npublic class Main {\n")
                .append("    @dev.hotrestart.HotRestart\n    static int huge() {\n        int[] a = {");
        for (int i = 0; i < elements; i++) b.append(i % 40 == 0 ? "\n            " : "").append("1,");
        return b.append("};\n        if (a.length > 0) throw new IllegalStateException(\"huge failed\");\n        return a.length;\n    }\n\n")
                .append("    @dev.hotrestart.HotRestart\n    static void small() {\n        throw new IllegalStateException(\"small failed\");\n    }\n\n")
                .append("    public static void main(String[] args) {\n        try {\n            huge();\n")
                .append("        } catch (IllegalStateException e) {\n            System.out.println(e.getMessage() + \", caught by main\");\n        }\n")
                .append("        small();\n    }\n}\n").toString();
    }

    /** The most array elements huge() can have and still compile: its code then ends within a few bytes of 64 KB. */
    private static int largestThatCompiles() throws Exception {
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        java.nio.file.Path dir = Fixture.tempDir("hotrestart-huge-");
        int lo = 5_000, hi = 12_000; // lo compiles, hi does not (6 bytes of code an element)
        try {
            while (hi - lo > 1) {
                int mid = (lo + hi) / 2;
                java.nio.file.Path src = dir.resolve("Main.java");
                java.nio.file.Files.writeString(src, huge(mid).replace("@dev.hotrestart.HotRestart\n", "\n"));
                int rc = javac.run(null, null, java.io.OutputStream.nullOutputStream(), "-d", dir.toString(), src.toString());
                if (rc == 0) lo = mid;
                else hi = mid;
            }
        } finally {
            Fixture.deleteTree(dir);
        }
        return lo;
    }
}
