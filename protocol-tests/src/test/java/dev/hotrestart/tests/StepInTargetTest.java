package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "Step into target": the calls a line makes, in the order it makes them, and a step into the one picked. */
class StepInTargetTest {
    static final String FILE = "col/Calls.java";
    static final Fixture CALLS = Fixture.generated("calls", Map.of(FILE, """
            package col;

            import java.util.List;

            public class Calls {
                public static void main(String[] args) {
                    String s = label(twice(3), twice(4)); // BP_CALLS
                    List<Integer> xs = List.of(1, 2);
                    int total = xs.stream().map(x -> twice(x)).mapToInt(Integer::intValue).sum(); // BP_STREAM
                    System.out.println(s + " " + total);
                }

                static int twice(int n) {
                    return 2 * n; // IN_TWICE
                }

                static String label(int a, int b) {
                    return a + "/" + b; // IN_LABEL
                }
            }
            """));

    @Test
    void theSecondOfTwoCallsToTheSameMethodAndThenTheOuterCall() throws Exception {
        try (Session s = Session.start(CALLS, "col.Calls")) {
            s.launch(Map.of(FILE, new int[]{CALLS.line(FILE, "BP_CALLS")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonArray targets = targets(s, tid);
            assertEquals(List.of("Calls.twice(int)", "Calls.twice(int)", "Calls.label(int, int)"), labels(targets));

            s.dap.ok("stepIn", Map.of("threadId", tid, "targetId", targets.get(1).getAsJsonObject().get("id").getAsInt()));
            JsonObject stop = s.stopped("step");
            JsonObject top = s.topFrame(s.threadOf(stop));
            assertEquals("Calls.twice(int)", top.get("name").getAsString());
            assertEquals(CALLS.line(FILE, "IN_TWICE"), top.get("line").getAsInt());
            assertEquals("4", s.locals(top.get("id").getAsInt()).get("n"), "the second call, not the first");

            s.dap.ok("stepOut", Map.of("threadId", tid));
            s.stopped("step");
            targets = targets(s, tid);
            s.dap.ok("stepIn", Map.of("threadId", tid, "targetId", targets.get(2).getAsJsonObject().get("id").getAsInt()));
            top = s.topFrame(s.threadOf(s.stopped("step")));
            assertEquals("Calls.label(int, int)", top.get("name").getAsString());
            Map<String, String> locals = s.locals(top.get("id").getAsInt());
            assertEquals("6", locals.get("a"));
            assertEquals("8", locals.get("b"));

            s.setBreakpoints(FILE);
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("6/8 6"), s.dap.stdout());
        }
    }

    @Test
    void aLambdaOfTheLineIsATargetAndTheStepStopsInItsBody() throws Exception {
        try (Session s = Session.start(CALLS, "col.Calls")) {
            s.launch(Map.of(FILE, new int[]{CALLS.line(FILE, "BP_STREAM")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonArray targets = targets(s, tid);
            List<String> labels = labels(targets);
            assertTrue(labels.contains("λ x -> twice(x)") && labels.contains("Stream.map(Function)") && labels.contains("IntStream.sum()"),
                    labels.toString());
            assertTrue(labels.indexOf("List.stream()") < labels.indexOf("Stream.map(Function)"), "in the order the line runs them: " + labels);
            int lambda = targets.get(labels.indexOf("λ x -> twice(x)")).getAsJsonObject().get("id").getAsInt();

            s.dap.ok("stepIn", Map.of("threadId", tid, "targetId", lambda));
            JsonObject top = s.topFrame(s.threadOf(s.stopped("step")));
            assertEquals(CALLS.line(FILE, "BP_STREAM"), top.get("line").getAsInt(), "the lambda's body, on the same line");
            assertEquals("1", s.locals(top.get("id").getAsInt()).get("x"), "in the lambda, for the first element");

            s.setBreakpoints(FILE);
            s.continueThread(tid);
            s.assertExit(0);
        }
    }

    private static JsonArray targets(Session s, int tid) throws Exception {
        return s.dap.ok("stepInTargets", Map.of("frameId", s.topFrame(tid).get("id").getAsInt())).getAsJsonArray("targets");
    }

    private static List<String> labels(JsonArray targets) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : targets) out.add(e.getAsJsonObject().get("label").getAsString());
        return out;
    }
}
