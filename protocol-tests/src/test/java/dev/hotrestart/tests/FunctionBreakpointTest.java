package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Function breakpoints: Class#method and Class#method(ParamType, …), stopping at the method's entry. */
class FunctionBreakpointTest {
    static final Fixture MEMBERS = Fixture.shared("members");
    static final String SHOP = "members/Shop.java";

    @Test
    void stopsAtTheEntryOfEveryOverloadOrOfTheOneItsParametersName() throws Exception {
        try (Session s = Session.start(MEMBERS, "members.Shop")) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            JsonArray set = setFunctionBreakpoints(s, "members.Shop#price", "Shop#total(int[], String...)", "Shop.Basket#add(int)",
                    "members.Shop$Basket#add", "Shop#count(java.util.List<String>)", "Shop#<init>");
            // nothing of the program is loaded before configurationDone: each waits for its class, and says so
            for (var b : set) {
                JsonObject o = b.getAsJsonObject();
                assertFalse(o.get("verified").getAsBoolean(), o.toString());
                assertEquals("pending", o.get("reason").getAsString(), o.toString());
                assertTrue(o.get("message").getAsString().contains("is set when it loads"), o.toString());
            }
            int[] ids = ids(set);
            // a line breakpoint on total's first line as well: one stop, both ids
            int lineId = s.setBreakpoints(SHOP, MEMBERS.line(SHOP, "FN_TOTAL")).get(0).getAsJsonObject().get("id").getAsInt();
            s.dap.ok("configurationDone", null);

            // verified when Shop loads, with the line the first overload starts at
            JsonObject changed = s.dap.event("breakpoint", b -> id(b) == ids[0]).getAsJsonObject("breakpoint");
            assertTrue(changed.get("verified").getAsBoolean(), changed.toString());
            assertEquals(MEMBERS.line(SHOP, "FN_PRICE_INT"), changed.get("line").getAsInt(), changed.toString());
            assertEquals(MEMBERS.file(SHOP).toString(), changed.getAsJsonObject("source").get("path").getAsString());

            s.continueThread(s.threadOf(expectStop(s, "Shop.<init>(int)", "FN_CONSTRUCTOR", ids[5])));
            s.continueThread(s.threadOf(expectStop(s, "Shop.price(int)", "FN_PRICE_INT", ids[0])));
            s.continueThread(s.threadOf(expectStop(s, "Shop.price(String)", "FN_PRICE_STRING", ids[0])));
            s.continueThread(s.threadOf(expectStop(s, "Shop.total(int[], String[])", "FN_TOTAL", ids[1], lineId)));
            s.continueThread(s.threadOf(expectStop(s, "Shop.count(List)", "FN_COUNT", ids[4])));
            for (int n = 1; n <= 3; n++) {
                // two names for one method: one stop, both ids
                JsonObject stop = expectStop(s, "Shop.Basket.add(int)", "FN_BASKET_ADD", ids[2], ids[3]);
                assertEquals(String.valueOf(n), s.locals(s.topFrame(s.threadOf(stop)).get("id").getAsInt()).get("n"));
                s.continueThread(s.threadOf(stop));
            }
            s.assertExit(0);
            assertEquals(8, BreakpointTest.count(s, "stopped"), "one stop per call, none twice: " + s.dap.allEvents());
        }
    }

    @Test
    void aNameThatFindsNothingToStopInSaysWhy() throws Exception {
        try (Session s = Session.start(MEMBERS, "members.Shop")) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            int late = ids(setFunctionBreakpoints(s, "members.Late#arrive"))[0];
            s.dap.ok("configurationDone", null);
            JsonObject changed = s.dap.event("breakpoint", b -> id(b) == late).getAsJsonObject("breakpoint");
            assertTrue(changed.get("verified").getAsBoolean(), changed.toString());
            JsonObject stop = expectStop(s, "Late.arrive(int)", "FN_LATE", late);

            // every class is loaded now: what does not fit is told at once, on the breakpoint
            Map<String, Object> badCondition = Map.of("name", "Shop#price", "condition", "nosuch > 1");
            Map<String, Object> unparsable = Map.of("name", "Shop#price", "condition", "qty >");
            JsonArray set = setFunctionBreakpoints(s, "Shop#price(long)", "Shop#nosuch", "Priced#cost", "Shop#clock", "Twin#twin",
                    "more.Twin#twin", "Shop#toString", "Shop", "Shop#price(int", "#price", badCondition, unparsable);
            String[] expected = {
                    "Shop has no price with parameters (long); it has Shop.price(String), Shop.price(int).",
                    "Shop has no method nosuch.",
                    "Priced.cost() is abstract: it has no Java code to stop in. Set the breakpoint on an implementation.",
                    "Shop.clock() is native: it has no Java code to stop in.",
                    "'Twin' could be any of members.Twin, members.more.Twin: write the one you mean in full.",
                    null,
                    "Shop does not declare toString: it inherits it from java.lang.Object. Write java.lang.Object#toString",
                    "'Shop' is not a method to stop in: it needs one '#' between the class and the method; write Class#method or Class#method(int, String).",
                    "'Shop#price(int' is not a method to stop in: the parameter list has no closing ')'",
                    "'#price' is not a method to stop in: the class is missing",
                    "Condition 'nosuch > 1': ",
                    "Condition: ",
            };
            for (int i = 0; i < expected.length; i++) {
                JsonObject b = set.get(i).getAsJsonObject();
                if (expected[i] == null) {
                    assertTrue(b.get("verified").getAsBoolean(), "a partly qualified name that fits one class: " + b);
                    continue;
                }
                assertFalse(b.get("verified").getAsBoolean(), b.toString());
                assertEquals("failed", b.get("reason").getAsString(), b.toString());
                assertTrue(b.get("message").getAsString().startsWith(expected[i]), "breakpoint " + i + ": " + b);
            }
            s.continueThread(s.threadOf(stop));
            s.assertExit(0);
        }
    }

    @Test
    void conditionsAndHitCountsDecideAsOnLineBreakpoints() throws Exception {
        try (Session s = Session.start(MEMBERS, "members.Shop")) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            int[] ids = ids(setFunctionBreakpoints(s, Map.of("name", "Shop.Basket#add", "condition", "n == 2 && items == 1"),
                    Map.of("name", "Shop#price", "hitCondition", "2"),
                    Map.of("name", "Late#arrive", "condition", "n > 100"),
                    Map.of("name", "Shop#total", "hitCondition", "== 2")));
            s.dap.ok("configurationDone", null);
            // the second call of price: the hit count counts calls of every overload
            JsonObject stop = expectStop(s, "Shop.price(String)", "FN_PRICE_STRING", ids[1]);
            s.continueThread(s.threadOf(stop));
            stop = expectStop(s, "Shop.Basket.add(int)", "FN_BASKET_ADD", ids[0]);
            assertEquals("2", s.locals(s.topFrame(s.threadOf(stop)).get("id").getAsInt()).get("n"));
            s.continueThread(s.threadOf(stop));
            // arrive's condition is false, total is called once (its hit count is counted by the JVM): no more stops
            s.assertExit(0);
            assertEquals(2, BreakpointTest.count(s, "stopped"), s.dap.allEvents().toString());
        }
    }

    @Test
    void aReloadOfTheClassSetsTheBreakpointAgain() throws Exception {
        Fixture f = Fixture.of("members");
        try (Session s = Session.start(f, "members.Shop")) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            int id = ids(setFunctionBreakpoints(s, "Shop.Basket#add"))[0];
            s.dap.ok("configurationDone", null);
            JsonObject stop = expectStop(s, "Shop.Basket.add(int)", "FN_BASKET_ADD", id);
            f.edit(SHOP, "items += n; // FN_BASKET_ADD", "items += n * 10; // FN_BASKET_ADD");
            JsonObject body = s.dap.ok("reloadClass", Map.of("source", Map.of("path", f.file(SHOP).toString())));
            assertTrue(body.getAsJsonArray("reloaded").toString().contains("add(int)"), body.toString());
            // the JVM dropped the breakpoint with the old code: it stops in the new code all the same
            s.continueThread(s.threadOf(stop));
            for (int n = 2; n <= 3; n++) {
                stop = expectStop(s, "Shop.Basket.add(int)", "FN_BASKET_ADD", id);
                assertEquals(String.valueOf(n), s.locals(s.topFrame(s.threadOf(stop)).get("id").getAsInt()).get("n"));
                s.continueThread(s.threadOf(stop));
            }
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains(" 51 "), "the first call ran the old code, the others the new: " + s.dap.stdout());
        }
    }

    /**
     * A condition on a function breakpoint that names one method is compiled into it, as a line
     * breakpoint's is: a million calls between stops take well under the wait for a stop (the
     * debugger evaluating it would take minutes), it stops exactly where the condition holds, and a
     * reload of the class keeps it in. A condition that cannot go in is evaluated by the debugger,
     * and its breakpoint says why.
     */
    @Test
    void aConditionIsCompiledIntoTheOneMethodItNames() throws Exception {
        Fixture f = Fixture.of("members");
        String calls = "members/Calls.java";
        int n = 3_000_000;
        try (Session s = Session.start(f, "members.Calls").with("args", List.of(Integer.toString(n)))) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            int[] ids = ids(setFunctionBreakpoints(s, Map.of("name", "members.Calls#step", "condition", "i % 1_000_000 == 999_999"),
                    Map.of("name", "Calls#main", "condition", "args.length == 5 /* a comment */")));
            s.dap.ok("configurationDone", null);

            JsonObject stop = s.stopped("function breakpoint");
            // what the client was told last of each, in whatever order the class load told them
            JsonObject step = lastTold(s, ids[0]), main = lastTold(s, ids[1]);
            assertTrue(step.get("verified").getAsBoolean(), step.toString());
            assertFalse(step.has("message"), "compiled in: nothing to say: " + step);
            assertTrue(main.get("verified").getAsBoolean(), main.toString());
            assertEquals("The condition is evaluated by the debugger, a round trip per call: the condition spans lines or holds a comment.",
                    main.get("message").getAsString(), main.toString());
            JsonObject top = s.topFrame(s.threadOf(stop));
            assertEquals("Calls.step(int, long)", top.get("name").getAsString(), top.toString());
            assertEquals(f.line(calls, "FN_STEP"), top.get("line").getAsInt(), top.toString());
            assertEquals("Calls.step(int, long)", stop.get("description").getAsString(), stop.toString());
            assertEquals(List.of(ids[0]), List.of(stop.getAsJsonArray("hitBreakpointIds").get(0).getAsInt()), stop.toString());
            assertEquals("999999", s.locals(top.get("id").getAsInt()).get("i"));

            // the class reloaded: the condition goes in again with the new code
            f.edit(calls, "return total + i; // FN_STEP", "return total + i + 1; // FN_STEP");
            s.dap.ok("reloadClass", Map.of("source", Map.of("path", f.file(calls).toString())));
            // set again, as an editor does when any function breakpoint changes: the code it needs is in already
            JsonArray again = setFunctionBreakpoints(s, Map.of("name", "members.Calls#step", "condition", "i % 1_000_000 == 999_999"));
            assertTrue(again.get(0).getAsJsonObject().get("verified").getAsBoolean() && !again.get(0).getAsJsonObject().has("message"),
                    again.toString());
            int stepId = again.get(0).getAsJsonObject().get("id").getAsInt();
            s.continueThread(s.threadOf(stop));
            for (int want : new int[]{1_999_999, 2_999_999}) {
                stop = s.stopped("function breakpoint");
                assertEquals(stepId, stop.getAsJsonArray("hitBreakpointIds").get(0).getAsInt(), stop.toString());
                top = s.topFrame(s.threadOf(stop));
                assertEquals(String.valueOf(want), s.locals(top.get("id").getAsInt()).get("i"), top.toString());
                s.continueThread(s.threadOf(stop));
            }
            s.assertExit(0);
            assertEquals(3, BreakpointTest.count(s, "stopped"), s.dap.allEvents().toString());
            long sum = (long) n * (n - 1) / 2;
            assertTrue(s.dap.stdout().contains("total=" + (sum + 2_000_000) + " "),
                    "the calls after the reload ran the new code: " + s.dap.stdout());
        }
    }

    /** A line breakpoint on the method's first line and a function breakpoint with a condition stop once together, as before. */
    @Test
    void aLineBreakpointOnTheFirstLineStopsOnceWithAConditionalFunctionBreakpoint() throws Exception {
        try (Session s = Session.start(MEMBERS, "members.Shop")) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            int lineId = s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", MEMBERS.file(SHOP).toString()),
                            "breakpoints", List.of(Map.of("line", MEMBERS.line(SHOP, "FN_BASKET_ADD"), "condition", "n >= 2"))))
                    .getAsJsonArray("breakpoints").get(0).getAsJsonObject().get("id").getAsInt();
            int fnId = ids(setFunctionBreakpoints(s, Map.of("name", "Shop.Basket#add", "condition", "n == 2")))[0];
            s.dap.ok("configurationDone", null);
            // (verified first by the swap that compiles the line breakpoint's condition in, then told why its own is not)
            JsonObject told = s.dap.event("breakpoint", b -> id(b) == fnId && b.getAsJsonObject("breakpoint").has("message"))
                    .getAsJsonObject("breakpoint");
            assertTrue(told.get("message").getAsString().contains("a line breakpoint is on the method's first line too"), told.toString());
            for (int n = 2; n <= 3; n++) {
                JsonObject stop = s.dap.stopped("breakpoint");
                List<Integer> hit = new ArrayList<>();
                stop.getAsJsonArray("hitBreakpointIds").forEach(e -> hit.add(e.getAsInt()));
                hit.sort(null);
                assertEquals(n == 2 ? List.of(lineId, fnId) : List.of(lineId), hit, stop.toString());
                assertEquals(String.valueOf(n), s.locals(s.topFrame(s.threadOf(stop)).get("id").getAsInt()).get("n"));
                s.continueThread(s.threadOf(stop));
            }
            s.assertExit(0);
            assertEquals(2, BreakpointTest.count(s, "stopped"), "one stop per call where a condition holds: " + s.dap.allEvents());
        }
    }

    /** Editors send breakpoints before they attach: the JVM's classes are loaded by then, and the client hears at once. */
    @Test
    void breakpointsSentBeforeAttachingAreToldWhenTheJvmConnects() throws Exception {
        try (TcpAndAttachTest.Ticker ticker = TcpAndAttachTest.Ticker.start(); DapClient dap = DapClient.stdio()) {
            Session s = Session.over(dap);
            dap.event("initialized");
            JsonArray set = setFunctionBreakpoints(s, "demo.Ticker#tick", "Ticker#nosuch");
            for (var b : set) {
                assertEquals("pending", b.getAsJsonObject().get("reason").getAsString(), b.toString());
                assertEquals("It is set when the program starts.", b.getAsJsonObject().get("message").getAsString(), b.toString());
            }
            int[] ids = ids(set);
            dap.ok("attach", TcpAndAttachTest.attachArgs(ticker.port));
            JsonObject tick = dap.event("breakpoint", b -> id(b) == ids[0]).getAsJsonObject("breakpoint");
            assertTrue(tick.get("verified").getAsBoolean(), tick.toString());
            JsonObject none = dap.event("breakpoint", b -> id(b) == ids[1]).getAsJsonObject("breakpoint");
            assertFalse(none.get("verified").getAsBoolean(), none.toString());
            assertEquals("Ticker has no method nosuch.", none.get("message").getAsString());
            dap.ok("configurationDone", null);
            JsonObject stop = s.stopped("function breakpoint");
            assertEquals("Ticker.tick(int)", s.topFrame(s.threadOf(stop)).get("name").getAsString());
            dap.ok("disconnect", Map.of());
        }
    }

    /** Waits for a function breakpoint stop in this method at its first line, with these breakpoint ids. */
    static JsonObject expectStop(Session s, String method, String lineMarker, int... ids) throws Exception {
        JsonObject stop = s.stopped("function breakpoint");
        JsonObject top = s.topFrame(s.threadOf(stop));
        assertEquals(method, top.get("name").getAsString(), stop.toString());
        assertEquals(MEMBERS.line(fileOf(lineMarker), lineMarker), top.get("line").getAsInt(), top.toString());
        List<Integer> hit = new ArrayList<>();
        stop.getAsJsonArray("hitBreakpointIds").forEach(e -> hit.add(e.getAsInt()));
        List<Integer> want = new ArrayList<>();
        for (int id : ids) want.add(id);
        hit.sort(null);
        assertEquals(want, hit, stop.toString());
        assertEquals(method, stop.get("description").getAsString(), "the stop names the method: " + stop);
        return stop;
    }

    private static String fileOf(String marker) {
        return marker.equals("FN_LATE") ? "members/Late.java" : SHOP;
    }

    /** Sends setFunctionBreakpoints: a String is a name, a Map the whole breakpoint. */
    static JsonArray setFunctionBreakpoints(Session s, Object... bps) throws Exception {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Object b : bps) {
            if (b instanceof String name) list.add(Map.of("name", name));
            else {
                @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) b;
                list.add(new LinkedHashMap<>(m));
            }
        }
        return s.dap.ok("setFunctionBreakpoints", Map.of("breakpoints", list)).getAsJsonArray("breakpoints");
    }

    static int[] ids(JsonArray set) {
        int[] ids = new int[set.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = set.get(i).getAsJsonObject().get("id").getAsInt();
        return ids;
    }

    /** The breakpoint as the last {@code breakpoint} event so far told of it. */
    private static JsonObject lastTold(Session s, int id) {
        JsonObject last = null;
        for (JsonObject e : s.dap.allEvents()) {
            if (e.get("event").getAsString().equals("breakpoint") && id(e.getAsJsonObject("body")) == id) {
                last = e.getAsJsonObject("body").getAsJsonObject("breakpoint");
            }
        }
        assertTrue(last != null, "no breakpoint event for " + id);
        return last;
    }

    private static int id(JsonObject breakpointEvent) {
        return breakpointEvent.getAsJsonObject("breakpoint").get("id").getAsInt();
    }
}
