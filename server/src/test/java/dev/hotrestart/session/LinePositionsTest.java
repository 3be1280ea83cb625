package dev.hotrestart.session;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The places on a line a column breakpoint can pick: the line's own code and the lambdas whose bodies start there. */
class LinePositionsTest {
    static final String SOURCE = String.join("\n",
            "class A {",                                                          // 1
            "    void f(java.util.List<Integer> xs) {",                           // 2
            "        xs.stream().map(x -> x + 1).forEach(y -> {",                 // 3
            "            System.out.println(y);",                                 // 4
            "        });",                                                        // 5
            "        Runnable r = () -> { go(); };",                              // 6
            "\tRunnable s = () -> go();",                                         // 7
            "        xs.forEach(a -> xs.forEach(b -> go()));",                    // 8
            "    }",
            "    void go() {}",
            "}");

    @Test
    void aBlockLambdaWhoseBodyStartsOnTheNextLineIsNotOnThisLine() {
        assertEquals(List.of(new LinePositions.Place(3, 9, -1), new LinePositions.Place(3, 30, 0)), LinePositions.of(SOURCE).places(3));
        assertEquals(List.of(new LinePositions.Place(4, 13, -1)), LinePositions.of(SOURCE).places(4), "inside a lambda's block: its own line");
        assertEquals(List.of("x -> x + 1"), LinePositions.of(SOURCE).lambdaTexts(3));
    }

    @Test
    void aBlockLambdaOnOneLineAndATabCountingOneColumn() {
        assertEquals(List.of(new LinePositions.Place(6, 9, -1), new LinePositions.Place(6, 30, 0)), LinePositions.of(SOURCE).places(6));
        assertEquals(List.of(new LinePositions.Place(7, 2, -1), new LinePositions.Place(7, 21, 0)), LinePositions.of(SOURCE).places(7));
    }

    @Test
    void aColumnPicksTheLambdaWhoseBodyItIsIn() {
        assertEquals(-1, LinePositions.of(SOURCE).at(3, 9).lambda());
        assertEquals(-1, LinePositions.of(SOURCE).at(3, 25).lambda(), "left of the body (the parameter): the line's own code");
        assertEquals(0, LinePositions.of(SOURCE).at(3, 31).lambda());
        assertEquals(30, LinePositions.of(SOURCE).at(3, 33).column(), "moved to where the body starts");
        assertEquals(List.of(), LinePositions.of(SOURCE).places(8 + 10), "past the end: nothing");
        int after = SOURCE.split("\n")[2].indexOf(".forEach") + 1;
        assertEquals(-1, LinePositions.of(SOURCE).at(3, after).lambda(), "right of a lambda's body: the line's own code again");
    }

    @Test
    void lambdasNestedOnOneLineAreSaidToNestAndAColumnPicksTheInnermost() {
        LinePositions p = LinePositions.of(SOURCE);
        assertEquals(3, p.places(8).size(), "the line's code and both lambdas");
        assertEquals(List.of("a -> xs.forEach(b -> go())"), p.lambdaTexts(8), "the code of the line makes the outer lambda only");
        assertTrue(p.lambdasNest(8));
        assertFalse(p.lambdasNest(3));
        int inner = SOURCE.split("\n")[7].indexOf("go()") + 1;
        assertEquals(1, p.at(8, inner).lambda(), "in the inner body, which is also inside the outer");
    }
}
