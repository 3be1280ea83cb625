package dev.hotrestart.tests;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A small DAP client speaking to the real server process: Content-Length framed JSON,
 * requests with sequence numbers, a log of every event, and waits with time limits.
 */
public final class DapClient implements Closeable {
    static final Gson GSON = new Gson();
    static final long WAIT_MS = Long.getLong("hotrestart.test.wait", 30_000);

    private final Process server;
    private final InputStream in;
    private final OutputStream out;
    private final Thread reader;
    private int seq = 1;
    private final Map<Integer, BlockingQueue<JsonObject>> pending = new ConcurrentHashMap<>();
    private final List<JsonObject> events = new ArrayList<>();
    private final List<JsonObject> reverseRequests = new ArrayList<>();
    private final List<JsonObject> unmatchedResponses = new ArrayList<>();
    private final List<JsonObject> responses = new ArrayList<>();
    /** Responses by their request_seq as written (a number's text), for lookups among many. */
    private final Map<String, List<JsonObject>> responsesBySeq = new HashMap<>();
    private final List<String> arrivals = new ArrayList<>();
    private final StringBuilder noise = new StringBuilder();
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private final ByteArrayOutputStream serverErr = new ByteArrayOutputStream();
    private Thread errReader;
    private int eventCursor;

    private DapClient(Process server, InputStream in, OutputStream out) {
        this.server = server;
        this.in = in;
        this.out = out;
        this.reader = new Thread(this::readLoop, "dap-client-reader");
        reader.setDaemon(true);
        reader.start();
        if (server != null) {
            errReader = new Thread(() -> {
                try {
                    server.getErrorStream().transferTo(serverErr);
                } catch (IOException ignored) {
                    // ended
                }
            });
            errReader.setDaemon(true);
            errReader.start();
        }
    }

    static Path serverJar() {
        return Path.of(System.getProperty("hotrestart.server.jar", "../server/target/hotrestart-server.jar")).toAbsolutePath();
    }

    /** Starts the server jar speaking DAP on stdio. */
    public static DapClient stdio(String... extraArgs) throws IOException {
        return stdio(List.of(), extraArgs);
    }

    /** As {@link #stdio(String...)}, with options for the server's own JVM. */
    public static DapClient stdio(List<String> jvmOptions, String... extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaExe()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", serverJar().toString()));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).start();
        return new DapClient(p, p.getInputStream(), p.getOutputStream());
    }

    /** As {@link #stdio(String...)}, with variables added to the server's environment. */
    public static DapClient stdio(Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(javaExe(), "-jar", serverJar().toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        return new DapClient(p, p.getInputStream(), p.getOutputStream());
    }

    /**
     * Starts the server as the checkout's launcher script does (with its JVM options and
     * class-data archive), on this JVM's Java, keeping the archive under {@code cache}.
     */
    public static DapClient viaScript(Path cache) throws IOException {
        return viaScript(cache, Map.of());
    }

    /** As {@link #viaScript(Path)}, with variables added to the script's environment. */
    public static DapClient viaScript(Path cache, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of("..", "hotrestart").toAbsolutePath().normalize().toString());
        pb.environment().putAll(Map.of("XDG_CACHE_HOME", cache.toString(), "JAVA_HOME", System.getProperty("java.home")));
        pb.environment().putAll(env);
        Process p = pb.start();
        return new DapClient(p, p.getInputStream(), p.getOutputStream());
    }

    /** Connects to a server listening on a TCP port. */
    public static DapClient tcp(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        return new DapClient(null, s.getInputStream(), s.getOutputStream());
    }

    static String javaExe() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Until when the reader leaves the adapter's output unread (a client that stops reading). */
    private volatile long readAgainAt;

    /** From the next message on, reads nothing for {@code ms}: the adapter's writes back up as when a client hangs. */
    public void stopReadingFor(long ms) {
        readAgainAt = System.currentTimeMillis() + ms;
    }

