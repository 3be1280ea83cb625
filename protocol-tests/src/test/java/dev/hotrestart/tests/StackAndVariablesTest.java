package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** stackTrace paging and sources, scopes, every kind of variable, references dropped on resume. */
class StackAndVariablesTest {
    static final Fixture BASIC = Fixture.shared("basic");

    @Test
    void stackTracePagesThroughADeepRecursion() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Deep")) {
            int bottom = BASIC.line("demo/Deep.java", "BP_BOTTOM");
            s.launch(Map.of("demo/Deep.java", new int[]{bottom}));
            int tid = s.threadOf(s.stopped("breakpoint"));

            JsonObject first = s.dap.ok("stackTrace", Map.of("threadId", tid, "startFrame", 0, "levels", 20));
            JsonArray frames = first.getAsJsonArray("stackFrames");
            assertEquals(20, frames.size());
            assertEquals(1002, first.get("totalFrames").getAsInt(), "1001 calls of down plus main");
            JsonObject top = frames.get(0).getAsJsonObject();
            assertEquals("Deep.down(int)", top.get("name").getAsString());
            assertEquals(bottom, top.get("line").getAsInt());
            assertEquals(BASIC.file("demo/Deep.java").toString(), top.getAsJsonObject("source").get("path").getAsString());

            JsonObject last = s.dap.ok("stackTrace", Map.of("threadId", tid, "startFrame", 990, "levels", 20));
            JsonArray tail = last.getAsJsonArray("stackFrames");
            assertEquals(12, tail.size(), "the last page has what is left");
            assertEquals("Deep.main(String[])", tail.get(11).getAsJsonObject().get("name").getAsString());

            // A frame deep down has its own locals: frame 5 runs down(5).
            JsonObject f5 = s.dap.ok("stackTrace", Map.of("threadId", tid, "startFrame", 5, "levels", 1))
                    .getAsJsonArray("stackFrames").get(0).getAsJsonObject();
            assertEquals("5", s.locals(f5.get("id").getAsInt()).get("n"));
            assertEquals("0", s.locals(top.get("id").getAsInt()).get("n"));

