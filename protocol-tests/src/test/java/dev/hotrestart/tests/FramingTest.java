package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every well-framed request gets exactly one response, whatever is inside it, and the adapter
 * never loses its place in the stream: nasty requests one after the other in one session, each
 * followed by one that still works, then a real program stops at a breakpoint in that session.
 */
class FramingTest {
    static final Fixture BASIC = BadInputTest.BASIC;
    static final String XS = "x".repeat(100_000);

    /** Seqs of the requests sent as raw text: far above those the client numbers itself. */
    private long nextSeq = 1_000_000;
    private final List<Long> sent = new ArrayList<>();

    @Test
    void everyWellFramedRequestGetsOneResponse() throws Exception {
        try (Session s = Session.start(BASIC, "demo.Basic")) {
            // The request that silenced the adapter: a wrong argument early in a message longer
            // than the buffer LSP4J's reader parsed through, which left the rest in the stream.
            refused(s, "{'seq':%d,'type':'request','command':'stepIn','arguments':{'threadId':-9223372036854775808,'lines':'" + XS + "'}}",
                    "Invalid 'stepIn' request", "'threadId' must be a whole number", "-9223372036854775808");
            // the same with 'seq' last: the response still carries it
            refused(s, "{'command':'stepIn','arguments':{'threadId':'abc','lines':'" + XS + "'},'type':'request','seq':%d}",
                    "Invalid 'stepIn' request", "'threadId' must be a whole number", "\"abc\"");

            // huge strings
            assertTrue(answered(s, "{'seq':%d,'type':'request','command':'threads','arguments':{'filter':'" + "y".repeat(1_000_000) + "'}}")
                    .get("success").getAsBoolean());
            refused(s, "{'seq':%d,'type':'request','command':'source','arguments':{'source':{'path':'/" + XS + "'}}}");
            refused(s, "{'seq':%d,'type':'request','command':'frobnicate','arguments':{'x':'" + XS + "'}}", "frobnicate");

            // ids beyond 32 bits, and numbers that are not whole
            refused(s, "{'seq':%d,'type':'request','command':'stackTrace','arguments':{'threadId':2147483648}}",
                    "'threadId' must be a whole number from -2147483648 to 2147483647, not 2147483648");
            refused(s, "{'seq':%d,'type':'request','command':'variables','arguments':{'variablesReference':-9223372036854775809}}",
                    "'variablesReference' must be a whole number");
            refused(s, "{'seq':%d,'type':'request','command':'scopes','arguments':{'frameId':1.5}}", "'frameId' must be a whole number", "1.5");
            long bigSeq = 1L << 40;
            s.dap.sendRaw(json("{'seq':" + bigSeq + ",'type':'request','command':'threads'}"));
            String msg = s.dap.responseTo(bigSeq).get("message").getAsString();
            assertTrue(msg.contains("'seq' must be a whole number") && msg.contains(Long.toString(bigSeq)), msg);
            sent.add(bigSeq);

            // wrong types, missing arguments, no command
            refused(s, "{'seq':%d,'type':'request','command':'next','arguments':{'threadId':true}}", "'threadId' has the wrong type");
            refused(s, "{'seq':%d,'type':'request','command':'stepIn','arguments':'abc'}", "'arguments' has the wrong type");
            refused(s, "{'seq':%d,'type':'request','command':'stackTrace','arguments':[1,2]}", "'arguments[0]' has the wrong type");
            refused(s, "{'seq':%d,'type':'request','command':'setBreakpoints','arguments':{'source':{'path':'/A.java'},'breakpoints':{'line':3}}}",
                    "'breakpoints' has the wrong type");
            refused(s, "{'seq':%d,'type':'request','command':'stepIn','arguments':null}", "Invalid 'stepIn' request", "'arguments' is missing");
            refused(s, "{'seq':%d,'type':'request','command':'next'}", "Invalid 'next' request", "'arguments' is missing");
            refused(s, "{'seq':%d,'type':'request','command':{'a':1}}", "Invalid request", "'command'");
            refused(s, "{'seq':%d,'type':'request'}", "Invalid request", "'command' is missing");

            // invalid JSON inside good framing
            refused(s, "{'seq':%d,'type':'request','command':'threads', oops '" + XS + "'}", "Invalid 'threads' request", "not valid JSON");
            refused(s, "{'seq':%d,'type':'request','command':'threads'} " + XS, "not valid JSON");
            refused(s, "{'seq':%d,'type':'request','command':'threads','arguments':{'deep':" + "[".repeat(100_000) + "}}", "not valid JSON");
            // well framed but no request: nothing to answer, and the next request is answered
            for (String notRequest : List.of("", "null", "this is not json at all", "[1,2]", "{'type':'event','seq':1,'event':'x'}")) {
                s.dap.sendRaw(json(notRequest));
                assertTrue(s.dap.ok("threads", null).has("threads"), "answered after: " + notRequest);
            }

            // a message in many writes, and several messages in one
            long seq = nextSeq++;
            byte[] whole = DapClient.framed(json(String.format("{'seq':%d,'type':'request','command':'threads'}", seq)));
            byte[][] bytes = new byte[whole.length][];
            for (int i = 0; i < whole.length; i++) bytes[i] = new byte[]{whole[i]};
            s.dap.write(bytes);
            assertTrue(s.dap.responseTo(seq).get("success").getAsBoolean());
            sent.add(seq);
            long nasty = nextSeq++;
            long good = nextSeq++;
            byte[] both = concat(
                    DapClient.framed(json(String.format("{'seq':%d,'type':'request','command':'stepIn','arguments':{'threadId':'" + XS + "'}}", nasty))),
                    DapClient.framed(json(String.format("{'seq':%d,'type':'request','command':'threads'}", good))));
            byte[][] pieces = new byte[both.length / 1000 + 1][];
            for (int i = 0; i < pieces.length; i++) {
                pieces[i] = java.util.Arrays.copyOfRange(both, i * 1000, Math.min(both.length, (i + 1) * 1000));
            }
            s.dap.write(pieces);
            assertFalse(s.dap.responseTo(nasty).get("success").getAsBoolean());
            assertTrue(s.dap.responseTo(good).get("success").getAsBoolean());
            sent.add(nasty);
            sent.add(good);
            s.dap.write(concat(DapClient.framed(json("{'seq':" + nextSeq + ",'type':'request','command':'threads'}")),
                    DapClient.framed(json("{'seq':" + (nextSeq + 1) + ",'type':'request','command':'threads'}"))));
            for (long one : List.of(nextSeq, nextSeq + 1)) {
                assertTrue(s.dap.responseTo(one).get("success").getAsBoolean());
                sent.add(one);
            }
            nextSeq += 2;

            // Input that is not framed: skipped up to the next message, which is answered, with a word on stderr.
            for (String unframed : List.of("Content-Length: abc\r\n\r\n{}", "Content-Type: application/json\r\n\r\n{}",
                    "Content-Length: -5\r\n\r\n", "Content-Length: 99999999999\r\n\r\n{}", "a stray line\r\n", XS)) {
                seq = nextSeq++;
                s.dap.write(concat(unframed.getBytes(StandardCharsets.UTF_8),
                        DapClient.framed(json(String.format("{'seq':%d,'type':'request','command':'threads'}", seq)))));
                assertTrue(s.dap.responseTo(seq).get("success").getAsBoolean(), "answered after: " + unframed);
                sent.add(seq);
            }
            awaitStderr(s.dap, "skips to the next 'Content-Length:' header");

            // a real session in the same adapter: a breakpoint stops, a nasty request leaves the thread stopped
            s.launchArgs.clear();
            s.launchArgs.putAll(BadInputTest.goodLaunch());
            s.launchArgs.put("sourcePaths", List.of(BASIC.src.toString()));
            s.launch(Map.of("demo/Basic.java", new int[]{BASIC.line("demo/Basic.java", "BP_ADD")}));
            int tid = s.threadOf(s.stopped("breakpoint"));
            refused(s, "{'seq':%d,'type':'request','command':'stackTrace','arguments':{'threadId':" + (tid + (1L << 32)) + ",'x':'" + XS + "'}}",
                    "'threadId' must be a whole number");
            int frameId = s.topFrame(tid).get("id").getAsInt();
            assertEquals("0", s.locals(frameId).get("a"));
            s.setBreakpoints("demo/Basic.java");
            s.continueThread(tid);
            s.assertExit(3);

            for (long one : sent) assertEquals(1, s.dap.responsesTo(one), "responses to request " + one);
            assertEquals(sent.size(), s.dap.unmatchedResponses().size(), "no response to anything else: " + s.dap.unmatchedResponses());
            assertEquals("", s.dap.noise(), "nothing but DAP on the protocol stream");
        }
    }

    /** Sends the request ('%d' for its seq, single quotes for double) as raw text; it gets an error response with every piece. */
    private String refused(Session s, String template, String... pieces) throws IOException {
        JsonObject r = answered(s, template);
        assertFalse(r.get("success").getAsBoolean(), abbreviate(r.toString()));
        String msg = r.get("message").getAsString();
        for (String p : pieces) assertTrue(msg.contains(p), "'" + p + "' missing from: " + abbreviate(msg));
        return msg;
    }

    /** Sends the request as raw text and returns its response; the adapter still answers after it. */
    private JsonObject answered(Session s, String template) throws IOException {
        long seq = nextSeq++;
        s.dap.sendRaw(json(String.format(template, seq)));
        JsonObject r = s.dap.responseTo(seq);
        sent.add(seq);
        assertTrue(s.dap.ok("threads", null).has("threads"), "the adapter still answers after: " + abbreviate(template));
        return r;
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) all.writeBytes(p);
        return all.toByteArray();
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    private static void awaitStderr(DapClient dap, String text) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DapClient.WAIT_MS;
        while (!dap.serverStderr().contains(text) && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertTrue(dap.serverStderr().contains(text), "stderr: " + abbreviate(dap.serverStderr()));
    }
}
