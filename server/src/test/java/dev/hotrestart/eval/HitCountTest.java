package dev.hotrestart.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The JVM passing over hits that cannot match stops at exactly the hits plain counting stops at. */
class HitCountTest {
    private static final int HITS = 60;

    /** The hits at which a breakpoint stops when every hit is reported. */
    private static List<Long> everyHit(String hit) {
        BreakpointRule r = BreakpointRule.parse(null, hit, null);
        List<Long> stops = new ArrayList<>();
        for (long h = 1; h <= HITS; h++) if (r.decide(() -> null).stop()) stops.add(h);
        return stops;
    }

    /** The same, when only the hits nextMatch() names are reported, as a count filter does. */
    private static List<Long> passedOver(String hit) {
        BreakpointRule r = BreakpointRule.parse(null, hit, null);
        assertTrue(r.countedByJvm());
        List<Long> stops = new ArrayList<>();
        long h = 0;
        while (true) {
            long next = r.nextMatch();
            if (next == 0 || h + next > HITS) break;
            assertTrue(next >= 1);
            r.passedOver(next - 1);
            h += next;
            if (r.decide(() -> null).stop()) stops.add(h);
        }
        return stops;
    }

    @Test
    void everyOperatorStopsAtTheSameHits() {
        for (String hit : List.of("1", "7", "== 1", "== 9", "== 0", "> 5", "> 0", ">= 12", "<= 4", "< 4", "< 1", "% 1", "% 7")) {
            assertEquals(everyHit(hit), passedOver(hit), hit);
        }
    }

    @Test
    void onlyTheHitsThatMatterAreReported() {
        BreakpointRule r = BreakpointRule.parse(null, "== 50000", null);
        assertEquals(50_000, r.nextMatch());
        r.passedOver(49_999);
        assertTrue(r.decide(() -> null).stop());
        assertEquals(0, r.nextMatch(), "after == n no hit can match");
        BreakpointRule every = BreakpointRule.parse(null, "% 1000", null);
        assertEquals(1000, every.nextMatch());
        assertFalse(BreakpointRule.parse("x > 1", "5", null).countedByJvm(), "a condition is evaluated at every hit");
        assertFalse(BreakpointRule.parse(null, null, "x={x}").countedByJvm());
    }
}
