package dev.hotrestart.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Which source lines hold no code, so that a breakpoint there moves to the next line that does. */
class BreakpointLinesTest {
    @Test
    void declarationsBracesAndCommentsHoldNoCode() {
        for (String line : new String[]{"", "   // note", "    }", "  int count;", "    private final List<String> names;",
                "    @Override", "    public int size() {", "    } else {", "    /** doc */"}) {
            assertTrue(Breakpoints.holdsNoCode(line), line);
        }
    }

    @Test
    void statementsThatLookLikeDeclarationsHoldCode() {
        for (String line : new String[]{"            return 3; // BP_SIZE", "        return total;", "      throw failure;",
                "        break outer;", "        continue loop;", "        yield value;", "    x = 1;", "    count++;"}) {
            assertFalse(Breakpoints.holdsNoCode(line), line);
        }
    }
}
