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

/** Data breakpoints on fields: dataBreakpointInfo from the Variables view, then setDataBreakpoints. */
class DataBreakpointTest {
    static final Fixture MEMBERS = Fixture.shared("members");
    static final String STOCK = "members/Stock.java";
    static final String STORE = "members/Store.java";

    @Test
    void aFieldOfOneObjectStopsWhenThatObjectsFieldIsWritten() throws Exception {
        try (Session s = Session.start(MEMBERS, "members.Store")) {
            int tid = launchToReady(s, MEMBERS);
            int locals = scope(s, tid, 0);
            JsonObject local = info(s, locals, "first");
            assertTrue(local.get("dataId") == null || local.get("dataId").isJsonNull(), local.toString());
            assertTrue(local.get("description").getAsString().contains("local variable"), local.toString());

            int apples = s.variable(locals, "first").get("variablesReference").getAsInt();
            JsonObject count = info(s, apples, "count");
            assertEquals(List.of("write", "read", "readWrite"), strings(count.getAsJsonArray("accessTypes")));
            assertFalse(count.get("canPersist").getAsBoolean(), "one object's id means nothing to another session");
            assertTrue(count.get("description").getAsString().startsWith("count of Stock@"), count.toString());
            JsonObject set = setDataBreakpoints(s, Map.of("dataId", count.get("dataId").getAsString())).get(0).getAsJsonObject();
            assertTrue(set.get("verified").getAsBoolean(), set.toString());
            int id = set.get("id").getAsInt();

            s.continueThread(tid);
            JsonObject stop = expectStop(s, "count: 10 → 7", "Stock.take(int)", "DB_TAKE", id);
            String console = "hotrestart: data breakpoint: Stock.count of Stock@\\p{XDigit}+ changes from 10 to 7 in Stock.take\\(int\\) at Stock.java:"
                    + MEMBERS.line(STOCK, "DB_TAKE") + "\n";
            assertTrue(s.dap.allEvents().stream().anyMatch(e -> e.get("event").getAsString().equals("output")
                    && e.getAsJsonObject("body").get("output").getAsString().matches(console)), "the whole story in the debug console");
            // stopped before the write: the field still holds the old value
            int self = s.variable(scope(s, s.threadOf(stop), 0), "this").get("variablesReference").getAsInt();
            assertEquals("10", s.values(self).get("count"));
            s.continueThread(s.threadOf(stop));
            // pears.take(1) writes another object's count: no stop
            stop = expectStop(s, "count: 7 → 12", "Stock.put(int)", "DB_PUT", id);
            s.continueThread(s.threadOf(stop));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("store 12 6 12 2 fresher"), s.dap.stdout());
            assertEquals(3, BreakpointTest.count(s, "stopped"), "reads do not stop a write watch: " + s.dap.allEvents());
        }
    }

    @Test
    void readsStaticFieldsAndHitCounts() throws Exception {
        try (Session s = Session.start(MEMBERS, "members.Store")) {
            int tid = launchToReady(s, MEMBERS);
            int locals = scope(s, tid, 0);
            JsonObject motto = info(s, scope(s, tid, 1), "motto");
            assertTrue(motto.get("canPersist").getAsBoolean(), motto.toString());
            assertEquals("Store.motto", motto.get("description").getAsString());
            String apples = info(s, s.variable(locals, "first").get("variablesReference").getAsInt(), "count").get("dataId").getAsString();
            String pears = info(s, s.variable(locals, "second").get("variablesReference").getAsInt(), "count").get("dataId").getAsString();
            int[] ids = FunctionBreakpointTest.ids(setDataBreakpoints(s, Map.of("dataId", motto.get("dataId").getAsString()),
                    // the fourth read of apples.count: counted by the JVM, one request
                    Map.of("dataId", apples, "accessType", "read", "hitCondition", "== 4"),
                    // the fourth access of pears.count, read or write: counted by the adapter over two requests
                    Map.of("dataId", pears, "accessType", "readWrite", "hitCondition", "== 4")));
            s.continueThread(tid);
            // apples: read by label() in ready, by take(3), by put(5), by peek()
            JsonObject stop = expectStop(s, "count read: 12", "Stock.peek()", "DB_PEEK", ids[1]);
            s.continueThread(s.threadOf(stop));
            // pears: read by label(), read and written by take(1), read by put(2)
            stop = expectStop(s, "count read: 4", "Stock.put(int)", "DB_PUT", ids[2]);
            s.continueThread(s.threadOf(stop));
            stop = s.stopped("data breakpoint");
            assertEquals("motto: \"fresh\" → \"fresher\"", stop.get("description").getAsString(), stop.toString());
            assertEquals("Store.main(String[])", s.topFrame(s.threadOf(stop)).get("name").getAsString());
            s.continueThread(s.threadOf(stop));
            s.assertExit(0);
            assertEquals(4, BreakpointTest.count(s, "stopped"), s.dap.allEvents().toString());
        }
    }

    @Test
    void conditionsAreEvaluatedInTheFrameThatWrites() throws Exception {
        try (Session s = Session.start(MEMBERS, "members.Store")) {
            int tid = launchToReady(s, MEMBERS);
            int apples = s.variable(scope(s, tid, 0), "first").get("variablesReference").getAsInt();
            String count = info(s, apples, "count").get("dataId").getAsString();
            JsonArray set = setDataBreakpoints(s, Map.of("dataId", count, "condition", "n > 4"),
                    Map.of("dataId", count, "condition", "n >"), Map.of("dataId", "nonsense"));
            assertFalse(set.get(1).getAsJsonObject().get("verified").getAsBoolean());
            assertTrue(set.get(1).getAsJsonObject().get("message").getAsString().startsWith("Condition: "), set.toString());
            assertTrue(set.get(2).getAsJsonObject().get("message").getAsString().contains("not a data id"), set.toString());
            s.continueThread(tid);
            // take(3) does not fit the condition, put(5) does
            JsonObject stop = expectStop(s, "count: 7 → 12", "Stock.put(int)", "DB_PUT", set.get(0).getAsJsonObject().get("id").getAsInt());
            s.continueThread(s.threadOf(stop));
            s.assertExit(0);
            assertEquals(2, BreakpointTest.count(s, "stopped"), s.dap.allEvents().toString());
        }
    }

    /** A static field's data id and a field named Class.field persist: a later session sets them before their class loads. */
    @Test
    void fieldsOfTheClassPersistAndWaitForTheirClassInTheNextSession() throws Exception {
        String motto, everyCount;
        try (Session s = Session.start(MEMBERS, "members.Store")) {
            int tid = launchToReady(s, MEMBERS);
            motto = info(s, scope(s, tid, 1), "motto").get("dataId").getAsString();
            JsonObject every = s.dap.ok("dataBreakpointInfo", Map.of("name", "Stock.count"));
            assertEquals("Stock.count (every instance)", every.get("description").getAsString(), every.toString());
            assertTrue(every.get("canPersist").getAsBoolean(), every.toString());
            everyCount = every.get("dataId").getAsString();
        }
        try (Session s = Session.start(MEMBERS, "members.Store")) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            JsonArray set = setDataBreakpoints(s, Map.of("dataId", motto), Map.of("dataId", everyCount, "hitCondition", "== 3"));
            for (var b : set) {
                assertFalse(b.getAsJsonObject().get("verified").getAsBoolean(), b.toString());
                assertEquals("pending", b.getAsJsonObject().get("reason").getAsString(), b.toString());
            }
            int[] ids = FunctionBreakpointTest.ids(set);
            s.dap.ok("configurationDone", null);
            verified(s, ids[0]);
            // set before Store's code runs: its static initializer's write stops too
            JsonObject stop = s.stopped("data breakpoint");
            assertEquals("motto: null → \"fresh\"", stop.get("description").getAsString(), stop.toString());
            assertEquals("Store.<clinit>()", s.topFrame(s.threadOf(stop)).get("name").getAsString());
            s.continueThread(s.threadOf(stop));
            verified(s, ids[1]);
            // the constructors wrote count twice; the third write is apples.take(3)
            stop = expectStop(s, "count: 10 → 7", "Stock.take(int)", "DB_TAKE", ids[1]);
            s.continueThread(s.threadOf(stop));
            stop = s.stopped("data breakpoint");
            assertEquals("motto: \"fresh\" → \"fresher\"", stop.get("description").getAsString(), stop.toString());
            s.continueThread(s.threadOf(stop));
            s.assertExit(0);
        }
    }

    @Test
    void aWatchOutlivesAReloadOfItsClass() throws Exception {
        Fixture f = Fixture.of("members");
        try (Session s = Session.start(f, "members.Store")) {
            int tid = launchToReady(s, f);
            int apples = s.variable(scope(s, tid, 0), "first").get("variablesReference").getAsInt();
            int id = setDataBreakpoints(s, Map.of("dataId", info(s, apples, "count").get("dataId").getAsString()))
                    .get(0).getAsJsonObject().get("id").getAsInt();
            s.continueThread(tid);
            JsonObject stop = expectStop(s, "count: 10 → 7", "Stock.take(int)", "DB_TAKE", id);
            f.edit(STOCK, "count += n; // DB_PUT", "count += n * 2; // DB_PUT");
            JsonObject body = s.dap.ok("reloadClass", Map.of("source", Map.of("path", f.file(STOCK).toString())));
            assertTrue(body.getAsJsonArray("reloaded").toString().contains("put(int)"), body.toString());
            s.continueThread(s.threadOf(stop));
            // the new put(int) writes the watched field: the watch is still there
            stop = expectStop(s, "count: 7 → 17", "Stock.put(int)", "DB_PUT", id);
            s.continueThread(s.threadOf(stop));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("store 17 "), s.dap.stdout());
        }
    }

    /**
     * The JVM holds a watched object (JDWP keeps a strong reference for the instance filter), so
     * a watch never outlives its object; one set again after its object was collected says so.
     */
    @Test
    void aWatchKeepsItsObjectAndOneSetAfterTheObjectWasCollectedSaysSo() throws Exception {
        try (Session s = Session.start(MEMBERS, "members.Store").with("args", List.of("forget"))) {
            int tid = launchToReady(s, MEMBERS);
            int locals = scope(s, tid, 0);
            String apples = info(s, s.variable(locals, "first").get("variablesReference").getAsInt(), "count").get("dataId").getAsString();
            String pears = info(s, s.variable(locals, "second").get("variablesReference").getAsInt(), "count").get("dataId").getAsString();
            Map<String, Object> applesWatch = Map.of("dataId", apples, "hitCondition", "1000"); // set, never reached
            assertTrue(setDataBreakpoints(s, applesWatch).get(0).getAsJsonObject().get("verified").getAsBoolean());
            s.setBreakpoints(STORE, MEMBERS.line(STORE, "DB_FORGOTTEN"));
            s.continueThread(tid);
            JsonObject stop = s.stopped("breakpoint");
            // main dropped both stocks and the collector ran: pears is gone, the watched apples is not
            JsonArray again = setDataBreakpoints(s, applesWatch, Map.of("dataId", pears));
            assertTrue(again.get(0).getAsJsonObject().get("verified").getAsBoolean(), again.toString());
            JsonObject gone = again.get(1).getAsJsonObject();
            assertFalse(gone.get("verified").getAsBoolean(), gone.toString());
            assertTrue(gone.get("message").getAsString().startsWith("The object was garbage-collected"), gone.toString());
            s.continueThread(s.threadOf(stop));
            s.assertExit(0);
        }
    }

    private static void verified(Session s, int id) {
        JsonObject changed = s.dap.event("breakpoint", b -> b.getAsJsonObject("breakpoint").get("id").getAsInt() == id);
        assertTrue(changed.getAsJsonObject("breakpoint").get("verified").getAsBoolean(), changed.toString());
    }

    /** Launches Store and stops in ready(first, second) through a function breakpoint; returns the thread. */
    static int launchToReady(Session s, Fixture f) throws Exception {
        s.dap.ok("launch", s.launchArgs);
        s.dap.event("initialized");
        FunctionBreakpointTest.setFunctionBreakpoints(s, "Store#ready");
        s.dap.ok("configurationDone", null);
        int tid = s.threadOf(s.stopped("function breakpoint"));
        assertEquals(f.line(STORE, "DB_READY"), s.topFrame(tid).get("line").getAsInt());
        FunctionBreakpointTest.setFunctionBreakpoints(s);
        return tid;
    }

    /** The variables reference of the top frame's scope: 0 Locals, 1 Static. */
    static int scope(Session s, int tid, int which) throws Exception {
        int frame = s.topFrame(tid).get("id").getAsInt();
        return s.dap.ok("scopes", Map.of("frameId", frame)).getAsJsonArray("scopes").get(which).getAsJsonObject()
                .get("variablesReference").getAsInt();
    }

    static JsonObject info(Session s, int ref, String name) throws Exception {
        return s.dap.ok("dataBreakpointInfo", Map.of("variablesReference", ref, "name", name));
    }

    @SafeVarargs
    static JsonArray setDataBreakpoints(Session s, Map<String, Object>... bps) throws Exception {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map<String, Object> b : bps) list.add(new LinkedHashMap<>(b));
        return s.dap.ok("setDataBreakpoints", Map.of("breakpoints", list)).getAsJsonArray("breakpoints");
    }

    /** Waits for a data breakpoint stop with this description, in this method at the marked line of Stock.java. */
    static JsonObject expectStop(Session s, String description, String method, String lineMarker, int id) throws Exception {
        JsonObject stop = s.stopped("data breakpoint");
        assertEquals(description, stop.get("description").getAsString(), stop.toString());
        assertEquals(List.of(String.valueOf(id)), strings(stop.getAsJsonArray("hitBreakpointIds")), stop.toString());
        JsonObject top = s.topFrame(s.threadOf(stop));
        assertEquals(method, top.get("name").getAsString(), top.toString());
        assertEquals(MEMBERS.line(STOCK, lineMarker), top.get("line").getAsInt(), top.toString());
        return stop;
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }
}
