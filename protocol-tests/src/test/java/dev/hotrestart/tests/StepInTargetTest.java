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
                    Runnable r = () -> System.out.println("ran"); // BP_MAKE
                    r.run(); // BP_RUN
                    String h = Later.hello() + fib(5); // BP_LATER
                    System.out.println(s + " " + total + " " + h);
                }

                static int fib(int n) {
                    return n < 2 ? n : fib(n - 1) + fib(n - 2); // IN_FIB
                }

                static int twice(int n) {
                    return 2 * n; // IN_TWICE
                }

                static String label(int a, int b) {
                    return a + "/" + b; // IN_LABEL
                }
            }

            class Later {
                static String hello() {
                    return "hello"; // IN_HELLO
                }
            }
            """));

    @Test
    void eachCallOfTheLineInTurnWithTheThreadMidLineAfterEach() throws Exception {
        try (Session s = Session.start(CALLS, "col.Calls")) {
            s.launch(Map.of(FILE, new int[]{CALLS.line(FILE, "BP_CALLS")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonArray targets = targets(s, tid);
            assertEquals(List.of("Calls.twice(int)", "Calls.twice(int)", "Calls.label(int, int)"), labels(targets));
            assertEquals("3", stepInto(s, tid, targets.get(0), "Calls.twice(int)").get("n"));

            s.dap.ok("stepOut", Map.of("threadId", tid));
            s.stopped("step");
            targets = targets(s, tid);
            assertEquals(List.of("Calls.twice(int)", "Calls.label(int, int)"), labels(targets), "the calls the line has still to make");
            assertEquals("4", stepInto(s, tid, targets.get(0), "Calls.twice(int)").get("n"), "the second call now");

            s.dap.ok("stepOut", Map.of("threadId", tid));
            s.stopped("step");
            Map<String, String> locals = stepInto(s, tid, targets(s, tid).get(0), "Calls.label(int, int)");
            assertEquals("6", locals.get("a"));
            assertEquals("8", locals.get("b"));

            s.setBreakpoints(FILE);
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("6/8 6"), s.dap.stdout());
        }
    }

    @Test
    void theSecondOfTwoCallsAtABreakpointWhoseConditionIsCompiledIntoTheMethod() throws Exception {
        try (Session s = Session.start(CALLS, "col.Calls")) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", CALLS.file(FILE).toString()),
                    "breakpoints", List.of(Map.of("line", CALLS.line(FILE, "BP_CALLS"), "condition", "args.length == 0"))));
            s.dap.ok("configurationDone", null);
            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonArray targets = targets(s, tid);
            assertEquals(3, targets.size(), labels(targets).toString());
            assertEquals("4", stepInto(s, tid, targets.get(1), "Calls.twice(int)").get("n"));
            s.setBreakpoints(FILE);
            s.continueThread(tid);
            s.assertExit(0);
        }
    }

    @Test
    void anInterfaceCallOnALambdaStopsInTheLambdasBody() throws Exception {
        try (Session s = Session.start(CALLS, "col.Calls")) {
            s.launch(Map.of(FILE, new int[]{CALLS.line(FILE, "BP_RUN")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonArray targets = targets(s, tid);
            assertEquals(List.of("Runnable.run()"), labels(targets));
            s.dap.ok("stepIn", Map.of("threadId", tid, "targetId", targets.get(0).getAsJsonObject().get("id").getAsInt()));
            JsonObject top = s.topFrame(s.threadOf(s.stopped("step")));
            assertTrue(top.get("name").getAsString().contains("lambda$main$"), "behind the lambda's proxy, in its body: " + top);
            assertEquals(CALLS.line(FILE, "BP_MAKE"), top.get("line").getAsInt());
            s.setBreakpoints(FILE);
            s.continueThread(tid);
            s.assertExit(0);
        }
    }

    @Test
    void aClassNotLoadedYetAnInheritedMethodAndRecursion() throws Exception {
        try (Session s = Session.start(CALLS, "col.Calls")) {
            s.launch(Map.of(FILE, new int[]{CALLS.line(FILE, "BP_LATER")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonArray targets = targets(s, tid);
            assertEquals(List.of("Later.hello()", "Calls.fib(int)"), labels(targets).subList(0, 2), labels(targets).toString());
            s.setBreakpoints(FILE);
            stepInto(s, tid, targets.get(0), "Later.hello()"); // not the class loading the JVM runs first
            s.dap.ok("stepOut", Map.of("threadId", tid));
            s.stopped("step");
            assertEquals("5", stepInto(s, tid, targets(s, tid).get(0), "Calls.fib(int)").get("n"));
            // in fib(5): the second call of its line is fib(3), not one made deeper inside fib(4)
            JsonArray inFib = targets(s, tid);
            assertEquals(List.of("Calls.fib(int)", "Calls.fib(int)"), labels(inFib));
            assertEquals("3", stepInto(s, tid, inFib.get(1), "Calls.fib(int)").get("n"));
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("hello5"), s.dap.stdout());
        }
    }

    @Test
    void aMethodTheReceiversTypeInheritsStopsInIt() throws Exception {
        try (Session s = Session.start(CALLS, "col.Calls")) {
            s.launch(Map.of(FILE, new int[]{CALLS.line(FILE, "BP_STREAM")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            JsonArray targets = targets(s, tid);
            assertEquals("List.stream()", labels(targets).get(0));
            s.setBreakpoints(FILE);
            s.dap.ok("stepIn", Map.of("threadId", tid, "targetId", targets.get(0).getAsJsonObject().get("id").getAsInt()));
            JsonObject top = s.topFrame(s.threadOf(s.stopped("step")));
            assertEquals("Collection.stream()", top.get("name").getAsString(), "List.of's list inherits stream() from Collection");
            s.continueThread(tid);
            s.assertExit(0);
        }
    }

    /** Steps into the target; the stop must be in {@code expected}; its locals. */
    private static Map<String, String> stepInto(Session s, int tid, JsonElement target, String expected) throws Exception {
        s.dap.ok("stepIn", Map.of("threadId", tid, "targetId", target.getAsJsonObject().get("id").getAsInt()));
        JsonObject top = s.topFrame(s.threadOf(s.stopped("step")));
        assertEquals(expected, top.get("name").getAsString());
        return s.locals(top.get("id").getAsInt());
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

            // the line's breakpoint would stop in the lambda too (no column: the whole line), and then as a breakpoint
            s.setBreakpoints(FILE);
            s.dap.ok("stepIn", Map.of("threadId", tid, "targetId", lambda));
            JsonObject top = s.topFrame(s.threadOf(s.stopped("step")));
            assertEquals(CALLS.line(FILE, "BP_STREAM"), top.get("line").getAsInt(), "the lambda's body, on the same line");
            assertEquals("1", s.locals(top.get("id").getAsInt()).get("x"), "in the lambda, for the first element");

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
