package dev.hotrestart.tests;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The long soak of {@link FuzzTest}: 100,000 hostile messages ({@code -Dfuzz.soak}) to one
 * adapter, then a real session in it. Prints what was sent and answered, and the rate, beside
 * the rate of as many plain {@code threads} requests in the same run.
 */
class FuzzSoakBench {
    static final int MESSAGES = Integer.getInteger("fuzz.soak", 100_000);

    @Test
    void aHundredThousandHostileMessages() throws Exception {
        FuzzTest.Run run = FuzzTest.fuzzThenDebug(FuzzTest.SEED, MESSAGES);
        double plainMs = plainRequests(run.requests());
        Bench bench = new Bench("fuzz");
        bench.figure("sent", "hostile messages sent (seed " + FuzzTest.SEED + ")", run.sent(), "").target(null, null);
        bench.figure("answered", "requests among them answered exactly once", run.answered(), "")
                .baseline("requests sent", run.requests()).target("all", run.answered() == run.requests());
        bench.figure("fuzzMs", "time to send them and have every answer", run.ms(), "ms")
                .baseline("as many plain 'threads' requests to this adapter (information only: a fuzz has no plain-java baseline)", plainMs)
                .target(null, null);
        bench.write();
        assertEquals(run.requests(), run.answered());
    }

    /** The time for {@code n} well-formed requests, answered, in a fresh adapter. */
    static double plainRequests(int n) throws Exception {
        try (Session s = Session.start(Fixture.shared("basic"), "demo.Basic")) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) s.dap.ok("threads", null);
            return (System.nanoTime() - t0) / 1e6;
        }
    }
}
