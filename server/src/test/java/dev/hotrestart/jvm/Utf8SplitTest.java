package dev.hotrestart.jvm;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Output is delivered in pieces as the pipe fills: a piece never ends inside a character. */
class Utf8SplitTest {
    @Test
    void aPieceEndsOnAWholeCharacter() {
        byte[] b = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes
        assertEquals(10, DebuggeeProcess.wholeUtf8(b, 10));
        assertEquals(6, DebuggeeProcess.wholeUtf8(b, 9)); // inside the emoji
        assertEquals(6, DebuggeeProcess.wholeUtf8(b, 7));
        assertEquals(3, DebuggeeProcess.wholeUtf8(b, 5)); // inside the euro sign
        assertEquals(3, DebuggeeProcess.wholeUtf8(b, 3));
        assertEquals(1, DebuggeeProcess.wholeUtf8(b, 2)); // inside é
        assertEquals(0, DebuggeeProcess.wholeUtf8(b, 0));
    }
}
