package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edits inside one method, reloaded one after another: an edit that keeps the method's lines
 * (compiled with the file's other bodies stubbed, merged into the running class), then one that adds
 * a line (the code below moves: the whole file is compiled). After each, the method runs its edit
 * with its unchanged lambda, and a breakpoint below it stops at the line the editor shows.
 */
class InPlaceReloadTest {
    static final String FILE = "st/Lines.java";

    @Test
    void editsInsideAMethodReloadAndTheCodeBelowKeepsItsLines() throws Exception {
        Fixture f = Fixture.generated("inplace", Map.of(FILE, """
                package st;

                import dev.hotrestart.HotRestart;

                public class Lines {
                    public static void main(String[] args) {
                        for (int round = 0; round < 3; round++) {
                            System.out.println("value " + new Lines().value(round));
                            System.out.println("after " + after(round));
                        }
                    }

                    @HotRestart
                    int value(int round) {
                        java.util.function.IntUnaryOperator twice = x -> x * 2;
                        if (round >= 0) throw new IllegalStateException("v0"); // V_EDIT
                        return twice.applyAsInt(round);
                    }

                    static int after(int round) {
                        int shown = round + 100;
                        return shown; // AFTER
                    }
                }
                """));
        try (Session s = Session.start(f, "st.Lines")) {
            int tid = s.launchUntilEscape();
            // same lines: round 0 answers, round 1 fails anew
            f.edit(FILE, "if (round >= 0) throw new IllegalStateException(\"v0\"); // V_EDIT",
                    "if (round == 0) return twice.applyAsInt(7); if (round == 1) throw new IllegalStateException(\"v1\"); // V_EDIT");
            // a breakpoint below the method: it stops at the line the editor shows
            s.setBreakpoints(FILE, f.line(FILE, "AFTER"));
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            JsonObject hit = s.stopped("breakpoint");
            s.dap.awaitStdout("value 14"); // round 0 ran the edit, with the lambda
            JsonObject top = s.topFrame(s.threadOf(hit));
            assertEquals(f.line(FILE, "AFTER"), top.get("line").getAsInt(), top.toString());
            assertEquals("100", s.locals(top.get("id").getAsInt()).get("shown"));
            s.setBreakpoints(FILE);
            s.continueThread(tid);
            JsonObject escape = s.stopped("exception");
            tid = s.threadOf(escape);
            assertTrue(s.exceptionSentence(escape).contains("v1"), "round 1 ran the first edit: " + s.exceptionSentence(escape));

            // a line more: the code below moves down one line
            f.edit(FILE, "if (round == 0) return twice.applyAsInt(7); if (round == 1) throw new IllegalStateException(\"v1\"); // V_EDIT",
                    "if (round == 0) return twice.applyAsInt(7); // V_EDIT\n        if (round == 1) return twice.applyAsInt(8);");
            s.setBreakpoints(FILE, f.line(FILE, "AFTER"));
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            hit = s.stopped("breakpoint");
            s.dap.awaitStdout("value 16");
            top = s.topFrame(s.threadOf(hit));
            assertEquals("Lines.after(int)", top.get("name").getAsString(), top.toString());
            assertEquals(f.line(FILE, "AFTER"), top.get("line").getAsInt(), "the line the edited file has: " + top);
            assertEquals("101", s.locals(top.get("id").getAsInt()).get("shown"));
            s.setBreakpoints(FILE);
            s.continueThread(s.threadOf(hit));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("value 4"), "round 2 ran the last edit, with the lambda: " + s.dap.stdout());
        }
    }

    /**
     * A method reloaded from a file whose other methods the compile leaves out (nothing it compiles
     * names them) runs its edit with the helper it calls, and its next escape stops once; the
     * caller gets the exception after it.
     */
    @Test
    void aMethodOfAFileWhoseOtherMethodsAreLeftOutRunsItsEditAndStopsOnceAtItsNextEscape() throws Exception {
        StringBuilder others = new StringBuilder();
        for (int k = 0; k < 40; k++) others.append("    static int unused").append(k).append("(int x) {\n        return x + ").append(k).append(";\n    }\n\n");
        Fixture f = Fixture.generated("leftout", Map.of("lo/Counter.java", """
                package lo;

                import dev.hotrestart.HotRestart;

                public class Counter {
                    public static void main(String[] args) {
                        try {
                            System.out.println("count " + new Counter().count(3));
                        } catch (IllegalStateException e) {
                            System.out.println("caught " + e.getMessage());
                        }
                    }

                    static int helper(int n) {
                        return n * 10;
                    }

                """ + others + """
                    @HotRestart
                    int count(int n) {
                        int sum = helper(n);
                        if (sum > 0) throw new IllegalStateException("v0 " + sum); // EDIT
                        return sum;
                    }
                }
                """));
        try (Session s = Session.start(f, "lo.Counter").with("continueAction", "propagate")) {
            int tid = s.launchUntilEscape();
            f.edit("lo/Counter.java", "throw new IllegalStateException(\"v0 \" + sum); // EDIT",
                    "throw new IllegalStateException(\"v1 \" + (sum + helper(1))); // EDIT");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            JsonObject escape = s.stopped("exception");
            assertTrue(s.exceptionSentence(escape).contains("v1 40"), "the edit ran, with the helper: " + s.exceptionSentence(escape));
            s.continueThread(s.threadOf(escape));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("caught v1 40"), s.dap.stdout());
            assertEquals(2, EscapeTest.exceptionStops(s), "one stop per escape: " + s.dap.allEvents());
        }
    }
}