    private void readLoop() {
        try {
            while (true) {
                for (long left; (left = readAgainAt - System.currentTimeMillis()) > 0; ) {
                    try {
                        Thread.sleep(left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                int len = -1;
                StringBuilder line = new StringBuilder();
                while (true) {
                    int c = in.read();
                    if (c == -1) return;
                    if (c == '\n') {
                        String l = line.toString().trim();
                        line.setLength(0);
                        if (l.isEmpty()) break;
                        if (l.startsWith("Content-Length:")) {
                            len = Integer.parseInt(l.substring(15).trim());
                        } else if (!l.startsWith("Content-Type:")) {
                            synchronized (this) {
                                noise.append(l).append('\n'); // not DAP: something wrote to the protocol stream
                            }
                        }
                    } else {
                        line.append((char) c);
                    }
                }
                byte[] body = in.readNBytes(len);
                JsonObject msg = JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
                dispatch(msg);
            }
        } catch (IOException | RuntimeException e) {
            // connection closed
        } finally {
            synchronized (this) {
                JsonObject closed = new JsonObject();
                closed.addProperty("type", "event");
                closed.addProperty("event", "_closed");
                events.add(closed);
                notifyAll();
            }
        }
    }

    private void dispatch(JsonObject msg) {
        String type = msg.get("type").getAsString();
        synchronized (this) {
            arrivals.add(type + " " + (msg.has("command") ? msg.get("command").getAsString()
                    : msg.has("event") ? msg.get("event").getAsString() : "?"));
        }
        if (type.equals("response")) {
            synchronized (this) {
                responses.add(msg);
                responsesBySeq.computeIfAbsent(seqKey(msg.get("request_seq")), k -> new ArrayList<>()).add(msg);
            }
            BlockingQueue<JsonObject> q = msg.has("request_seq") && msg.get("request_seq").isJsonPrimitive()
                    ? pending.get(msg.get("request_seq").getAsInt()) : null;
            if (q != null) {
                q.add(msg);
            } else {
                synchronized (this) {
                    unmatchedResponses.add(msg);
                    notifyAll();
                }
            }
        } else if (type.equals("event")) {
            synchronized (this) {
                events.add(msg);
                if (msg.get("event").getAsString().equals("output")) {
                    JsonObject b = msg.getAsJsonObject("body");
                    String cat = b.has("category") ? b.get("category").getAsString() : "console";
                    if (cat.equals("stdout")) stdout.append(b.get("output").getAsString());
                    if (cat.equals("stderr")) stderr.append(b.get("output").getAsString());
                }
                notifyAll();
            }
        } else if (type.equals("request")) {
            synchronized (this) {
                reverseRequests.add(msg);
                notifyAll();
            }
        }
    }

    public void sendRaw(String json) throws IOException {
        write(framed(json));
    }

    /**
     * Held while writing to the adapter, never together with this client's own lock: the reader
     * needs that one to take the adapter's output, and an adapter whose output is not taken stops
     * taking input.
     */
    private final Object writing = new Object();

    /** The JSON as DAP frames it: a Content-Length header, a blank line, the UTF-8 bytes. */
    static byte[] framed(String json) {
        return framed(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A body of any bytes (not UTF-8, say) with its header. */
    static byte[] framed(byte[] b) {
        byte[] header = ("Content-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(header, header.length + b.length);
        System.arraycopy(b, 0, all, header.length, b.length);
        return all;
    }

    /** Writes the bytes as they are, each piece in a write of its own (a message in many pieces, or many in one). */
    public void write(byte[]... pieces) throws IOException {
        synchronized (writing) {
            for (byte[] piece : pieces) {
                out.write(piece);
                out.flush();
            }
        }
    }

    /** Sends a request and waits for its response, successful or not. */
    public JsonObject request(String command, Object args) throws IOException {
        int id;
        BlockingQueue<JsonObject> q = new LinkedBlockingQueue<>();
        JsonObject req = new JsonObject();
        synchronized (this) {
            id = seq++;
            pending.put(id, q);
        }
        req.addProperty("seq", id);
        req.addProperty("type", "request");
        req.addProperty("command", command);
        if (args != null) req.add("arguments", GSON.toJsonTree(args));
        sendRaw(req.toString());
        try {
            JsonObject r = q.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            if (r == null) fail("no response to '" + command + "' within " + WAIT_MS + " ms" + diagnostics());
            return r;
        } catch (InterruptedException e) {
            throw new IOException(e);
        } finally {
            pending.remove(id);
        }
    }

    /** Sends a request that must succeed; returns its body (or an empty object). */
    public JsonObject ok(String command, Object args) throws IOException {
        JsonObject r = request(command, args);
        assertTrue(r.get("success").getAsBoolean(), "'" + command + "' failed: " + r + diagnostics());
        return r.has("body") && r.get("body").isJsonObject() ? r.getAsJsonObject("body") : new JsonObject();
    }

    /** Sends a request that must fail; returns its message. */
    /** The error id (body.error.id) of a failed response, or -1. */
    public static int errorId(JsonObject response) {
        JsonObject body = response.has("body") && response.get("body").isJsonObject() ? response.getAsJsonObject("body") : null;
        JsonObject error = body != null && body.has("error") ? body.getAsJsonObject("error") : null;
        return error != null && error.has("id") ? error.get("id").getAsInt() : -1;
    }

    /** A request that must fail with this error id; returns its message. */
    public String error(String command, Object args, int id) throws IOException {
        JsonObject r = request(command, args);
        assertTrue(!r.get("success").getAsBoolean(), "'" + command + "' should have failed: " + r);
        assertEquals(id, errorId(r), "error id of " + r);
        return r.get("message").getAsString();
    }

    public String error(String command, Object args) throws IOException {
        JsonObject r = request(command, args);
        assertTrue(!r.get("success").getAsBoolean(), "'" + command + "' should have failed: " + r);
        return r.has("message") && !r.get("message").isJsonNull() ? r.get("message").getAsString() : "";
    }

    /** Waits for the next event (after those already taken) that matches, and takes it. */
    public synchronized JsonObject event(String name, Predicate<JsonObject> body) {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            for (int i = eventCursor; i < events.size(); i++) {
                JsonObject e = events.get(i);
                String ev = e.get("event").getAsString();
                JsonObject b = e.has("body") && e.get("body").isJsonObject() ? e.getAsJsonObject("body") : new JsonObject();
                if (ev.equals(name) && body.test(b)) {
                    eventCursor = i + 1;
                    return b;
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) fail("no '" + name + "' event within " + WAIT_MS + " ms" + diagnostics());
            try {
                wait(left);
            } catch (InterruptedException e) {
                fail("interrupted");
            }
        }
    }

    public JsonObject event(String name) {
        return event(name, b -> true);
    }

    /** Waits for a stopped event with this reason; returns its body. */
    public JsonObject stopped(String reason) {
        return event("stopped", b -> b.get("reason").getAsString().equals(reason));
    }

    /** True when such an event arrived within the time (without taking it). */
    public synchronized boolean sawEvent(String name, Predicate<JsonObject> body, long withinMs) {
        long deadline = System.currentTimeMillis() + withinMs;
        while (true) {
            for (int i = eventCursor; i < events.size(); i++) {
                JsonObject e = events.get(i);
                JsonObject b = e.has("body") && e.get("body").isJsonObject() ? e.getAsJsonObject("body") : new JsonObject();
                if (e.get("event").getAsString().equals(name) && body.test(b)) return true;
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return false;
            try {
                wait(left);
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    public synchronized List<JsonObject> allEvents() {
        return new ArrayList<>(events);
    }

    public synchronized List<JsonObject> reverseRequests() {
        return new ArrayList<>(reverseRequests);
    }

    /** Waits for the next reverse request (adapter to client) with this command. */
    public synchronized JsonObject reverseRequest(String command) {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            for (JsonObject r : reverseRequests) {
                if (r.get("command").getAsString().equals(command)) return r;
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) fail("no '" + command + "' reverse request within " + WAIT_MS + " ms" + diagnostics());
            try {
                wait(left);
            } catch (InterruptedException e) {
                fail("interrupted");
            }
        }
    }

    /** Answers a reverse request, as an editor would. */
    public void respond(JsonObject request, boolean success, Object body) throws IOException {
        JsonObject r = new JsonObject();
        synchronized (this) {
            r.addProperty("seq", seq++);
        }
        r.addProperty("type", "response");
        r.addProperty("request_seq", request.get("seq").getAsInt());
        r.addProperty("command", request.get("command").getAsString());
        r.addProperty("success", success);
        if (body != null) r.add("body", GSON.toJsonTree(body));
        sendRaw(r.toString());
    }

    /** Responses whose request_seq matches no request this client sent (e.g. to unparsable input). */
    public synchronized List<JsonObject> unmatchedResponses() {
        return new ArrayList<>(unmatchedResponses);
    }

    /** Waits for the response to a request this client did not send through {@link #request} (sent raw), by its seq. */
    public synchronized JsonObject responseTo(long requestSeq) {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            List<JsonObject> answers = responsesBySeq.get(Long.toString(requestSeq));
            if (answers != null) return answers.get(0); // raw requests' seqs are far from the ones request() numbers
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) fail("no response to request " + requestSeq + " within " + WAIT_MS + " ms" + diagnostics());
            try {
                wait(left);
            } catch (InterruptedException e) {
                fail("interrupted");
            }
        }
    }

    /** How many responses so far answer the request with this seq. */
    public synchronized long responsesTo(long requestSeq) {
        return responsesBySeq.getOrDefault(Long.toString(requestSeq), List.of()).size();
    }

    /** A request_seq as a key: a whole number's digits (1e3 and 1000 alike), else its JSON text. */
    private static String seqKey(JsonElement seq) {
        if (seq != null && seq.isJsonPrimitive() && seq.getAsJsonPrimitive().isNumber()) {
            try {
                return seq.getAsBigDecimal().toBigIntegerExact().toString();
            } catch (ArithmeticException e) {
                return seq.toString();
            }
        }
        return String.valueOf(seq);
    }

    /** Every message from the server in arrival order, as "type command-or-event". */
    public synchronized List<String> arrivals() {
        return new ArrayList<>(arrivals);
    }

    /** Lines on the protocol stream that were not DAP headers (must stay empty). */
    public synchronized String noise() {
        return noise.toString();
    }

    /** The server's stderr so far (its log). */
    public String serverStderr() {
        synchronized (serverErr) {
            return serverErr.toString(StandardCharsets.UTF_8);
        }
    }

    /** The debuggee's stdout so far, from output events. */
    public synchronized String stdout() {
        return stdout.toString();
    }

    public synchronized String stderr() {
        return stderr.toString();
    }

    /** Waits until the debuggee's stdout contains the text. */
    public synchronized void awaitStdout(String text) {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!stdout.toString().contains(text)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) fail("stdout never showed '" + text + "'; it has: " + stdout + diagnostics());
            try {
                wait(left);
            } catch (InterruptedException e) {
                fail("interrupted");
            }
        }
    }

    public Process process() {
        return server;
    }

    String diagnostics() {
        StringBuilder b = new StringBuilder("\n--- events:\n");
        synchronized (this) {
            for (JsonObject e : events) {
                String s = e.toString();
                b.append(s, 0, Math.min(s.length(), 400)).append('\n');
            }
        }
        b.append("--- server stderr:\n").append(serverErr.toString(StandardCharsets.UTF_8));
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            if (server != null && server.isAlive()) {
                try {
                    request("disconnect", Map.of("terminateDebuggee", true));
                } catch (Throwable ignored) {
                    // best effort
                }
            }
        } finally {
            try {
                out.close();
            } catch (IOException ignored) {
                // closed
            }
            if (server != null) {
                try {
                    if (!server.waitFor(5, TimeUnit.SECONDS)) server.destroyForcibly();
                    errReader.join(2000); // what the JVM wrote as it exited is in serverStderr() too
                } catch (InterruptedException e) {
                    server.destroyForcibly();
                }
            }
        }
    }

    static JsonElement json(Object o) {
        return GSON.toJsonTree(o);
    }
}
