package dev.hotrestart.wrap;

import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.*;

/** A method's exception table, read from a real class file. */
class MethodCodeTest {
    @SuppressWarnings("unused")
    static class Sample {
        int retry(int n) {
            if (n == 0) throw new IllegalStateException("deepest");
            try {
                return retry(n - 1) + 1;
            } catch (IllegalStateException e) {
                return -n;
            }
        }
    }

    @Test
    void theTryRangeIsCaughtByItsHandlerAndNothingBeforeIt() throws Exception {
        byte[] file;
        try (InputStream in = Sample.class.getResourceAsStream("MethodCodeTest$Sample.class")) {
            file = in.readAllBytes();
        }
        MethodCode code = MethodCode.of(file, "retry", "(I)I");
        assertNotNull(code);
        assertEquals(1, code.handlers.size());
        int[] h = code.handlers.get(0);
        assertTrue(h[0] > 0 && h[0] < h[1] && h[1] <= h[2] && h[2] < code.code.length, java.util.Arrays.toString(h));
        assertTrue(code.caughtAt(h[0], h[2]), "the first instruction of the try");
        assertTrue(code.caughtAt(h[1] - 1, h[2]), "the last one");
        assertFalse(code.caughtAt(0, h[2]), "the test of n before the try");
        assertFalse(code.caughtAt(h[0], h[2] + 1), "another handler");
        assertNull(MethodCode.of(file, "retry", "(J)I"), "no such method");
    }
}
