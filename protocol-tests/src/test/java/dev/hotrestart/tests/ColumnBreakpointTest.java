package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A line with lambdas on it: breakpointLocations names the line's own code and each lambda's body;
 * a breakpoint at one of those columns stops there alone; a breakpoint without a column stops in
 * all of them, as before.
 */
class ColumnBreakpointTest {
    static final String FILE = "col/Lines.java";
    static final Fixture LINES = Fixture.generated("lines", Map.of(FILE, """
            package col;

            import java.util.List;

            public class Lines {
                public static void main(String[] args) {
                    List<Integer> xs = List.of(1, 2, 3);
                    int total = xs.stream().map(x -> x * 10).filter(y -> y > 10).mapToInt(Integer::intValue).sum(); // BP_STREAM
                    System.out.println("total=" + total);
                }
            }
            """));
    static final int LINE = LINES.line(FILE, "BP_STREAM");
    static final String TEXT = LINES.read(FILE).split("\n")[LINE - 1];
    static final int OWN = TEXT.indexOf("int total") + 1;
    static final int MAP = TEXT.indexOf("x * 10") + 1;
    static final int FILTER = TEXT.indexOf("y > 10") + 1;

    @Test
    void breakpointLocationsNameTheLineAndEachLambdaBody() throws Exception {
        try (Session s = Session.start(LINES, "col.Lines")) {
            JsonArray found = s.dap.ok("breakpointLocations", Map.of("source", Map.of("path", LINES.file(FILE).toString()), "line", LINE))
                    .getAsJsonArray("breakpoints");
            List<Integer> columns = new ArrayList<>();
            for (JsonElement e : found) {
                assertEquals(LINE, e.getAsJsonObject().get("line").getAsInt());
                columns.add(e.getAsJsonObject().get("column").getAsInt());
            }
            assertEquals(List.of(OWN, MAP, FILTER), columns);
            JsonArray plain = s.dap.ok("breakpointLocations", Map.of("source", Map.of("path", LINES.file(FILE).toString()), "line", LINE + 1))
                    .getAsJsonArray("breakpoints");
            assertEquals(1, plain.size(), "a line without lambdas has one place: " + plain);
        }
    }

    @Test
    void aColumnInALambdaStopsInThatLambdaAlone() throws Exception {
        assertEquals(List.of("10", "20", "30"), stopsAt(FILTER, "y"), "the filter's body, once per element, with y");
        assertEquals(List.of("1", "2", "3"), stopsAt(MAP, "x"), "the map's body, with x");
        assertEquals(List.of("main"), stopsAt(OWN, null), "the line's own code: once, in main");
        assertEquals(List.of("main", "1", "10", "2", "20", "3", "30"), stopsAt(0, null),
                "no column: the line and every lambda on it, in the order they run");
    }

    /** A client that counts columns from 0 ({@code columnsStartAt1: false}) gets and gives columns its way. */
    @Test
    void aClientThatCountsColumnsFromZeroIsAnsweredItsWay() throws Exception {
        try (Session s = Session.start(LINES, "col.Lines", Map.of("columnsStartAt1", false))) {
            JsonArray found = s.dap.ok("breakpointLocations", Map.of("source", Map.of("path", LINES.file(FILE).toString()), "line", LINE))
                    .getAsJsonArray("breakpoints");
            List<Integer> columns = new ArrayList<>();
            for (JsonElement e : found) columns.add(e.getAsJsonObject().get("column").getAsInt());
            assertEquals(List.of(OWN - 1, MAP - 1, FILTER - 1), columns);
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            JsonObject set = s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", LINES.file(FILE).toString()),
                    "breakpoints", List.of(Map.of("line", LINE, "column", MAP - 1)))).getAsJsonArray("breakpoints").get(0).getAsJsonObject();
            assertEquals(MAP - 1, set.get("column").getAsInt(), set.toString());
            s.dap.ok("configurationDone", null);
            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonObject top = s.topFrame(tid);
            assertEquals("1", s.locals(top.get("id").getAsInt()).get("x"), "the map's body: " + top);
            assertEquals(0, top.get("column").getAsInt(), "a frame's column, the line's start, counted from 0: " + top);
            s.dap.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    /** Runs the program with one breakpoint on the line at {@code column} (0: none); what each stop showed: x or y, or "main". */
    private static List<String> stopsAt(int column, String local) throws Exception {
        List<String> seen = new ArrayList<>();
        try (Session s = Session.start(LINES, "col.Lines")) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            Map<String, Object> bp = column > 0 ? Map.of("line", LINE, "column", column) : Map.of("line", LINE);
            JsonObject set = s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", LINES.file(FILE).toString()), "breakpoints", List.of(bp)))
                    .getAsJsonArray("breakpoints").get(0).getAsJsonObject();
            if (column > 0) assertEquals(column, set.get("column").getAsInt(), "the column is kept: " + set);
            else assertFalse(set.has("column"), set.toString());
            s.dap.ok("configurationDone", null);
            long deadline = System.currentTimeMillis() + DapClient.WAIT_MS;
            while (System.currentTimeMillis() < deadline) {
                if (s.dap.sawEvent("stopped", b -> true, 100)) {
                    int tid = s.threadOf(s.stopped("breakpoint"));
                    JsonObject top = s.topFrame(tid);
                    Map<String, String> locals = s.locals(top.get("id").getAsInt());
                    if (top.get("name").getAsString().startsWith("Lines.main")) seen.add("main");
                    else seen.add(local != null ? locals.get(local) : locals.containsKey("x") ? locals.get("x") : locals.get("y"));
                    s.continueThread(tid);
                } else if (s.dap.sawEvent("exited", b -> true, 100)) {
                    break;
                }
            }
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("total=50"), s.dap.stdout());
        }
        return seen;
    }
}
