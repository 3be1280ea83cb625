package dev.hotrestart.dap;

import com.google.gson.Gson;
import dev.hotrestart.base.AfterResponse;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;
import com.google.gson.JsonSyntaxException;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import dev.hotrestart.session.HotRestartClient;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.debug.DebugLauncher;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugResponseMessage;
import org.eclipse.lsp4j.jsonrpc.json.ConcurrentMessageProcessor;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One DAP conversation over a pair of streams. */
public final class DapConnection {
    private static final Logger LOG = Logger.getLogger(DapConnection.class.getName());

    private DapConnection() {}

    public static void serve(InputStream in, OutputStream out, ServerOptions options, Runnable onEnd) throws Exception {
        DapServer server = new DapServer(options);
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dap-io");
            t.setDaemon(true);
            return t;
        });
        Launcher<HotRestartClient> launcher = new DebugLauncher.Builder<HotRestartClient>() {
                    private MessageJsonHandler json;
                    private RemoteEndpoint endpoint;

                    @Override
                    protected RemoteEndpoint createRemoteEndpoint(MessageJsonHandler jsonHandler) {
                        json = jsonHandler;
                        endpoint = super.createRemoteEndpoint(jsonHandler);
                        return endpoint;
                    }

                    /** Our reader in place of LSP4J's, which loses its place in the stream (see DapMessageReader). */
                    @Override
                    protected ConcurrentMessageProcessor createMessageProcessor(MessageProducer unused, MessageConsumer consumer,
                                                                               HotRestartClient client) {
                        return new ConcurrentMessageProcessor(new DapMessageReader(in, json, endpoint), consumer);
                    }
                }
                .setLocalService(server)
                .setRemoteInterface(HotRestartClient.class)
                .setInput(in)
                .setOutput(out)
                .setExecutorService(executor)
                .wrapMessages(DapConnection::runAfterResponses)
                .configureGson(gson -> gson.registerTypeAdapterFactory(WHOLE_NUMBERS))
                .setExceptionHandler(t -> DapServer.toResponseError(t, true))
                .create();
        server.connect(launcher.getRemoteProxy());
        Future<?> listening = launcher.startListening();
        try {
            listening.get();
        } catch (Exception e) {
            LOG.log(Level.FINE, "connection closed", e);
        } finally {
            server.connectionClosed();
            executor.shutdownNow();
            onEnd.run();
        }
    }

    /** What a person needs to know of Gson's complaint: which argument, and what was wrong with it. */
    static String parseProblem(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String text = root.getMessage() == null ? root.toString() : root.getMessage().lines().findFirst().orElse("");
        if (root instanceof java.io.EOFException || root instanceof com.google.gson.stream.MalformedJsonException) {
            // Gson's advice to programmers is no help to the user, nor is all of a path 255 levels deep
            return "the message is not valid JSON (" + text.replaceFirst("^Use JsonReader\\.setStrictness\\(.*?\\) to accept malformed JSON ", "")
                    .replaceFirst("( path \\S{60})\\S+", "$1…") + ")";
        }
        Matcher m = GSON_PATH.matcher(text);
        if (m.matches()) return "'" + m.group(2) + "' has the wrong type (" + m.group(1) + ")";
        return text;
    }

    private static final Pattern GSON_PATH = Pattern.compile("(.*?)(?: at line \\d+ column \\d+)? path \\$\\.(?:arguments\\.)?(\\S+)");

    /**
     * The value of a JSON number (or numeric string) as Gson reads an int: whole and in range
     * ({@code 7}, {@code "7"}, {@code 7.0}); null when it is not one.
     */
    static Integer wholeInt(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException notPlain) {
            try {
                double d = Double.parseDouble(text);
                return d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE ? Integer.valueOf((int) d) : null;
            } catch (NumberFormatException notNumber) {
                return null;
            }
        }
    }

    /**
     * Gson reads {@code "threadId": "abc"} or an id beyond 32 bits as an int with a bare
     * NumberFormatException: name the argument and what it must be.
     */
    private static final TypeAdapterFactory WHOLE_NUMBERS = new TypeAdapterFactory() {
        @Override
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            if (type.getRawType() != int.class && type.getRawType() != Integer.class) return null;
            TypeAdapter<T> plain = gson.getDelegateAdapter(this, type);
            return new TypeAdapter<T>() {
                @Override
                public void write(JsonWriter out, T value) throws IOException {
                    plain.write(out, value);
                }

                @Override
                @SuppressWarnings("unchecked")
                public T read(JsonReader in) throws IOException {
                    JsonToken token = in.peek();
                    if (token != JsonToken.NUMBER && token != JsonToken.STRING) return plain.read(in); // null, or Gson names the kind
                    String path = in.getPath().replaceFirst("^\\$\\.(arguments\\.)?", "");
                    String text = in.nextString();
                    Integer value = wholeInt(text);
                    if (value == null) {
                        throw new JsonSyntaxException("'" + path + "' must be a whole number from " + Integer.MIN_VALUE + " to "
                                + Integer.MAX_VALUE + ", not " + DapMessageReader.abbreviate(token == JsonToken.STRING ? "\"" + text + "\"" : text));
                    }
                    return (T) value;
                }
            };
        }
    };

    private static MessageConsumer runAfterResponses(MessageConsumer next) {
        return message -> {
            if (message instanceof DebugResponseMessage r && r.getError() != null
                    && r.getError().getCode() == ResponseErrorCode.ParseError.getValue()
                    && r.getError().getData() instanceof Throwable cause) {
                // LSP4J answers a request it cannot read with "Message could not be parsed.": say what is wrong.
                String request = r.getMethod() == null ? "Invalid request" : "Invalid '" + r.getMethod() + "' request";
                r.setError(DapServer.toResponseError(new UserError(ErrorId.BAD_REQUEST, request + ": "
                        + parseProblem(cause) + ". Check its arguments against the Debug Adapter Protocol."), true));
            }
            next.consume(message);
            if (message instanceof DebugResponseMessage) {
                for (Runnable r : AfterResponse.take()) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "after-response action failed", e);
                    }
                }
            }
        };
    }
}
