package dev.hotrestart.dap;

import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import org.eclipse.lsp4j.jsonrpc.JsonRpcException;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageIssueException;
import org.eclipse.lsp4j.jsonrpc.MessageIssueHandler;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugRequestMessage;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethod;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.MessageIssue;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the client's messages: the header, then exactly Content-Length bytes, and only then the
 * JSON. LSP4J's own reader (StreamMessageProducer) parses straight off the stream, through an
 * InputStreamReader that takes 8 KiB at a time; when the parser gives up early in a longer
 * message (an argument of the wrong type before a long string), closing its LimitedInputStream
 * does not skip the rest, which is then read as a header, and from then on each message
 * swallows the header of the next: the adapter never answers again.
 *
 * <p>Every well-framed request gets exactly one response: from its handler, or an error response
 * saying what is wrong with it. Input that is not framed is skipped up to the next
 * {@code Content-Length} header, with a warning in the log.
 */
final class DapMessageReader implements MessageProducer, Closeable {
    private static final Logger LOG = Logger.getLogger(DapMessageReader.class.getName());

    private static final byte[] CONTENT_LENGTH = "Content-Length:".getBytes(StandardCharsets.US_ASCII);
    /** Longer than any header DAP has: a line this long means the reader is not at a header. */
    private static final int MAX_HEADER_LINE = 1024;
    /**
     * Far above any message a client sends. A larger length is a broken header, and reading
     * that many bytes would swallow every later message.
     */
    private static final int MAX_CONTENT_LENGTH = 64 << 20;
    private static final String LINE_TOO_LONG = "\0line too long";

    /**
     * Requests whose arguments the Debug Adapter Protocol lets a client leave out (and the hot
     * restart requests, whose arguments are all optional). The handlers of every other request
     * need theirs: without them a request gets an error response that says so.
     */
    private static final Set<String> ARGUMENTS_OPTIONAL = Set.of("cancel", "configurationDone", "restart", "disconnect",
            "terminate", "breakpointLocations", "loadedSources",
            "restartFrameWithReload", "restartFrame-with-reload", "reloadClass", "propagateException");

    private final InputStream in;
    private final MessageJsonHandler json;
    private final MessageIssueHandler issues;
    private volatile boolean running;