            JsonObject all = s.dap.ok("stackTrace", Map.of("threadId", tid));
            assertEquals(1002, all.getAsJsonArray("stackFrames").size(), "no levels: every frame");
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("depth 1000"));
        }
    }

    @Test
    void aFrameWhoseFileIsNotUnderSourcePathsHasOnlyAName() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            s.with("sourcePaths", List.of(Fixture.tempDir("hotrestart-nosources-").toString()))
                    .with("stopOnEntry", true).launch();
            int tid = s.threadOf(s.stopped("entry"));
            JsonObject source = s.topFrame(tid).getAsJsonObject("source");
            assertEquals("Basic.java", source.get("name").getAsString());
            assertFalse(source.has("path") && !source.get("path").isJsonNull(), "no file to show: " + source);
            s.continueThread(tid);
            s.assertExit(3);
        }
    }

    @Test
    void scopesAndEveryKindOfValue() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Data")) {
            s.launch(Map.of("demo/Data.java", new int[]{BASIC.line("demo/Data.java", "BP_DATA")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonObject top = s.topFrame(tid);
            assertEquals("Data.inspect()", top.get("name").getAsString());
            JsonArray scopes = s.dap.ok("scopes", Map.of("frameId", top.get("id").getAsInt())).getAsJsonArray("scopes");
            assertEquals(List.of("Locals", "Static"), names(scopes));
            int locals = scopes.get(0).getAsJsonObject().get("variablesReference").getAsInt();
            int statics = scopes.get(1).getAsJsonObject().get("variablesReference").getAsInt();

            Map<String, String> v = s.values(locals);
            assertEquals("this", v.keySet().iterator().next(), "an instance frame shows this first: " + v);
            assertEquals("42", v.get("i"));
            assertEquals("1099511627776", v.get("l"));
            assertEquals("2.5", v.get("d"));
            assertEquals("true", v.get("b"));
            assertEquals("'x'", v.get("ch"));
            assertEquals("\"he said \\\"hi\\\"\\n\\tend\"", v.get("s"), "quoted, with escapes");
            assertEquals("42", v.get("boxed"), "a box shows its value");
            assertEquals("'y'", v.get("boxedChar"));
            assertEquals("null", v.get("nothing"));
            assertEquals(0, s.variable(locals, "nothing").get("variablesReference").getAsInt(), "null has no children");
            assertEquals(0, s.variable(locals, "s").get("variablesReference").getAsInt(), "a string has no children");
            assertEquals(0, s.variable(locals, "boxed").get("variablesReference").getAsInt(), "a box has no children");

            // this: an object by its fields
            Map<String, String> self = s.values(s.variable(locals, "this").get("variablesReference").getAsInt());
            assertEquals("\"data-object\"", self.get("name"));
            assertTrue(self.get("numbers").contains("3"), self.toString());

            // arrays: expandable, indexed, paged
            JsonObject arr = s.variable(locals, "arr");
            assertEquals("int[3]", arr.get("value").getAsString());
            assertEquals(3, arr.get("indexedVariables").getAsInt());
            int arrRef = arr.get("variablesReference").getAsInt();
            assertEquals(Map.of("[0]", "1", "[1]", "2", "[2]", "3"), s.values(arrRef));
            JsonArray page = page(s, arrRef, 1, 1);
            assertEquals(1, page.size());
            assertEquals("[1]", page.get(0).getAsJsonObject().get("name").getAsString());
            assertEquals("2", page.get(0).getAsJsonObject().get("value").getAsString());
            assertEquals("int[0]", v.get("empty"));
            Map<String, String> words = s.values(s.variable(locals, "words").get("variablesReference").getAsInt());
            assertEquals("\"a\"", words.get("[0]"));
            assertEquals("null", words.get("[1]"));

            // an object of our own, by its fields
            JsonObject p = s.variable(locals, "p");
            assertTrue(p.get("variablesReference").getAsInt() > 0);
            assertEquals(Map.of("x", "3", "y", "4"), s.values(p.get("variablesReference").getAsInt()));

            // collections and maps: size and elements
            JsonObject list = s.variable(locals, "list");
            assertTrue(list.get("value").getAsString().contains("size=3"), list.toString());
            assertEquals(3, list.get("indexedVariables").getAsInt());
            assertEquals(List.of("\"a\"", "\"b\"", "\"c\""), new ArrayList<>(s.values(list.get("variablesReference").getAsInt()).values()));
            JsonObject map = s.variable(locals, "map");
            assertTrue(map.get("value").getAsString().contains("size=2"), map.toString());
            Map<String, String> entries = s.values(map.get("variablesReference").getAsInt());
            assertEquals("1", entries.get("\"one\""), entries.toString());
            assertEquals("2", entries.get("\"two\""), entries.toString());

            // a million elements: read one page from the middle
            JsonObject big = s.variable(locals, "big");
            assertEquals(1_000_000, big.get("indexedVariables").getAsInt());
            JsonArray middle = page(s, big.get("variablesReference").getAsInt(), 500_000, 100);
            assertEquals(100, middle.size());
            assertEquals("[500000]", middle.get(0).getAsJsonObject().get("name").getAsString());
            assertEquals("500000", middle.get(0).getAsJsonObject().get("value").getAsString());
            assertEquals("[500099]", middle.get(99).getAsJsonObject().get("name").getAsString());
            assertEquals("500099", middle.get(99).getAsJsonObject().get("value").getAsString());

            Map<String, String> st = s.values(statics);
            assertEquals("7", st.get("counter"));
            assertEquals("\"data\"", st.get("LABEL"));

            // the static main frame below: no this
            JsonObject mainFrame = s.frames(tid).get(1).getAsJsonObject();
            assertEquals("Data.main(String[])", mainFrame.get("name").getAsString());
            assertFalse(s.locals(mainFrame.get("id").getAsInt()).containsKey("this"));
            assertTrue(s.locals(mainFrame.get("id").getAsInt()).containsKey("args"));
            s.continueThread(tid);
            s.assertExit(0);
        }
    }

    /**
     * threads lists the program's threads; the JVM's own (by their thread group) are left out, but
     * never a thread stopped for the user, even one in the JVM's group.
     */
    @Test
    void threadsListsTheProgramsThreadsAndNeverHidesAStoppedOne() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Threads")) {
            s.launch(Map.of("demo/Threads.java", new int[]{BASIC.line("demo/Threads.java", "BP_THREADS_ODD"),
                    BASIC.line("demo/Threads.java", "BP_THREADS_MAIN")}));
            JsonObject odd = s.stopped("breakpoint");
            List<String> whileOddStopped = threadNames(s);
            assertTrue(whileOddStopped.contains("odd-one"), "stopped at a breakpoint, so listed: " + whileOddStopped);
            s.continueThread(s.threadOf(odd));
            JsonObject inMain = s.stopped("breakpoint");
            List<String> names = threadNames(s);
            assertTrue(names.containsAll(List.of("main", "worker")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("ForkJoinPool.commonPool-worker")), "the program's tasks run there: " + names);
            for (String jvms : List.of("Reference Handler", "Finalizer", "Signal Dispatcher", "Common-Cleaner", "Notification Thread",
                    "odd-one")) {
                assertFalse(names.contains(jvms), jvms + " is listed: " + names);
            }
            s.continueThread(s.threadOf(inMain));
            s.assertExit(0);
        }
    }

    static List<String> threadNames(Session s) throws Exception {
        List<String> out = new ArrayList<>();
        for (var t : s.dap.ok("threads", null).getAsJsonArray("threads")) out.add(t.getAsJsonObject().get("name").getAsString());
        return out;
    }

    /**
     * format.hex (a client's "show as hex") shows integral values as a Java developer writes them:
     * a negative one as the bits of its type's width, a char by its code, a box like its value, in
     * locals, in a page the agent describes, in a map's keys and values, and in evaluate; the rest
     * as always. Without the format nothing changes.
     */
    @Test
    void formatHexShowsIntegralValuesInHex() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Hex")) {
            s.launch(Map.of("demo/Hex.java", new int[]{BASIC.line("demo/Hex.java", "BP_HEX")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            int frame = s.topFrame(tid).get("id").getAsInt();
            int locals = s.dap.ok("scopes", Map.of("frameId", frame)).getAsJsonArray("scopes")
                    .get(0).getAsJsonObject().get("variablesReference").getAsInt();
            Map<String, String> hex = hexValues(s, locals);
            assertEquals("0xff", hex.get("b"), hex.toString());
            assertEquals("0xfffe", hex.get("sh"));
            assertEquals("0xcafe", hex.get("magic"));
            assertEquals("0xffffffff", hex.get("minusOne"));
            assertEquals("0xffffffffffffffff", hex.get("wide"));
            assertEquals("0x41", hex.get("ch"));
            assertEquals("2.5", hex.get("d"), "not integral: as always");
            assertEquals("0xfffffff0", hex.get("boxed"));
            assertEquals("String[0]", hex.get("args"), "a length is a count, not a value");

            Map<String, String> plain = s.values(locals);
            assertEquals("51966", plain.get("magic"), "without the format: decimal");
            assertEquals("'A'", plain.get("ch"));

            int boxes = s.variable(locals, "boxes").get("variablesReference").getAsInt();
            assertEquals(List.of("0x7f", "0xffff", "0x7a", "0xff", "0x8000000000000000", "1.5", "\"ff\""),
                    new ArrayList<>(hexValues(s, boxes).values()));
            assertEquals(Map.of("0x10", "0x100"), hexValues(s, s.variable(locals, "byKey").get("variablesReference").getAsInt()));

            assertEquals("0xcaff", evaluate(s, frame, "magic + 1", true));
            assertEquals("0xff", evaluate(s, frame, "(byte) minusOne", true));
            assertEquals("51967", evaluate(s, frame, "magic + 1", false));
            s.continueThread(tid);
            s.assertExit(0);
        }
    }

    private static Map<String, String> hexValues(Session s, int ref) throws Exception {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (var v : s.dap.ok("variables", Map.of("variablesReference", ref, "format", Map.of("hex", true))).getAsJsonArray("variables")) {
            out.put(v.getAsJsonObject().get("name").getAsString(), v.getAsJsonObject().get("value").getAsString());
        }
        return out;
    }

    private static String evaluate(Session s, int frame, String expression, boolean hex) throws Exception {
        Map<String, Object> args = new java.util.HashMap<>(Map.of("expression", expression, "frameId", frame, "context", "watch"));
        if (hex) args.put("format", Map.of("hex", true));
        return s.dap.ok("evaluate", args).get("result").getAsString();
    }

    /**
     * Strings and boxes in a page come from the agent in one call when it is loaded and the thread
     * stopped at an event; without the agent (stopAt: throw) and in a paused thread (no calls
     * possible) they are read one by one. The user sees the same either way.
     */
    @Test
    void pagesOfObjectsShowTheSameWithTheAgentWithoutItAndInAPausedThread() throws Exception {
        Map<String, List<String>> withAgent = pagesAtBreakpoint("handler");
        assertEquals(pagesAtBreakpoint("throw"), withAgent);
        assertEquals(List.of("[0] = 1 : Integer", "[1] = \"two\" : String", "[2] = null", "[3] = 'c' : Character",
                "[4] = 3 : Long", "[5] = 4.5 : Double", "[6] = 2.5 : Float", "[7] = 6 : Short", "[8] = -7 : Byte",
                "[9] = true : Boolean", "[10] = \"\" : String", "[11] = \"say \\\"hi\\\"\\n\" : String",
                "[12] = '\\u0001' : Character", "[13] = ''' : Character", "[14] = -0.0 : Double", "[15] = NaN : Double",
                "[16] = 1.4E-45 : Float", "[17] = -9223372036854775808 : Long"), withAgent.get("mixed").subList(0, 18));
        assertEquals(List.of("[18] = Data$Point@id : demo.Data$Point, expands", "[19] = int[2] : int[], 2 indexed",
                "[20] = RED : demo.Pages$Color, expands", "[21] = NEW : Thread$State, expands",
                "[22] = Object[1] : Object[], 1 indexed", "[23] = -1 : Integer"), withAgent.get("mixed").subList(18, 24));
        assertEquals(List.of("x = 1 : int", "y = 2 : int"), withAgent.get("[18] expanded"));
        assertEquals(List.of("[2] = 20 : Integer", "[3] = 30 : Integer", "[4] = 40 : Integer"), withAgent.get("ints from 2"));
        assertEquals(withAgent.get("mixed"), withAgent.get("list").subList(0, 24), "a list shows its elements as an array does");
        assertEquals("[24] = ImmutableCollections$List12 size=1 : java.util.ImmutableCollections$List12, 1 indexed",
                withAgent.get("list").get(24));

        try (Session s = debugLogged()) {
            s.with("args", List.of("spin")).launch();
            s.assertStdout("spinning\n");
            int main = SteppingTest.threadNamed(s, "main");
            s.dap.ok("pause", Map.of("threadId", main));
            s.stopped("pause");
            JsonObject frame = s.topFrame(main);
            assertEquals("Pages.main(String[])", frame.get("name").getAsString());
            int locals = s.dap.ok("scopes", Map.of("frameId", frame.get("id").getAsInt())).getAsJsonArray("scopes")
                    .get(0).getAsJsonObject().get("variablesReference").getAsInt();
            assertEquals(withAgent.get("mixed"), shown(s, s.variable(locals, "mixed").get("variablesReference").getAsInt(), 0, 100));
            assertEquals(withAgent.get("ints from 2"), shown(s, s.variable(locals, "ints").get("variablesReference").getAsInt(), 2, 3));
            assertTrue(s.dap.serverStderr().contains("the agent could not describe elements 0 to 23"), s.dap.serverStderr());
            s.dap.ok("disconnect", Map.of());
        }
    }

    /** What the user sees of the pages of Pages' arrays and list, stopped at a breakpoint. */
    private static Map<String, List<String>> pagesAtBreakpoint(String stopAt) throws Exception {
        try (Session s = debugLogged()) {
            int line = BASIC.line("demo/Pages.java", "BP_PAGES");
            s.with("stopAt", stopAt).launch(Map.of("demo/Pages.java", new int[]{line}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            int locals = s.dap.ok("scopes", Map.of("frameId", s.topFrame(tid).get("id").getAsInt())).getAsJsonArray("scopes")
                    .get(0).getAsJsonObject().get("variablesReference").getAsInt();
            Map<String, List<String>> out = new java.util.LinkedHashMap<>();
            int mixed = s.variable(locals, "mixed").get("variablesReference").getAsInt();
            out.put("mixed", shown(s, mixed, 0, 100));
            JsonObject spot = page(s, mixed, 18, 1).get(0).getAsJsonObject();
            out.put("[18] expanded", shown(s, spot.get("variablesReference").getAsInt(), null, null));
            out.put("ints from 2", shown(s, s.variable(locals, "ints").get("variablesReference").getAsInt(), 2, 3));
            out.put("list", shown(s, s.variable(locals, "list").get("variablesReference").getAsInt(), 0, 100));
            assertEquals(stopAt.equals("handler"), s.dap.serverStderr().contains("the agent described elements 0 to 23"),
                    "with the agent, it describes the page: " + s.dap.serverStderr());
            assertEquals(line, s.topFrame(tid).get("line").getAsInt(), "the thread is still where it stopped");
            s.continueThread(tid);
            s.assertExit(0);
            return out;
        }
    }

    /** A session on demo.Pages whose server logs at debug level (on its stderr). */
    private static Session debugLogged() throws Exception {
        return Session.start(DapClient.stdio(List.of("-Dhotrestart.debug=true")), BASIC, "demo.Pages", Map.of());
    }

    /** Each variable as the user sees it: name, value (an object's id left out), type, and whether and how it expands. */
    private static List<String> shown(Session s, int ref, Integer start, Integer count) throws Exception {
        Map<String, Object> args = new java.util.HashMap<>(Map.of("variablesReference", ref));
        if (start != null) args.putAll(Map.of("filter", "indexed", "start", start, "count", count));
        List<String> out = new ArrayList<>();
        for (var e : s.dap.ok("variables", args).getAsJsonArray("variables")) {
            JsonObject v = e.getAsJsonObject();
            String line = v.get("name").getAsString() + " = " + v.get("value").getAsString().replaceAll("@\\p{XDigit}+$", "@id")
                    + (v.has("type") ? " : " + v.get("type").getAsString() : "");
            if (v.has("indexedVariables")) line += ", " + v.get("indexedVariables").getAsInt() + " indexed";
            else if (v.get("variablesReference").getAsInt() > 0) line += ", expands";
            out.add(line);
        }
        return out;
    }

    @Test
    void aClassWithoutStaticsHasNoStaticScope() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            s.launch(Map.of("demo/Later.java", new int[]{BASIC.line("demo/Later.java", "BP_LATER")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonObject top = s.topFrame(tid);
            JsonArray scopes = s.dap.ok("scopes", Map.of("frameId", top.get("id").getAsInt())).getAsJsonArray("scopes");
            assertEquals(List.of("Locals"), names(scopes));
            s.continueThread(tid);
            s.assertExit(3);
        }
    }

    @Test
    void referencesAreDroppedOnResumeAndTheSessionGoesOn() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            int add = BASIC.line("demo/Basic.java", "BP_ADD");
            s.launch(Map.of("demo/Basic.java", new int[]{add}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonObject top = s.topFrame(tid);
            int frameId = top.get("id").getAsInt();
            int localsRef = s.dap.ok("scopes", Map.of("frameId", frameId)).getAsJsonArray("scopes")
                    .get(0).getAsJsonObject().get("variablesReference").getAsInt();
            assertEquals("0", s.values(localsRef).get("a"));

            s.continueThread(tid);
            s.stopped("breakpoint"); // add(1, 1)
            String stale = s.dap.error("variables", Map.of("variablesReference", localsRef));
            assertTrue(stale.contains("no longer valid"), stale);
            String staleFrame = s.dap.error("scopes", Map.of("frameId", frameId));
            assertTrue(staleFrame.contains("no longer valid"), staleFrame);

            // fresh references work, and show the new call
            JsonObject now = s.topFrame(tid);
            assertEquals("1", s.locals(now.get("id").getAsInt()).get("a"));
            s.setBreakpoints("demo/Basic.java");
            s.continueThread(tid);
            s.assertExit(3);
        }
    }

    static JsonArray page(Session s, int ref, int start, int count) throws Exception {
        return s.dap.ok("variables", Map.of("variablesReference", ref, "filter", "indexed", "start", start, "count", count))
                .getAsJsonArray("variables");
    }

    static List<String> names(JsonArray scopes) {
        List<String> out = new ArrayList<>();
        for (var sc : scopes) out.add(sc.getAsJsonObject().get("name").getAsString());
        return out;
    }

    /**
     * The Variables view calls size() on collections. A breakpoint inside size() does not stop the
     * view's call (the view would wait for it forever); only the program's own call stops there.
     */
    @Test
    void aBreakpointInSizeDoesNotStopTheVariablesView() throws Exception {
        Fixture f = Fixture.shared("basic");
        String file = "demo/Odd.java";
        try (Session s = Session.start(f, "demo.Odd").with("evaluateTimeout", 3000)) {
            s.launch(Map.of(file, new int[]{f.line(file, "BP_ODD"), f.line(file, "BP_SIZE")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            Map<String, String> locals = s.locals(s.topFrame(tid).get("id").getAsInt());
            assertTrue(String.valueOf(locals.get("stopping")).contains("size=3"), locals.toString());
            assertTrue(s.dap.sawEvent("output", b -> b.get("output").getAsString().contains("did not stop thread \"main\""), 5_000),
                    "the console says why the breakpoint did not stop");
            // the thread is still stopped at BP_ODD, and runs on normally: the next stop is the program's own size() call
            assertEquals(f.line(file, "BP_ODD"), s.topFrame(tid).get("line").getAsInt());
            s.continueThread(tid);
            s.stopped("breakpoint");
            assertEquals(f.line(file, "BP_SIZE"), s.topFrame(tid).get("line").getAsInt());
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("3 done"), s.dap.stdout());
        }
    }

    /** A size() that never returns is ended by the time limit: the view shows the rest, and the thread stays usable. */
    @Test
    void aSizeThatNeverReturnsIsEndedAndTheThreadStaysUsable() throws Exception {
        Fixture f = Fixture.shared("basic");
        String file = "demo/Endless.java";
        try (Session s = Session.start(f, "demo.Endless").with("evaluateTimeout", 1000)) {
            s.launch(Map.of(file, new int[]{f.line(file, "BP_ENDLESS")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            int frame = s.topFrame(tid).get("id").getAsInt();
            Map<String, String> locals = s.locals(frame);
            assertEquals("41", locals.get("count"), locals.toString());
            assertTrue(locals.containsKey("waiting"), locals.toString());
            // the call was interrupted, so the thread still evaluates and runs on
            JsonObject sum = s.dap.ok("evaluate", Map.of("expression", "count + 1", "frameId", frame, "context", "watch"));
            assertEquals("42", sum.get("result").getAsString());
            assertEquals(f.line(file, "BP_ENDLESS"), s.topFrame(tid).get("line").getAsInt());
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("42 done Waiting"), s.dap.stdout());
        }
    }
}
