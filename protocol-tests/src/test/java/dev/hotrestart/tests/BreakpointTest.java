package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Line breakpoints (nested classes, lambdas, deferred, moved, replaced) and exception breakpoints. */
class BreakpointTest {
    static final Fixture BASIC = Fixture.shared("basic");

    @Test
    void breakpointsInLambdaAndAnonymousClassBodiesStop() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            int lambda = BASIC.line("demo/Basic.java", "BP_LAMBDA");
            int anon = BASIC.line("demo/Basic.java", "BP_ANON");
            s.launch(Map.of("demo/Basic.java", new int[]{lambda, anon}));
            JsonObject first = s.stopped("breakpoint");
            JsonObject top = s.topFrame(s.threadOf(first));
            assertEquals(lambda, top.get("line").getAsInt());
            assertEquals(BASIC.file("demo/Basic.java").toString(), top.getAsJsonObject("source").get("path").getAsString());
            s.continueThread(s.threadOf(first));

            JsonObject second = s.stopped("breakpoint");
            top = s.topFrame(s.threadOf(second));
            assertEquals(anon, top.get("line").getAsInt());
            assertEquals("Basic.1.run()", top.get("name").getAsString(), "the anonymous class's method");
            // the anonymous object's outer instance is there, with its field
            int self = s.variable(scopeRef(s, top), "this").get("variablesReference").getAsInt();
            int outer = s.variable(self, "this$0").get("variablesReference").getAsInt();
            assertEquals("\"basic\"", s.values(outer).get("name"));
            s.continueThread(s.threadOf(second));
            s.assertExit(3);
        }
    }

    @Test
    void breakpointsInStaticNestedMemberLocalClassesAndALambdaCalledByTheJdk() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Nested")) {
            String file = "demo/Nested.java";
            int[] lines = {BASIC.line(file, "NS_STATIC"), BASIC.line(file, "NS_MEMBER"), BASIC.line(file, "NS_LOCAL"), BASIC.line(file, "NS_LAMBDA")};
            s.launch(Map.of(file, lines));
            String[] expected = {"Nested.Inner.twice(int)", "Nested.Member.plus(int)", "Nested.1Local.neg(int)"};
            for (int i = 0; i < 3; i++) {
                JsonObject stop = s.stopped("breakpoint");
                JsonObject top = s.topFrame(s.threadOf(stop));
                assertEquals(lines[i], top.get("line").getAsInt());
                assertEquals(expected[i], top.get("name").getAsString());
                s.continueThread(s.threadOf(stop));
            }
            // the lambda runs once per element, called from IntStream's code
            List<String> xs = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonObject stop = s.stopped("breakpoint");
                JsonObject top = s.topFrame(s.threadOf(stop));
                assertEquals(lines[3], top.get("line").getAsInt());
                assertTrue(top.get("name").getAsString().startsWith("Nested.lambda$main$"), top.toString());
                xs.add(s.locals(top.get("id").getAsInt()).get("x"));
                s.continueThread(s.threadOf(stop));
            }
            assertEquals(List.of("4", "11", "-3"), xs);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("nested 4 11 -3 15"), s.dap.stdout());
        }
    }

    @Test
    void breakpointInAClassNotLoadedYetIsDeferredThenVerified() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            int later = BASIC.line("demo/Later.java", "BP_LATER");
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            JsonObject bp = s.setBreakpoints("demo/Later.java", later).get(0).getAsJsonObject();
            assertFalse(bp.get("verified").getAsBoolean(), "Later is not loaded yet: " + bp);
            int id = bp.get("id").getAsInt();
            s.dap.ok("configurationDone", null);

            JsonObject changed = s.dap.event("breakpoint", b -> b.getAsJsonObject("breakpoint").get("id").getAsInt() == id);
            assertTrue(changed.getAsJsonObject("breakpoint").get("verified").getAsBoolean(), changed.toString());
            assertEquals(later, changed.getAsJsonObject("breakpoint").get("line").getAsInt());
            JsonObject stop = s.stopped("breakpoint");
            assertEquals(id, stop.getAsJsonArray("hitBreakpointIds").get(0).getAsInt());
            JsonObject top = s.topFrame(s.threadOf(stop));
            assertEquals("Later.touch()", top.get("name").getAsString());
            assertEquals(later, top.get("line").getAsInt());
            s.continueThread(s.threadOf(stop));
            s.assertExit(3);
        }
    }

    @Test
    void breakpointOnALineWithoutCodeMovesToTheNextCodeLine() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Steps")) {
            int comment = BASIC.line("demo/Steps.java", "ST_COMMENT");
            int blank = comment + 1;
            int code = BASIC.line("demo/Steps.java", "ST_AFTER_COMMENT");
            int laterBlank = BASIC.line("demo/Later.java", "BP_LATER") - 1;
            s.with("stopOnEntry", true).dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            // Deferred (Later never loads in Steps, but the response must still be honest): its own line, unverified.
            JsonObject deferred = s.setBreakpoints("demo/Later.java", laterBlank).get(0).getAsJsonObject();
            assertFalse(deferred.get("verified").getAsBoolean());
            s.dap.ok("configurationDone", null);
            JsonObject entry = s.stopped("entry");
            int tid = s.threadOf(entry);

            // Steps is loaded now: the response tells the moved line at once.
            JsonArray bps = s.setBreakpoints("demo/Steps.java", comment, blank);
            for (var b : bps) {
                JsonObject o = b.getAsJsonObject();
                assertTrue(o.get("verified").getAsBoolean(), o.toString());
                assertEquals(code, o.get("line").getAsInt(), "moved from a comment/blank line to the next line with code: " + o);
            }
            s.continueThread(tid);
            JsonObject stop = s.stopped("breakpoint");
            assertEquals(code, s.topFrame(s.threadOf(stop)).get("line").getAsInt());
            s.continueThread(s.threadOf(stop));
            s.assertExit(0);
        }
    }

    @Test
    void deferredBreakpointOnABlankLineIsMovedWhenItsClassLoads() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            int later = BASIC.line("demo/Later.java", "BP_LATER");
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            JsonObject bp = s.setBreakpoints("demo/Later.java", later - 1).get(0).getAsJsonObject();
            int id = bp.get("id").getAsInt();
            s.dap.ok("configurationDone", null);
            JsonObject changed = s.dap.event("breakpoint", b -> b.getAsJsonObject("breakpoint").get("id").getAsInt() == id);
            assertEquals(later, changed.getAsJsonObject("breakpoint").get("line").getAsInt(), "the client is told the line: " + changed);
            JsonObject stop = s.stopped("breakpoint");
            assertEquals(later, s.topFrame(s.threadOf(stop)).get("line").getAsInt());
            s.continueThread(s.threadOf(stop));
            s.assertExit(3);
        }
    }

    @Test
    void setBreakpointsReplacesTheFilesSetExactly() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            int loop = BASIC.line("demo/Basic.java", "BP_LOOP");
            int add = BASIC.line("demo/Basic.java", "BP_ADD");
            int end = BASIC.line("demo/Basic.java", "BP_END");
            s.launch(Map.of("demo/Basic.java", new int[]{loop}));
            JsonObject stop = s.stopped("breakpoint");
            assertEquals(loop, s.topFrame(s.threadOf(stop)).get("line").getAsInt());

            // Replace {loop} by {add, end}: the loop line must not stop again.
            JsonArray now = s.setBreakpoints("demo/Basic.java", add, end);
            int addId = now.get(0).getAsJsonObject().get("id").getAsInt();
            int endId = now.get(1).getAsJsonObject().get("id").getAsInt();
            s.continueThread(s.threadOf(stop));
            for (int i = 0; i < 3; i++) {
                stop = s.stopped("breakpoint");
                assertEquals(addId, stop.getAsJsonArray("hitBreakpointIds").get(0).getAsInt(), "call " + i + " of add, not the loop line");
                assertEquals(add, s.topFrame(s.threadOf(stop)).get("line").getAsInt());
                s.continueThread(s.threadOf(stop));
            }
            stop = s.stopped("breakpoint");
            assertEquals(endId, stop.getAsJsonArray("hitBreakpointIds").get(0).getAsInt());

            // An empty set clears the file: the program runs to its end.
            s.setBreakpoints("demo/Basic.java");
            s.continueThread(s.threadOf(stop));
            s.assertExit(3);
            assertEquals(5, count(s, "stopped"), "no stop after the set was cleared");
        }
    }

    @Test
    void caughtExceptionFilterStopsAtTheThrowWithExceptionInfo() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Throws")) {
            int caughtLine = BASIC.line("demo/Throws.java", "EX_CAUGHT");
            int uncaughtLine = BASIC.line("demo/Throws.java", "EX_UNCAUGHT");
            launchWithFilters(s, "caught");
            JsonObject stop = s.stopped("exception");
            int tid = s.threadOf(stop);
            JsonObject top = s.topFrame(tid);
            assertEquals("Throws.check(int)", top.get("name").getAsString(), "the first stop is our own caught throw, not JDK noise");
            assertEquals("Caught IllegalArgumentException", stop.get("description").getAsString(), "which filter, on what: short");
            assertEquals("IllegalArgumentException", stop.get("text").getAsString());
            assertEquals(caughtLine, top.get("line").getAsInt());
            JsonObject info = s.dap.ok("exceptionInfo", Map.of("threadId", tid));
            assertEquals("java.lang.IllegalArgumentException", info.get("exceptionId").getAsString());
            assertEquals("always", info.get("breakMode").getAsString());
            assertTrue(info.get("description").getAsString().contains("negative: -1"), info.toString());
            JsonObject details = info.getAsJsonObject("details");
            assertEquals("negative: -1", details.get("message").getAsString());
            assertEquals("java.lang.IllegalArgumentException", details.get("fullTypeName").getAsString());
            assertTrue(details.get("stackTrace").getAsString().contains("at demo.Throws.check(Throws.java:" + caughtLine + ")"),
                    details.get("stackTrace").getAsString());
            s.continueThread(tid);
            // Only caught: the uncaught one does not stop, the program dies of it.
            assertEquals(1, s.exitCode());
            assertTrue(s.dap.stdout().contains("caught negative: -1"), s.dap.stdout());
            assertTrue(s.dap.stderr().contains("java.lang.IllegalStateException: boom"), s.dap.stderr());
            assertEquals(1, count(s, "stopped"), "the uncaught exception did not stop");
            assertTrue(uncaughtLine > 0);
        }
    }

    @Test
    void uncaughtExceptionFilterStopsOnlyOnTheUncaughtOne() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Throws")) {
            int uncaughtLine = BASIC.line("demo/Throws.java", "EX_UNCAUGHT");
            launchWithFilters(s, "uncaught");
            JsonObject stop = s.stopped("exception");
            int tid = s.threadOf(stop);
            assertTrue(s.dap.stdout().contains("caught negative: -1"), "the caught exception ran its handler without stopping");
            JsonObject top = s.topFrame(tid);
            assertEquals("Throws.fail()", top.get("name").getAsString());
            assertEquals("Uncaught IllegalStateException", stop.get("description").getAsString());
            assertEquals(uncaughtLine, top.get("line").getAsInt());
            JsonObject info = s.dap.ok("exceptionInfo", Map.of("threadId", tid));
            assertEquals("java.lang.IllegalStateException", info.get("exceptionId").getAsString());
            assertEquals("unhandled", info.get("breakMode").getAsString());
            JsonObject details = info.getAsJsonObject("details");
            assertEquals("boom", details.get("message").getAsString());
            JsonObject inner = details.getAsJsonArray("innerException").get(0).getAsJsonObject();
            assertEquals("root cause", inner.get("message").getAsString());
            assertEquals("java.lang.RuntimeException", inner.get("fullTypeName").getAsString());
            s.continueThread(tid);
            assertEquals(1, s.exitCode());
            assertTrue(s.dap.stderr().contains("java.lang.IllegalStateException: boom"), s.dap.stderr());
        }
    }

    @Test
    void withoutExceptionFiltersNothingStops() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Throws")) {
            launchWithFilters(s);
            assertEquals(1, s.exitCode());
            assertEquals(0, count(s, "stopped"));
        }
    }

    static final String FILTERS = "demo/Filters.java";

    /**
     * Caught Exceptions stops where our code throws or catches, in the order thrown; never on an
     * exception the JDK throws and catches itself (Scanner's NumberFormatException), and not on
     * the uncaught one at the end.
     */
    @Test
    void caughtStopsWhereOurCodeTakesPartNeverInsideTheJdk() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Filters")) {
            launchWithFilters(s, "caught");
            JsonObject parse = s.stopped("exception");
            assertTrue(s.dap.stdout().contains("fits an int: false"), "Scanner's own exception did not stop: " + s.dap.stdout());
            assertEquals("Caught NumberFormatException", parse.get("description").getAsString());
            int tid = s.threadOf(parse);
            JsonArray frames = s.frames(tid);
            assertTrue(frames.get(0).getAsJsonObject().get("name").getAsString().startsWith("Integer.parseInt"), frames.toString());
            assertEquals(BASIC.line(FILTERS, "EX_PARSE"), frameOf(frames, "Filters.main(String[])").get("line").getAsInt(),
                    "thrown in the JDK, caught by us: it stops");
            List<String> next = new ArrayList<>();
            for (String marker : List.of("EX_OVERDRAFT", "EX_LEDGER", "EX_STATE")) {
                s.continueThread(tid);
                JsonObject stop = s.stopped("exception");
                assertEquals(BASIC.line(FILTERS, marker), s.topFrame(s.threadOf(stop)).get("line").getAsInt(), marker);
                next.add(stop.get("description").getAsString());
            }
            assertEquals(List.of("Caught Filters.OverdraftException", "Caught Filters.LedgerException", "Caught IllegalStateException"), next);
            s.continueThread(tid);
            assertEquals(1, s.exitCode());
            assertEquals(4, count(s, "stopped"), "the uncaught one did not stop 'caught'");
        }
    }

    /**
     * A filter's condition names types, simple or qualified (nested types too), with their
     * subclasses; !Type leaves one out, and the nearest named type decides. Our types load only
     * when thrown, after the filter is set. The same with the agent (the JVM reports the named
     * types only) and without it (every exception is reported and the adapter decides).
     */
    @ParameterizedTest
    @CsvSource({"handler", "throw"})
    void conditionsPickTheExceptionTypesThatStop(String stopAt) throws Exception {
        try (Session s = Session.start(BASIC, "demo.Filters").with("stopAt", stopAt)) {
            // a type and its subclass both named: the JVM reports the throw to both requests, it stops once
            JsonArray set = launchWithFilterOptions(s, Map.of("filterId", "caught", "condition", "LedgerException, Filters.OverdraftException"));
            assertTrue(set.get(0).getAsJsonObject().get("verified").getAsBoolean(), set.toString());
            JsonObject overdraft = s.stopped("exception");
            int tid = s.threadOf(overdraft);
            assertEquals(BASIC.line(FILTERS, "EX_OVERDRAFT"), s.topFrame(tid).get("line").getAsInt(), "a subclass stops; the JDK's types did not");
            assertEquals("Caught Filters.OverdraftException", overdraft.get("description").getAsString());

            s.dap.ok("setExceptionBreakpoints", Map.of("filters", List.of(), "filterOptions", List.of(
                    Map.of("filterId", "caught", "condition", "demo.Filters.LedgerException, !OverdraftException, IllegalStateException"),
                    Map.of("filterId", "uncaught", "condition", "RuntimeException, !UnsupportedOperationException"))));
            s.continueThread(tid);
            s.stopped("exception");
            assertEquals(BASIC.line(FILTERS, "EX_LEDGER"), s.topFrame(tid).get("line").getAsInt());
            s.continueThread(tid);
            s.stopped("exception");
            assertEquals(BASIC.line(FILTERS, "EX_STATE"), s.topFrame(tid).get("line").getAsInt());
            s.continueThread(tid);
            assertEquals(1, s.exitCode());
            assertEquals(3, count(s, "stopped"), "the uncaught UnsupportedOperationException is left out");
            assertTrue(s.dap.stdout().contains("caught state"), s.dap.stdout());
        }
    }

    /** A condition that is no list of types is reported on its filter, which stays off; a type that does not exist is no error. */
    @Test
    void aMalformedConditionIsReportedOnItsFilter() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Filters")) {
            JsonArray set = launchWithFilterOptions(s, Map.of("filterId", "caught", "condition", "Ledger Exception"),
                    Map.of("filterId", "uncaught", "condition", "NoSuchTypeAnywhere"), Map.of("filterId", "thrown"));
            JsonObject malformed = set.get(0).getAsJsonObject();
            assertFalse(malformed.get("verified").getAsBoolean(), set.toString());
            assertTrue(malformed.get("message").getAsString().contains("'Ledger Exception' is not an exception type"), malformed.toString());
            assertTrue(set.get(1).getAsJsonObject().get("verified").getAsBoolean(), "the class may load later: " + set);
            assertFalse(set.get(2).getAsJsonObject().get("verified").getAsBoolean(), set.toString());
            assertTrue(set.get(2).getAsJsonObject().get("message").getAsString().contains("'caught' and 'uncaught'"), set.toString());
            assertEquals(1, s.exitCode());
            assertEquals(0, count(s, "stopped"));
        }
    }

    /** launch, the exception filters with conditions, configurationDone; returns the filters' Breakpoints. */
    @SafeVarargs
    static JsonArray launchWithFilterOptions(Session s, Map<String, Object>... options) throws Exception {
        s.dap.ok("launch", s.launchArgs);
        s.dap.event("initialized");
        JsonArray set = s.dap.ok("setExceptionBreakpoints", Map.of("filters", List.of(), "filterOptions", List.of(options)))
                .getAsJsonArray("breakpoints");
        s.dap.ok("configurationDone", null);
        return set;
    }

    static JsonObject frameOf(JsonArray frames, String name) {
        for (var f : frames) if (f.getAsJsonObject().get("name").getAsString().equals(name)) return f.getAsJsonObject();
        throw new AssertionError("no frame " + name + " in " + frames);
    }

    static void launchWithFilters(Session s, String... filters) throws Exception {
        s.dap.ok("launch", s.launchArgs);
        s.dap.event("initialized");
        s.dap.ok("setExceptionBreakpoints", Map.of("filters", List.of(filters)));
        s.dap.ok("configurationDone", null);
    }

    static long count(Session s, String event) {
        return s.dap.allEvents().stream().filter(e -> e.get("event").getAsString().equals(event)).count();
    }

    static int scopeRef(Session s, JsonObject frame) throws Exception {
        return s.dap.ok("scopes", Map.of("frameId", frame.get("id").getAsInt())).getAsJsonArray("scopes")
                .get(0).getAsJsonObject().get("variablesReference").getAsInt();
    }
}