    DapMessageReader(InputStream in, MessageJsonHandler json, MessageIssueHandler issues) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in);
        this.json = json;
        this.issues = issues;
    }

    @Override
    public void listen(MessageConsumer callback) {
        running = true;
        try {
            while (running) {
                int length = readHeader();
                if (length < 0) return;
                byte[] body = in.readNBytes(length);
                if (body.length < length) {
                    LOG.warning("The client's input ended inside a message (" + body.length + " of its " + length + " bytes).");
                    return;
                }
                dev.hotrestart.base.Stages.arrived();
                deliver(new String(body, StandardCharsets.UTF_8), callback);
            }
        } catch (IOException e) {
            if (running && !JsonRpcException.indicatesStreamClosed(e)) throw new JsonRpcException(e);
            LOG.log(Level.FINE, "input closed", e);
        } finally {
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
    }

    /** The Content-Length of the next message, or -1 when the input ends. */
    private int readHeader() throws IOException {
        long length = -1;
        boolean inHeader = false;
        String line = readLine();
        while (true) {
            String problem = null;
            if (line == null) {
                if (inHeader) LOG.warning("The client's input ended inside a message header.");
                return -1;
            } else if (line == LINE_TOO_LONG) {
                problem = "a header line longer than " + MAX_HEADER_LINE + " bytes";
            } else if (line.isEmpty()) {
                if (inHeader && length >= 0) return (int) length;
                if (inHeader) problem = "a message header without Content-Length";
                // else a blank line between messages: nothing lost
            } else {
                inHeader = true;
                int colon = line.indexOf(':');
                if (colon < 0) {
                    problem = "'" + abbreviate(line) + "', which is not a header";
                } else if (line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                    length = byteCount(line.substring(colon + 1).trim());
                    if (length < 0) problem = "the header '" + abbreviate(line) + "', whose length is not a number of bytes from 0 to " + MAX_CONTENT_LENGTH;
                } // other headers (Content-Type) say nothing DAP needs
            }
            if (problem == null) {
                line = readLine();
                continue;
            }
            LOG.warning("The client sent " + problem + ", so its input is out of step with its messages: hotrestart skips"
                    + " to the next 'Content-Length:' header, and a request in what it skips gets no response.");
            if (!skipToContentLength()) return -1;
            String rest = readLine();
            line = rest == null || rest == LINE_TOO_LONG ? rest : "Content-Length:" + rest;
            length = -1;
            inHeader = true;
        }
    }

    private static long byteCount(String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) return -1;
        long n = Long.parseLong(text);
        return n <= MAX_CONTENT_LENGTH ? n : -1;
    }

    /** A header line without its line end; null at the end of the input. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) return null;
            if (c == '\n') break;
            if (line.size() == MAX_HEADER_LINE) return LINE_TOO_LONG;
            line.write(c);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Reads up to and including the next "Content-Length:"; false when the input ends first. */
    private boolean skipToContentLength() throws IOException {
        int matched = 0;
        while (true) {
            int c = in.read();
            if (c < 0) return false;
            if (c == CONTENT_LENGTH[matched]) {
                if (++matched == CONTENT_LENGTH.length) return true;
            } else {
                matched = c == CONTENT_LENGTH[0] ? 1 : 0; // 'C' occurs once in the pattern, so no other restart point
            }
        }
    }

    private void deliver(String text, MessageConsumer callback) {
        try {
            Message message;
            try {
                message = json.parseMessage(text);
            } catch (MessageIssueException e) {
                // A request is answered with what is wrong. LSP4J stops reading at the problem, so
                // 'seq' and 'command' are taken from the whole message when it parses.
                JsonObject whole = e.getRpcMessage() instanceof RequestMessage ? jsonObject(text) : null;
                if (whole != null) identify((RequestMessage) e.getRpcMessage(), whole);
                issues.handle(e.getRpcMessage(), e.getIssues());
                return;
            } catch (RuntimeException e) {
                answerUnparsed(text, e);
                return;
            }
            if (message == null) {
                LOG.warning("Skipped an empty message from the client.");
            } else if (message instanceof RequestMessage r && r.getMethod() == null) {
                issues.handle(r, List.of(parseIssue(new UserError(ErrorId.BAD_REQUEST, "'command' is missing"))));
            } else if (message instanceof RequestMessage r && r.getParams() == null && needsArguments(r.getMethod())) {
                issues.handle(r, List.of(parseIssue(new UserError(ErrorId.BAD_REQUEST, "'arguments' is missing"))));
            } else {
                if (message instanceof RequestMessage r && r.getParams() != null && takesNoArguments(r.getMethod())) {
                    r.setParams(null); // 'threads' has none; LSP4J would log whatever came, whole
                }
                callback.consume(message);
            }
        } catch (RuntimeException e) {
            // One message that fails must not end the conversation.
            LOG.log(Level.WARNING, "A message from the client could not be handled: " + abbreviate(text), e);
        }
    }

    private boolean needsArguments(String command) {
        JsonRpcMethod method = json.getJsonRpcMethod(command);
        return method != null && method.getParameterTypes().length > 0 && !ARGUMENTS_OPTIONAL.contains(command);
    }

    private boolean takesNoArguments(String command) {
        JsonRpcMethod method = command == null ? null : json.getJsonRpcMethod(command);
        return method != null && method.getParameterTypes().length == 0;
    }

    /**
     * LSP4J gives up without a word when it fails before it knows the message is a request, or
     * on a {@code seq} that is no int: a request is still answered.
     */
    private void answerUnparsed(String text, RuntimeException problem) {
        JsonObject o = jsonObject(text);
        if (o == null || !"request".equals(string(o.get("type")))) {
            LOG.warning("Skipped a message from the client that is not a DAP request: " + abbreviate(text));
            return;
        }
        DebugRequestMessage request = new DebugRequestMessage();
        request.setId(0);
        Exception badSeq = identify(request, o);
        issues.handle(request, List.of(parseIssue(badSeq != null ? badSeq : problem)));
    }

    private static JsonObject jsonObject(String text) {
        try {
            JsonElement tree = JsonParser.parseString(text);
            return tree.isJsonObject() ? tree.getAsJsonObject() : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** Gives the request the seq and command it was sent with; returns the problem when its seq is no int. */
    private static Exception identify(RequestMessage request, JsonObject whole) {
        if (request.getMethod() == null) request.setMethod(string(whole.get("command")));
        if (!(whole.get("seq") instanceof JsonPrimitive seq && seq.isNumber())) return null;
        request.setRawId(Either.forRight(seq.getAsNumber())); // echoed as sent, so that the client can match it
        if (DapConnection.wholeInt(seq.getAsString()) != null) return null;
        return new UserError(ErrorId.BAD_REQUEST, "'seq' must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                + ", not " + abbreviate(seq.getAsString()));
    }

    /** Answered as LSP4J answers a request it cannot read, so that DapConnection words all of them alike. */
    private static MessageIssue parseIssue(Exception cause) {
        return new MessageIssue("Message could not be parsed.", ResponseErrorCode.ParseError.getValue(), cause);
    }

    private static String string(JsonElement e) {
        return e instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "… (" + s.length() + " characters)";
    }
}
