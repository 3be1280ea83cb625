package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test DSL: a DAP session against a fixture, read like a user's session. */
public final class Session implements AutoCloseable {
    public final DapClient dap;
    public final Fixture fixture;
    public final Map<String, Object> launchArgs = new LinkedHashMap<>();

    private Session(DapClient dap, Fixture fixture) {
        this.dap = dap;
        this.fixture = fixture;
    }

    /** Starts a server and initializes; the launch is sent by {@link #launch}. */
    public static Session start(Fixture fixture, String mainClass) throws IOException {
        return start(fixture, mainClass, Map.of());
    }

    /** As {@link #start(Fixture, String)}, with extra initialize arguments (client capabilities). */
    public static Session start(Fixture fixture, String mainClass, Map<String, Object> initExtras) throws IOException {
        return start(DapClient.stdio(), fixture, mainClass, initExtras);
    }

    /** As {@link #start(Fixture, String)}, over a server already started (e.g. with its own JVM options). */
    public static Session start(DapClient dap, Fixture fixture, String mainClass, Map<String, Object> initExtras) throws IOException {
        Session s = new Session(dap, fixture);
        s.initialize(initExtras);
        s.launchArgs.put("mainClass", mainClass);
        s.launchArgs.put("classPaths", List.of(fixture.classes.toString(), Fixture.annotationsJar().toString()));
        s.launchArgs.put("sourcePaths", List.of(fixture.src.toString()));
        s.launchArgs.put("cwd", fixture.root.toString());
        s.launchArgs.put("javaHome", Fixture.debuggeeJavaHome().toString());
        return s;
    }

    public static Session over(DapClient dap) throws IOException {
        Session s = new Session(dap, null);
        s.initialize();
        return s;
    }

    public JsonObject initialize() throws IOException {
        return initialize(Map.of());
    }

    public JsonObject initialize(Map<String, Object> extras) throws IOException {
        Map<String, Object> init = new HashMap<>(extras);
        init.put("adapterID", "hotrestart");
        init.put("clientID", "protocol-tests");
        init.putIfAbsent("linesStartAt1", true);
        init.putIfAbsent("columnsStartAt1", true);
        init.putIfAbsent("pathFormat", "path");
        return dap.ok("initialize", init);
    }

    public Session with(String key, Object value) {
        launchArgs.put(key, value);
        return this;
    }

    /** launch, then the breakpoints, then configurationDone — the order editors use. */
    public Session launch(Map<String, int[]> breakpoints) throws IOException {
        dap.ok("launch", launchArgs);
        dap.event("initialized");
        if (breakpoints != null) breakpoints.forEach((file, lines) -> {
            try {
                setBreakpoints(file, lines);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        dap.ok("configurationDone", null);
        return this;
    }

    public Session launch() throws IOException {
        return launch(null);
    }

    /** Launches and waits for the first escape stop; returns its thread. */
    public int launchUntilEscape() throws IOException {
        launch();
        return threadOf(stopped("exception"));
    }

    public JsonArray setBreakpoints(String file, int... lines) throws IOException {
        List<Map<String, Object>> bps = new ArrayList<>();
        for (int l : lines) bps.add(Map.of("line", l));
        JsonObject body = dap.ok("setBreakpoints", Map.of("source", Map.of("path", fixture.file(file).toString()), "breakpoints", bps));
        return body.getAsJsonArray("breakpoints");
    }

    public JsonObject stopped(String reason) {
        return dap.stopped(reason);
    }

    /**
     * The whole sentence of an exception stop ({@code <Class>: <message> escaped <Type.method(params)>}
     * for an escape), as exceptionInfo gives it: the stop's own description is a short badge.
     */
    public String exceptionSentence(JsonObject stopped) throws IOException {
        return dap.ok("exceptionInfo", Map.of("threadId", threadOf(stopped))).get("description").getAsString();
    }

    public int threadOf(JsonObject stopped) {
        return stopped.get("threadId").getAsInt();
    }

    public JsonArray frames(int threadId) throws IOException {
        return dap.ok("stackTrace", Map.of("threadId", threadId)).getAsJsonArray("stackFrames");
    }

    public JsonObject topFrame(int threadId) throws IOException {
        return frames(threadId).get(0).getAsJsonObject();
    }

    /** name → value of the frame's locals. */
    public Map<String, String> locals(int frameId) throws IOException {
        JsonArray scopes = dap.ok("scopes", Map.of("frameId", frameId)).getAsJsonArray("scopes");
        int ref = scopes.get(0).getAsJsonObject().get("variablesReference").getAsInt();
        return values(ref);
    }

    public Map<String, String> values(int ref) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (var v : variables(ref)) {
            JsonObject o = v.getAsJsonObject();
            out.put(o.get("name").getAsString(), o.get("value").getAsString());
        }
        return out;
    }

    public JsonArray variables(int ref) throws IOException {
        return dap.ok("variables", Map.of("variablesReference", ref)).getAsJsonArray("variables");
    }

    public JsonObject variable(int ref, String name) throws IOException {
        for (var v : variables(ref)) {
            if (v.getAsJsonObject().get("name").getAsString().equals(name)) return v.getAsJsonObject();
        }
        throw new AssertionError("no variable '" + name + "' in " + variables(ref));
    }

    public void continueThread(int threadId) throws IOException {
        dap.ok("continue", Map.of("threadId", threadId));
    }

    /** Waits for the program to end; returns its exit code. */
    public int exitCode() {
        JsonObject exited = dap.event("exited");
        dap.event("terminated");
        return exited.get("exitCode").getAsInt();
    }

    /** Waits for the program to end and checks its exit code. */
    public void assertExit(int expected) {
        int code = exitCode();
        org.junit.jupiter.api.Assertions.assertEquals(expected, code, "exit code; stdout: " + dap.stdout() + dap.diagnostics());
    }

    public void assertStdout(String text) {
        dap.awaitStdout(text);
        assertTrue(dap.stdout().contains(text));
    }

    @Override
    public void close() throws IOException {
        dap.close();
    }
}
