package dev.hotrestart.demo;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The client side of a DAP conversation with an adapter child process speaking on stdio:
 * Content-Length framed JSON. One reader thread takes every message in arrival order and
 * writes it to the transcript before handing it on, so the transcript tells events and
 * answers in the order they happened.
 */
final class AdapterConnection implements AutoCloseable {
    private static final int LOG_LIMIT = 8_000;

    private final Process process;
    private final OutputStream toAdapter;
    private final Transcript transcript;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final long waitMs;
    private int seq = 1;

    /** A request waiting for its answer, and how to tell that answer in the transcript (null: not at all). */
    private record Pending(CompletableFuture<JsonObject> response, Function<JsonObject, String> describe) {}

    private AdapterConnection(Process process, Transcript transcript, long waitMs) {
        this.process = process;
        this.toAdapter = process.getOutputStream();
        this.transcript = transcript;
        this.waitMs = waitMs;
        daemon("demo-dap-reader", this::readLoop);
        daemon("demo-adapter-log", this::collectLog);
    }

    static AdapterConnection start(List<String> command, Transcript transcript, long waitMs) {
        try {
            return new AdapterConnection(new ProcessBuilder(command).start(), transcript, waitMs);
        } catch (IOException e) {
            throw new DemoFailure("cannot start the adapter (" + String.join(" ", command) + "): " + e.getMessage());
        }
    }

    /**
     * Sends a request and waits for its answer. A failed request ends the demo with the
     * adapter's message; {@code describe} turns a successful answer's body into transcript text.
     */
    JsonObject request(String command, JsonObject args, Function<JsonObject, String> describe) {
        return request(command, args, describe, true);
    }

    /** The same, without writing the request to the transcript (for follow-ups told together). */
    JsonObject quietRequest(String command, JsonObject args) {
        return request(command, args, null, false);
    }

    private JsonObject request(String command, JsonObject args, Function<JsonObject, String> describe, boolean shown) {
        Pending p = new Pending(new CompletableFuture<>(), describe);
        synchronized (this) {
            int id = seq++;
            pending.put(id, p);
            JsonObject req = new JsonObject();
            req.addProperty("seq", id);
            req.addProperty("type", "request");
            req.addProperty("command", command);
            if (args != null) req.add("arguments", args);
            if (shown) transcript.request(command, args);
            send(req);
        }
        JsonObject response;
        try {
            response = p.response().get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new DemoFailure("the adapter did not answer '" + command + "' within " + seconds(waitMs));
        } catch (InterruptedException | ExecutionException e) {
            throw new DemoFailure("the connection to the adapter broke during '" + command + "'");
        }
        if (!response.get("success").getAsBoolean()) {
            JsonElement m = response.get("message");
            throw new DemoFailure("'" + command + "' failed: " + (m == null || m.isJsonNull() ? "(no message)" : m.getAsString()));
        }
        return body(response);
    }

    /** Lets events already on their way arrive, so that they are told before the next request. */
    void settle(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /** Waits for the next event of this name; the program stopping or ending first is a failure. */
    JsonObject awaitEvent(String name, String waitingFor) {
        long deadline = System.currentTimeMillis() + waitMs;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            JsonObject e;
            try {
                e = left <= 0 ? null : events.poll(left, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                throw new DemoFailure("interrupted while waiting for " + waitingFor);
            }
            if (e == null) throw new DemoFailure("waited " + seconds(waitMs) + " for " + waitingFor + ", in vain");
            String ev = e.get("event").getAsString();
            if (ev.equals(name)) return body(e);
            if (ev.equals("_closed")) throw new DemoFailure("the adapter closed the connection while waiting for " + waitingFor);
            if (ev.equals("stopped")) {
                JsonObject b = body(e);
                String why = b.has("description") ? b.get("description").getAsString() : b.has("reason") ? b.get("reason").getAsString() : "";
                throw new DemoFailure("the program stopped (" + why + ") while waiting for " + waitingFor);
            }
            if (ev.equals("exited") || ev.equals("terminated")) {
                throw new DemoFailure("the program ended while waiting for " + waitingFor);
            }
        }
    }

    /** The adapter's log (its stderr), its last part. */
    String log() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    private void send(JsonObject message) {
        byte[] b = message.toString().getBytes(StandardCharsets.UTF_8);
        try {
            toAdapter.write(("Content-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            toAdapter.write(b);
            toAdapter.flush();
        } catch (IOException e) {
            throw new DemoFailure("cannot write to the adapter: it is no longer running");
        }
    }

    private void readLoop() {
        InputStream in = process.getInputStream();
        try {
            while (true) {
                int length = -1;
                StringBuilder line = new StringBuilder();
                while (true) {
                    int c = in.read();
                    if (c == -1) return;
                    if (c != '\n') {
                        line.append((char) c);
                        continue;
                    }
                    String header = line.toString().trim();
                    line.setLength(0);
                    if (header.isEmpty()) break;
                    if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(header.substring(15).trim());
                }
                if (length < 0) continue;
                JsonObject msg = JsonParser.parseString(new String(in.readNBytes(length), StandardCharsets.UTF_8)).getAsJsonObject();
                dispatch(msg);
            }
        } catch (IOException | RuntimeException e) {
            // the adapter went away; waiters learn it from the _closed event
        } finally {
            transcript.flushOutput();
            JsonObject closed = new JsonObject();
            closed.addProperty("event", "_closed");
            events.add(closed);
            pending.values().forEach(p -> p.response().completeExceptionally(new IOException("closed")));
        }
    }

    private void dispatch(JsonObject msg) {
        String type = msg.get("type").getAsString();
        if (type.equals("response")) {
            Pending p = pending.remove(msg.get("request_seq").getAsInt());
            if (p == null) return;
            if (msg.get("success").getAsBoolean() && p.describe() != null) {
                String text;
                try {
                    text = p.describe().apply(body(msg));
                } catch (RuntimeException e) {
                    text = Transcript.render(body(msg));
                }
                if (text != null) transcript.reply(text);
            }
            p.response().complete(msg);
        } else if (type.equals("event")) {
            transcript.event(msg);
            events.add(msg);
        }
        // reverse requests (runInTerminal) are not used: the demo launches with the internal console
    }

    private void collectLog() {
        byte[] buf = new byte[4096];
        try (InputStream err = process.getErrorStream()) {
            int n;
            while ((n = err.read(buf)) != -1) {
                synchronized (log) {
                    log.write(buf, 0, n);
                    if (log.size() > 2 * LOG_LIMIT) {
                        byte[] all = log.toByteArray();
                        log.reset();
                        log.write(all, all.length - LOG_LIMIT, LOG_LIMIT);
                    }
                }
            }
        } catch (IOException ignored) {
            // the adapter ended
        }
    }

    private static JsonObject body(JsonObject msg) {
        JsonElement b = msg.get("body");
        return b != null && b.isJsonObject() ? b.getAsJsonObject() : new JsonObject();
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** Ends the conversation: closing stdin ends the adapter, which ends its debuggee. */
    @Override
    public void close() {
        try {
            toAdapter.close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
