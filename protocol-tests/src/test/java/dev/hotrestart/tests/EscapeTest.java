package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When does an exception stop the program: every catch layout, annotations, patterns. */
class EscapeTest {
    static Session hot(String mainClass, String... args) throws Exception {
        return Session.start(Fixture.of("hot"), mainClass).with("args", List.of(args));
    }

    static Fixture f(Session s) {
        return s.fixture;
    }

    static long exceptionStops(Session s) {
        return s.dap.allEvents().stream().filter(e -> e.get("event").getAsString().equals("stopped")
                && e.getAsJsonObject("body").get("reason").getAsString().equals("exception")).count();
    }

    /** Layouts whose exception never escapes a wrapped method: the program runs through. */
    @ParameterizedTest
    @CsvSource({"handler,caught,caught inside", "handler,calleeCatches,callee caught",
            "throw,caught,caught inside", "throw,calleeCatches,callee caught"})
    void caughtInsideNeverStops(String stopAt, String scenario, String result) throws Exception {
        try (Session s = hot("layouts.Layouts", scenario).with("stopAt", stopAt)) {
            s.launch();
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("result=" + result), s.dap.stdout());
            assertEquals(0, exceptionStops(s));
        }
    }

    /** Each escape stops exactly once, also through finally, synchronized and try-with-resources. */
    @ParameterizedTest
    @CsvSource({
            "handler,finally,withFinally(),finally,main caught finally log=[finally]",
            "handler,sync,withSync(),sync,main caught sync",
            "handler,twr,withResources(),twr,main caught twr log=[closed]",
            "handler,callerCatches,plainThrow(),plain,caller caught plain",
            "handler,uncaught,plainThrow(),plain,main caught plain",
            "handler,selfCatch,retry(int),deepest,0 log=",
            "throw,finally,withFinally(),finally,main caught finally log=[finally]",
            "throw,sync,withSync(),sync,main caught sync",
            "throw,twr,withResources(),twr,main caught twr log=[closed]",
            "throw,callerCatches,plainThrow(),plain,caller caught plain",
            "throw,uncaught,plainThrow(),plain,main caught plain",
            "throw,selfCatch,retry(int),deepest,0 log="})
    void escapeStopsOnceInTheWrappedMethod(String stopAt, String scenario, String method, String message, String result) throws Exception {
        try (Session s = hot("layouts.Layouts", scenario).with("continueAction", "propagate").with("stopAt", stopAt)) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            // the stop's description is the thread's badge in VS Code: short; exceptionInfo has the sentence
            assertEquals("Escaped Layouts." + method.substring(0, method.indexOf('(')), stop.get("description").getAsString());
            assertEquals("java.lang.IllegalStateException: " + message + " escaped Layouts." + method,
                    s.exceptionSentence(stop));
            assertEquals("IllegalStateException", stop.get("text").getAsString());
            int tid = s.threadOf(stop);
            // the restart target is marked and restartable
            JsonObject target = null;
            for (var f : s.frames(tid)) {
                if (f.getAsJsonObject().get("name").getAsString().startsWith("⟳ ")) target = f.getAsJsonObject();
            }
            assertTrue(target != null, "no frame marked as restart target: " + s.frames(tid));
            assertEquals("⟳ Layouts." + method, target.get("name").getAsString());
            assertTrue(target.get("canRestart").getAsBoolean());
            assertTrue(s.locals(target.get("id").getAsInt()).containsKey("this"), "the stopped frame's locals can be read");
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("result=" + result), s.dap.stdout());
            assertEquals(1, exceptionStops(s), "stops: " + s.dap.allEvents());
        }
    }

    /** The program's own getStackTrace() runs under the evaluation time limit: a stop's views never hang on it. */
    @Test
    void anExceptionWhoseTraceNeverComesLeavesTheSessionUsable() throws Exception {
        try (Session s = hot("layouts.Layouts", "stubborn").with("continueAction", "propagate").with("evaluateTimeout", 1000)) {
            s.launch();
            int tid = s.threadOf(s.stopped("exception"));
            JsonObject top = s.topFrame(tid);
            assertTrue(top.get("name").getAsString().endsWith("Layouts.stubborn()"), top.toString());
            JsonObject info = s.dap.ok("exceptionInfo", Map.of("threadId", tid));
            String trace = info.getAsJsonObject("details").get("stackTrace").getAsString();
            assertTrue(trace.startsWith("layouts.Layouts$Stubborn: stubborn") && trace.contains("stack trace not available"), trace);
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("result=main caught stubborn"), s.dap.stdout());
        }
    }

    /** A local assigned in the wrapped method before the exception shows its value at the stop. */
    @ParameterizedTest
    @CsvSource({"handler", "throw"})
    void theStopShowsTheLocalsOfTheWrappedMethod(String stopAt) throws Exception {
        try (Session s = hot("shop.Cycle").with("stopAt", stopAt)) {
            s.launch();
            int tid = s.threadOf(s.stopped("exception"));
            JsonObject target = null;
            for (var f : s.frames(tid)) {
                if (f.getAsJsonObject().get("name").getAsString().equals("⟳ Cycle.step()")) target = f.getAsJsonObject();
            }
            assertTrue(target != null, s.frames(tid).toString());
            assertEquals("\"v0\"", s.locals(target.get("id").getAsInt()).get("version"));
        }
    }

    @Test
    void exceptionInfoHasTypeMessageTraceAndHint() throws Exception {
        try (Session s = hot("layouts.Layouts", "uncaught")) {
            s.launch();
            int tid = s.threadOf(s.stopped("exception"));
            JsonObject info = s.dap.ok("exceptionInfo", Map.of("threadId", tid));
            assertEquals("java.lang.IllegalStateException", info.get("exceptionId").getAsString());
            assertEquals("userUnhandled", info.get("breakMode").getAsString());
            JsonObject details = info.getAsJsonObject("details");
            assertEquals("IllegalStateException", details.get("typeName").getAsString());
            assertEquals("java.lang.IllegalStateException", details.get("fullTypeName").getAsString());
            assertEquals("plain", details.get("message").getAsString());
            String trace = details.get("stackTrace").getAsString();
            assertTrue(trace.startsWith("java.lang.IllegalStateException: plain\n\tat layouts.Layouts.fail(Layouts.java:"), trace);
            assertTrue(trace.contains("\tat layouts.Layouts.plainThrow(Layouts.java:"), trace);
            assertTrue(s.dap.sawEvent("output", b -> b.get("output").getAsString().contains(
                    "java.lang.IllegalStateException: plain escaped Layouts.plainThrow(). Fix the method and continue to run it again"), 5000),
                    "the hint has the whole sentence: " + s.dap.allEvents());
        }
    }

    /** A long name still makes a description of at most 40 characters: the type goes first, then the name is cut. */
    @Test
    void aLongNameMakesAShortDescription() throws Exception {
        Fixture f = Fixture.generated("longnames", Map.of("longnames/InventoryReconciliationService.java", """
                package longnames;

                import dev.hotrestart.HotRestart;

                public class InventoryReconciliationService {
                    @HotRestart
                    static int reconcile(int n) {
                        throw new IllegalStateException("short " + n);
                    }

                    @HotRestart
                    static int reconcileEveryWarehouseAgainstTheLedgerTwice(int n) {
                        throw new IllegalStateException("long " + n);
                    }

                    public static void main(String[] args) {
                        try {
                            reconcile(1);
                        } catch (IllegalStateException e) {
                            System.out.println("caught " + e.getMessage());
                        }
                        try {
                            reconcileEveryWarehouseAgainstTheLedgerTwice(2);
                        } catch (IllegalStateException e) {
                            System.out.println("caught " + e.getMessage());
                        }
                    }
                }
                """));
        try (Session s = Session.start(f, "longnames.InventoryReconciliationService").with("continueAction", "propagate")) {
            s.launch();
            JsonObject first = s.stopped("exception");
            assertEquals("Escaped reconcile", first.get("description").getAsString());
            assertEquals("java.lang.IllegalStateException: short 1 escaped InventoryReconciliationService.reconcile(int)",
                    s.exceptionSentence(first));
            s.continueThread(s.threadOf(first));
            JsonObject second = s.stopped("exception");
            assertEquals("Escaped reconcileEveryWarehouseAgainstT…", second.get("description").getAsString());
            assertTrue(s.exceptionSentence(second).endsWith(" escaped InventoryReconciliationService.reconcileEveryWarehouseAgainstTheLedgerTwice(int)"),
                    s.exceptionSentence(second));
            s.continueThread(s.threadOf(second));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("caught long 2"), s.dap.stdout());
        }
    }

    @ParameterizedTest
    @CsvSource({"handler", "throw"})
    void nestedWrappedMethodsPropagateOneLevelAtATime(String stopAt) throws Exception {
        try (Session s = hot("layouts.Layouts", "nested").with("stopAt", stopAt)) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            int tid = s.threadOf(stop);
            assertTrue(s.exceptionSentence(stop).endsWith("escaped Layouts.inner()"), stop.toString());
            JsonObject r = s.dap.ok("propagateException", Map.of("threadId", tid));
            assertEquals("Layouts.outer()", r.get("target").getAsString());
            JsonObject second = s.stopped("exception");
            assertTrue(s.exceptionSentence(second).endsWith("escaped Layouts.outer()"), second.toString());
            assertEquals("Escaped Layouts.outer", second.get("description").getAsString());
            assertEquals("⟳ Layouts.outer()", findTarget(s, tid).get("name").getAsString());
            s.dap.ok("propagateException", Map.of("threadId", tid));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("result=main caught deep"), s.dap.stdout());
            assertEquals(2, exceptionStops(s));
        }
    }

    static JsonObject findTarget(Session s, int tid) throws Exception {
        for (var f : s.frames(tid)) {
            if (f.getAsJsonObject().get("name").getAsString().startsWith("⟳ ")) return f.getAsJsonObject();
        }
        throw new AssertionError("no restart target in " + s.frames(tid));
    }

    /** The package's annotation is found beside its classes: in their folder, or in their jar. */
    @ParameterizedTest
    @CsvSource({"folder", "jar"})
    void annotationOnPackageWrapsItsClassesAndNoHotRestartExcludes(String from) throws Exception {
        try (Session s = hot("wrapped.pkg.ByPackage").with("continueAction", "propagate")) {
            if (from.equals("jar")) {
                Path jar = s.fixture.root.resolve("hot.jar");
                try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(s.fixture.classes)) {
                    for (Path p : files.filter(Files::isRegularFile).toList()) {
                        out.putNextEntry(new java.util.jar.JarEntry(s.fixture.classes.relativize(p).toString().replace('\\', '/')));
                        out.write(Files.readAllBytes(p));
                        out.closeEntry();
                    }
                }
                s.launchArgs.put("classPaths", List.of(jar.toString(), Fixture.annotationsJar().toString()));
            }
            s.launch();
            JsonObject stop = s.stopped("exception");
            assertTrue(s.exceptionSentence(stop).endsWith("escaped ByPackage.wrapped()"), stop.toString());
            // the @NoHotRestart method threw first without stopping
            assertTrue(s.dap.stdout().contains("excluded threw not wrapped"), s.dap.stdout());
            s.continueThread(s.threadOf(stop));
            s.assertExit(1);
            assertEquals(1, exceptionStops(s));
        }
    }

    @Test
    void annotationOnClassWrapsItsMethodsAndWrapPatternWrapsUnannotatedCode() throws Exception {
        try (Session s = hot("plain.ByClass").with("wrap", List.of("plain.Plain#compute")).with("continueAction", "propagate")) {
            s.launch();
            JsonObject first = s.stopped("exception");
            assertTrue(s.exceptionSentence(first).endsWith("by class escaped ByClass.work(String)"), first.toString());
            s.continueThread(s.threadOf(first));
            JsonObject second = s.stopped("exception");
            assertEquals("java.lang.ArithmeticException: / by zero escaped Plain.compute(int)", s.exceptionSentence(second));
            s.continueThread(s.threadOf(second));
            s.assertExit(1);
        }
    }

    @Test
    void noWrapPatternAndPropagatedExceptionsNeverStop() throws Exception {
        try (Session s = hot("plain.ByClass", "arg").with("propagatedExceptions", List.of("java.lang.IllegalArgumentException"))
                .with("wrap", List.of("plain.*")).with("noWrap", List.of("plain.Plain", "plain.ByClass#main"))) {
            s.launch();
            s.assertExit(1);
            assertTrue(s.dap.stdout().contains("main caught IllegalArgumentException: bad arg"), s.dap.stdout());
            assertEquals(0, exceptionStops(s));
            assertFalse(s.dap.stdout().contains("pattern:"));
        }
    }

    @ParameterizedTest
    @CsvSource({"handler", "throw"})
    void recursionStopsInTheInnermostWrappedFrame(String stopAt) throws Exception {
        try (Session s = hot("layouts.Layouts", "recursion").with("stopAt", stopAt)) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            int tid = s.threadOf(stop);
            var frames = s.frames(tid);
            int targetIndex = -1, countdowns = 0, innermost = -1;
            for (int i = 0; i < frames.size(); i++) {
                String name = frames.get(i).getAsJsonObject().get("name").getAsString();
                if (name.contains("countdown")) {
                    countdowns++;
                    if (innermost < 0) innermost = i;
                }
                if (name.startsWith("⟳ ")) targetIndex = i;
            }
            assertEquals(4, countdowns, frames.toString());
            assertEquals(innermost, targetIndex, "the innermost countdown is the target: " + frames);
            assertEquals(f(s).line("layouts/Layouts.java", "fail(\"bottom\");"),
                    frames.get(targetIndex).getAsJsonObject().get("line").getAsInt(), "the line the exception left it");
            int frameId = frames.get(targetIndex).getAsJsonObject().get("id").getAsInt();
            assertEquals("0", s.locals(frameId).get("n"));
        }
    }
}
