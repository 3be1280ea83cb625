package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timing log a reload writes with {@code HOTRESTART_STAGES} (docs/performance.md): one line per
 * restart with a reload, its stages in the order they ran, from the frame check to the stopped
 * event. It also shows the class went to the JVM the fast way: as one array in the JDWP packet
 * ({@code redefine}), which the server jar's manifest makes possible, not JDI's byte-by-byte call
 * ({@code redefineByJdi}), which would cost a big file's reload about 3 ms; and that JDI was told
 * as its own call tells it: a breakpoint set below the method before a reload that moves the code
 * stops at its line, before the line runs (with JDI's old line table it stopped a line late).
 */
class ReloadStagesTest {
    static final String FILE = "st/Stages.java";

    @Test
    void aReloadWritesItsStagesAndHandsTheClassOverWhole() throws Exception {
        Fixture f = Fixture.generated("stages", Map.of(FILE, """
                package st;

                import dev.hotrestart.HotRestart;

                public class Stages {
                    public static void main(String[] args) {
                        report(new Stages().value(20));
                    }

                    @HotRestart
                    int value(int n) {
                        if (n > 0) throw new IllegalStateException("v0"); // EDIT
                        return n;
                    }

                    static void report(int answer) {
                        String said = "answer " + answer;
                        System.out.println(said); // REPORT
                    }
                }
                """));
        Path log = f.root.resolve("stages.txt");
        try (Session s = Session.start(DapClient.stdio(Map.of("HOTRESTART_STAGES", log.toString())), f, "st.Stages", Map.of())) {
            int tid = s.launchUntilEscape();
            // a line more: the class's code below the method moves down, and a breakpoint set
            // there before the reload (which the JVM clears with the old class) stops at its line
            s.setBreakpoints(FILE, f.line(FILE, "REPORT"));
            f.edit(FILE, "if (n > 0) throw new IllegalStateException(\"v0\"); // EDIT", "int twice = n * 2; // EDIT\n        if (n > 0) return twice + 2;");
            s.setBreakpoints(FILE, f.line(FILE, "REPORT"));
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", false));
            s.stopped("restart");
            s.continueThread(tid);
            JsonObject hit = s.stopped("breakpoint");
            JsonObject top = s.topFrame(s.threadOf(hit));
            assertEquals(f.line(FILE, "REPORT"), top.get("line").getAsInt(), "the line the edited file has: " + top);
            // stopped before the line ran (JDI reading the old line table would put it one line late: at the return)
            assertFalse(s.dap.stdout().contains("answer"), "stopped before the line printed: " + s.dap.stdout());
            assertEquals("\"answer 42\"", s.locals(top.get("id").getAsInt()).get("said"));
            s.continueThread(s.threadOf(hit));
            s.dap.awaitStdout("answer 42");
            s.assertExit(0);
        }
        List<String> reloads = Files.readAllLines(log).stream().filter(l -> l.startsWith("reload ")).toList();
        assertEquals(1, reloads.size(), "one line for the one reload: " + reloads);
        List<String> names = new ArrayList<>();
        double last = 0;
        for (String kv : reloads.get(0).split(" ")) {
            int eq = kv.indexOf('=');
            if (eq < 0 || kv.startsWith("at=") || kv.startsWith("sinceRead=")) continue;
            double ms = Double.parseDouble(kv.substring(eq + 1));
            assertTrue(ms >= last, "each stage's time since the request is at least the last one's: " + reloads.get(0));
            last = ms;
            names.add(kv.substring(0, eq));
        }
        assertFalse(names.contains("redefineByJdi"), "the class went over as one array: " + reloads.get(0));
        for (String stage : List.of("frames", "compiled", "redefine", "popped", "stepEvent", "sent")) {
            assertTrue(names.contains(stage), stage + " in " + reloads.get(0));
        }
        assertTrue(names.indexOf("frames") < names.indexOf("redefine") && names.indexOf("redefine") < names.indexOf("popped")
                && names.indexOf("popped") < names.indexOf("sent"), "in the order they ran: " + names);
        assertEquals("sent", names.get(names.size() - 1), "the line ends when the client has been told: " + names);
    }
}
