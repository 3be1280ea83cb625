package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The hot restart requests around the main story: threads, warnings, reloadClass, errors. */
class RestartEdgesTest {
    static final String V = "shop/Versions.java";

    @Test
    void threadsStopAndRestartIndependently() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Threads")) {
            s.launch();
            JsonObject first = s.stopped("exception");
            JsonObject second = s.stopped("exception");
            int a = s.threadOf(first), b = s.threadOf(second);
            assertTrue(a != b);
            String doneFirst = s.exceptionSentence(first).contains("broken a") ? "done a" : "done b";
            f.edit("shop/Threads.java", "name.length() > 0", "name.length() < 0");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", a, "resume", true));
            s.dap.awaitStdout(doneFirst);
            // the other thread is still stopped on its exception, untouched
            assertEquals("⟳ Threads.work(String)", EscapeTest.findTarget(s, b).get("name").getAsString());
            s.continueThread(b); // reload finds nothing new, re-runs the fixed method
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("done a") && s.dap.stdout().contains("done b") && s.dap.stdout().contains("both done"),
                    s.dap.stdout());
        }
    }

    /**
     * A restart calls the wrapped method again with the arguments it was first called with, as
     * hot_restart does, however the method changed its parameters before it failed (an int
     * counted down, an object parameter set to null, a double zeroed).
     */
    @Test
    void aRestartReCallsWithTheOriginalArguments() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Countdown")) {
            int tid = s.launchUntilEscape();
            // the Variables view shows the parameters as the method left them
            Map<String, String> locals = s.locals(EscapeTest.findTarget(s, tid).get("id").getAsInt());
            assertEquals("0", locals.get("n"), locals.toString());
            assertEquals("null", locals.get("log"), locals.toString());
            assertEquals("0.0", locals.get("scale"), locals.toString());
            f.edit("shop/Countdown.java", "if (steps < 100) {", "if (steps < 0) {");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("steps=3 log:3x2.53x2.5"), s.dap.stdout());
            assertFalse(s.dap.allEvents().toString().contains("assigns to its parameter"), "no warning: the arguments are the originals");
        }
    }

    /** Without the agent a restart pops the frame, and the JVM keeps reassigned parameters: the user is warned. */
    @Test
    void reassigningAParameterWarnsWhereTheFrameIsPopped() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Versions").with("stopAt", "throw")) {
            int tid = s.launchUntilEscape();
            f.edit(V, "int y = x + 1;", "x = x * 2;\n        int y = x + 1;");
            f.edit(V, "if (y > 0) {", "if (y < 0) {");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            assertTrue(s.dap.sawEvent("output", b -> b.get("output").getAsString().contains("assigns to its parameter 'x'"), 5000));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("answer=41"), s.dap.stdout());
        }
    }

    @Test
    void reloadClassSwapsBodiesWithoutPoppingAndOldFramesShowTheirVersion() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Versions")) {
            int tid = s.launchUntilEscape();
            f.edit(V, "return \"v1\";", "return \"v2\";");
            f.edit(V, "\"not yet: \"", "\"still not: \"");
            JsonObject body = s.dap.ok("reloadClass", Map.of("source", Map.of("path", f.file(V).toString())));
            List<?> reloaded = DapClient.GSON.fromJson(body.get("reloaded"), List.class);
            assertTrue(reloaded.contains("shop.Versions.label()") && reloaded.contains("shop.Versions.answer(int)"), reloaded.toString());
            // the stopped frame still runs the old answer(int): its source is the old text
            JsonObject top = s.topFrame(tid);
            JsonObject src = top.getAsJsonObject("source");
            assertTrue(src.has("sourceReference") && src.get("sourceReference").getAsInt() > 0, top.toString());
            String old = s.dap.ok("source", Map.of("source", src, "sourceReference", src.get("sourceReference").getAsInt()))
                    .get("content").getAsString();
            assertTrue(old.contains("\"not yet: \"") && !old.contains("still not"), old);
            String line = old.split("\n", -1)[top.get("line").getAsInt() - 1];
            assertTrue(line.contains("throw new IllegalStateException(\"not yet: \""), "the line the exception left: " + line);
            f.edit(V, "if (y > 0) {", "if (y < 0) {");
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("answer=21 label=v2"), s.dap.stdout());
        }
    }

    /**
     * The part's file is saved again before its class loads: the text read then is what a method
     * reload splices into, so that other edit goes in too, and the user is told.
     */
    @Test
    void aFileSavedBeforeItsClassLoadedIsNamedAtTheFirstReload() throws Exception {
        Fixture f = Fixture.of("hot");
        String part = "shop/LazyPart.java";
        try (Session s = Session.start(f, "shop.Lazy")) {
            s.launch(Map.of("shop/Lazy.java", new int[]{f.line("shop/Lazy.java", "BP_BEFORE_PART")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            f.edit(part, "return \"first\";", "return \"second\";");
            // later than the class file for certain, even on a file system that keeps whole seconds
            java.nio.file.Files.setLastModifiedTime(f.file(part), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            s.continueThread(tid);
            s.stopped("exception");
            f.edit(part, "if (n > 0) {", "if (n > 5) {");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            assertTrue(s.dap.sawEvent("output", b -> b.get("output").getAsString().contains("LazyPart.java was saved after shop.LazyPart was compiled"),
                    5000), s.dap.allEvents().toString());
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("part says 3 as second"), s.dap.stdout());
        }
    }

    /**
     * Several methods of the class are replaced while answer(int) runs; its old code then lets an
     * exception escape. JDI names that frame's method no more: the call in main does.
     */
    @Test
    void anEscapeFromCodeAReloadReplacedIsNamedAndRestarts() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Versions")) {
            s.launch(Map.of(V, new int[]{f.line(V, "int y = x + 1;")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            f.edit(V, "return \"v1\";", "return \"v2\";");
            f.edit(V, "\"not yet: \"", "\"still not: \"");
            JsonObject body = s.dap.ok("reloadClass", Map.of("source", Map.of("path", f.file(V).toString())));
            assertEquals(2, body.getAsJsonArray("reloaded").size(), body.toString());
            s.setBreakpoints(V);
            s.continueThread(tid);
            JsonObject stop = s.stopped("exception");
            assertTrue(s.exceptionSentence(stop).endsWith("escaped Versions.answer(int)"), stop.toString());
            assertTrue(s.topFrame(tid).get("name").getAsString().endsWith("Versions.answer(int)"), s.topFrame(tid).toString());
            f.edit(V, "if (y > 0) {", "if (y < 0) {");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("answer=21 label=v2"), s.dap.stdout());
        }
    }

    /**
     * A reload replaces main while it runs (and another method with it). The bottom frame has no
     * caller whose call names its method: the launcher called it, so it is main, still running the
     * code it started with.
     */
    @Test
    void aReplacedMainStillRunningIsNamed() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Versions")) {
            s.launch(Map.of(V, new int[]{f.line(V, "int y = x + 1;")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            f.edit(V, "return \"v1\";", "return \"v2\";");
            f.edit(V, "\" attempts=\"", "\" tries=\"");
            JsonObject body = s.dap.ok("reloadClass", Map.of("source", Map.of("path", f.file(V).toString())));
            assertEquals(2, body.getAsJsonArray("reloaded").size(), body.toString());
            JsonArray frames = s.frames(tid);
            JsonObject bottom = frames.get(frames.size() - 1).getAsJsonObject();
            assertEquals("Versions.main(String[])", bottom.get("name").getAsString(), frames.toString());
            // it runs the text main had when it started, at the line of the call it is in
            JsonObject source = bottom.getAsJsonObject("source");
            assertEquals("Versions.java (older version)", source.get("name").getAsString(), bottom.toString());
            String older = s.dap.ok("source", Map.of("sourceReference", source.get("sourceReference").getAsInt())).get("content").getAsString();
            String line = older.split("\n", -1)[bottom.get("line").getAsInt() - 1];
            assertTrue(line.contains("v.answer(20)") && line.contains("\" attempts=\""), line);
            s.setBreakpoints(V);
            s.continueThread(tid);
            s.stopped("exception");
            f.edit(V, "if (y > 0) {", "if (y < 0) {");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            s.assertExit(0);
            // main goes on in the code it started with; label() runs its new code
            assertTrue(s.dap.stdout().contains("answer=21 label=v2 attempts=2"), s.dap.stdout());
        }
    }

    @Test
    void aMethodOfANestedClassReloadsByItsOverloadAndAnAmbiguousOneIsExplained() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Outer")) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            assertTrue(s.exceptionSentence(stop).endsWith("escaped Outer.Inner.speak(String)"), stop.toString());
            int tid = s.threadOf(stop);
            String fixed = f.read("shop/Outer.java").replace("word.length() > 0", "word.length() < 0");
            // a second speak(String) makes the edit ambiguous
            f.write("shop/Outer.java", fixed.replace("        String speak(int times) {",
                    "        String speak(String other) {\n            return other;\n        }\n\n        String speak(int times) {"));
            String msg = s.dap.error("restartFrameWithReload", Map.of("threadId", tid));
            assertTrue(msg.contains("Outer.Inner.speak(String) is declared 2 times"), msg);
            f.write("shop/Outer.java", fixed);
            JsonObject body = s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            assertEquals(List.of("shop.Outer.Inner.speak(String)"), DapClient.GSON.fromJson(body.get("reloaded"), List.class));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("inner says hi x2"), s.dap.stdout());
        }
    }

    @Test
    void theLiteralAliasIsAccepted() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Versions")) {
            int tid = s.launchUntilEscape();
            f.edit(V, "if (y > 0) {", "if (y < 0) {");
            JsonObject body = s.dap.ok("restartFrame-with-reload", Map.of("threadId", tid, "resume", true));
            assertEquals("Versions.answer(int)", body.get("restarted").getAsString());
            s.assertExit(0);
        }
    }

    @Test
    void aRenamedMethodAndAFileOutsideSourcePathsAreExplained() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Versions")) {
            int tid = s.launchUntilEscape();
            f.edit(V, "int answer(int x) {", "int answer2(int x) {");
            String msg = s.dap.error("restartFrameWithReload", Map.of("threadId", tid));
            assertTrue(msg.contains("Versions.answer(int) is not in") && msg.contains("any more"), msg);
        }
        Fixture g = Fixture.of("hot");
        java.nio.file.Path elsewhere = Fixture.tempDir("empty-sources");
        try (Session s = Session.start(g, "shop.Versions").with("sourcePaths", List.of(elsewhere.toString()))) {
            int tid = s.launchUntilEscape();
            String msg = s.dap.error("restartFrameWithReload", Map.of("threadId", tid));
            assertTrue(msg.contains("shop/Versions.java") && msg.contains("'sourcePaths'"), msg);
            // still stopped, still answering
            assertEquals("⟳ Versions.answer(int)", EscapeTest.findTarget(s, tid).get("name").getAsString());
        }
    }

    @Test
    void aFrameBelowANativeFrameIsRefusedWithTheNearestWrappedFrameThatCanRestart() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = Session.start(f, "shop.Reflective")) {
            int tid = s.launchUntilEscape();
            var frames = s.frames(tid);
            int nativeAt = -1, outerAt = -1;
            for (int i = 0; i < frames.size(); i++) {
                JsonObject fr = frames.get(i).getAsJsonObject();
                if (fr.has("presentationHint") && fr.get("presentationHint").getAsString().equals("subtle") && nativeAt < 0) nativeAt = i;
                if (fr.get("name").getAsString().equals("Reflective.outer()")) outerAt = i;
            }
            assumeTrue(nativeAt == outerAt + 1, "this JDK calls reflectively without a native frame");
            JsonObject outer = frames.get(outerAt).getAsJsonObject();
            assertEquals(false, outer.get("canRestart").getAsBoolean());
            String msg = s.dap.error("restartFrameWithReload", Map.of("frameId", outer.get("id").getAsInt()));
            assertTrue(msg.contains("native frame") && msg.contains("Reflective.inner()"), msg);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", false));
            assertEquals("Reflective.inner()", s.topFrame(s.threadOf(s.stopped("restart"))).get("name").getAsString());
        }
    }
}
