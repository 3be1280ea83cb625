package dev.hotrestart.reload;

import dev.hotrestart.reload.ConditionSites.Instrumented;
import dev.hotrestart.reload.ConditionSites.Site;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a breakpoint condition can go into the source, and what goes in; finding its marker in bytecode. */
class ConditionSitesTest {
    static final int FIRST = ConditionSites.FIRST_MARKER;
    static final String SRC = String.join("\n",
            "package p;",                                              // 1
            "class C {",                                               // 2
            "    C(int n) {",                                          // 3
            "        super();",                                        // 4
            "        int k = n;",                                      // 5
            "    }",                                                   // 6
            "    long sum(int n) {",                                   // 7
            "        long total = 0;",                                 // 8
            "        for (int i = 0; i < n; i++) {",                   // 9
            "            total += i;",                                 // 10
            "            Runnable r = () -> System.out.println(i);",   // 11
            "            int a = 1; int b = 2;",                       // 12
            "            if (i > 3) total++;",                         // 13
            "        }",                                               // 14
            "        return total;",                                   // 15
            "    }",                                                   // 16
            "}");

    private static Instrumented at(int line, String condition) {
        return ConditionSites.instrument(MethodSplicer.parse(SRC, "C.java"), SRC, List.of(new Site(line, condition, FIRST)));
    }

    @Test
    void theTestGoesInFrontOfTheStatementOnItsOwnLine() {
        Instrumented r = at(10, "i == 7");
        assertEquals(List.of(new Site(10, "i == 7", FIRST)), r.placed());
        String[] lines = r.text().split("\n", -1);
        assertEquals(SRC.split("\n", -1).length, lines.length, "no line may move");
        assertEquals("            try { if (i == 7) { int hotrestart$c23456 = 23456; hotrestart$c23456++; } } catch (Throwable "
                + "hotrestart$e23456) { try { int hotrestart$t23456 = 23457; hotrestart$t23456++; } catch (Throwable hotrestart$f23456) "
                + "{ } } total += i;", lines[9]);
        assertEquals(SRC.split("\n", -1)[10], lines[10]);
    }

    /** A function breakpoint's site: in front of the named method's first statement, whatever it is; never a constructor's. */
    @Test
    void anEntrySiteGoesInFrontOfTheFirstStatementOfTheMethodItNames() {
        String src = String.join("\n",
                "class D {",                                              // 1
                "    D(int n) {",                                          // 2
                "        for (int i = 0; i < n; i++) { }",                 // 3
                "    }",                                                   // 4
                "    int loop(int n) {",                                   // 5
                "        for (int i = 0; i < n; i++) { n--; }",            // 6
                "        return n;",                                       // 7
                "    }",                                                   // 8
                "    int loop(String s) { return s.length(); }",           // 9
                "    void empty() { }",                                    // 10
                "}");
        var cu = MethodSplicer.parse(src, "D.java");
        Instrumented r = ConditionSites.instrument(cu, src, List.of(new Site(6, "n > 2", FIRST, "D#loop"), new Site(9, "s.isEmpty()", FIRST + 2, "D#loop")));
        assertEquals(2, r.placed().size(), r.refused().toString());
        String[] lines = r.text().split("\n", -1);
        assertEquals(src.split("\n", -1).length, lines.length, "no line may move");
        assertTrue(lines[5].startsWith("        try { if (n > 2) {") && lines[5].endsWith("for (int i = 0; i < n; i++) { n--; }"), lines[5]);
        assertTrue(lines[8].startsWith("    int loop(String s) { try { if (s.isEmpty()) {") && lines[8].endsWith("return s.length(); }"), lines[8]);
        // a line breakpoint's site refuses the loop's line; the name must fit; no constructor, no empty method
        assertEquals(1, ConditionSites.instrument(cu, src, List.of(new Site(6, "n > 2", FIRST))).refused().size());
        for (Site s : List.of(new Site(6, "n > 2", FIRST, "D#other"), new Site(6, "n > 2", FIRST, "E#loop"), new Site(3, "n > 2", FIRST, "D#D"),
                new Site(10, "true", FIRST, "D#empty"), new Site(7, "n > 2", FIRST, "D#loop"))) {
            Instrumented no = ConditionSites.instrument(cu, src, List.of(s));
            assertTrue(no.placed().isEmpty() && no.refused().get(s).contains("is not where its first statement starts"), s + ": " + no.refused());
        }
    }

    @Test
    void returnsDeclarationsAndConstructorBodiesTakeIt() {
        assertEquals(1, at(15, "total > 0").placed().size());
        assertEquals(1, at(8, "n > 0").placed().size());
        assertEquals(1, at(5, "n > 0").placed().size());
    }

    @Test
    void linesWhereTheDebuggerWouldStopElsewhereTooAreRefused() {
        for (int line : new int[]{4, 9, 11, 12, 13, 14, 16}) {
            Instrumented r = at(line, "n > 0");
            assertTrue(r.placed().isEmpty(), "line " + line + ": " + r.text());
            assertEquals(SRC, r.text());
            assertTrue(r.refused().values().iterator().next().contains("line " + line), r.refused().toString());
        }
    }

    @Test
    void conditionsWithCodeOfTheirOwnOrCommentsAreRefused() {
        for (String c : new String[]{"java.util.List.of(1).stream().anyMatch(x -> x == i)", "java.util.Objects.nonNull(this::sum)",
                "new Object() { }.hashCode() == i", "i == 1 // one", "i == /* one */ 1", "i ==\n1", "i = = 1"}) {
            Instrumented r = at(10, c);
            assertTrue(r.placed().isEmpty(), c);
            assertEquals(SRC, r.text());
        }
    }

    @Test
    void severalSitesGoInTogether() {
        Instrumented r = ConditionSites.instrument(MethodSplicer.parse(SRC, "C.java"), SRC,
                List.of(new Site(15, "total > 2", FIRST + 2), new Site(10, "i == 7", FIRST), new Site(9, "n > 0", FIRST + 4)));
        assertEquals(2, r.placed().size());
        assertEquals(1, r.refused().size());
        assertTrue(r.text().split("\n")[14].contains("if (total > 2) { int hotrestart$c23458 = 23458; hotrestart$c23458++;"));
        assertTrue(r.text().split("\n")[9].contains("if (i == 7)"));
    }

    @Test
    void aFinallyBlockWhichJavacCopiesIsRefusedItsTryIsNot() {
        String src = String.join("\n",
                "class F {",
                "    void f(int n) {",
                "        try {",
                "            n++;",
                "        } finally {",
                "            n--;",
                "        }",
                "    }",
                "}");
        var cu = MethodSplicer.parse(src, "F.java");
        assertEquals(1, ConditionSites.instrument(cu, src, List.of(new Site(4, "n > 0", FIRST))).placed().size());
        assertTrue(ConditionSites.instrument(cu, src, List.of(new Site(6, "n > 0", FIRST))).placed().isEmpty());
    }

    @Test
    void theMarkerIsFoundPastSwitchesAndWideInstructions() {
        byte[] code = {
                0x1b,                                   // 0 iload_1
                (byte) 0xaa, 0, 0,                      // 1 tableswitch, padded to 4
                0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 1,    // 4 default, low 0, high 1
                0, 0, 0, 20, 0, 0, 0, 20,               // 16 two offsets
                (byte) 0xc4, 0x15, 0x01, 0x00,          // 24 wide iload 256
                0x11, 0x4e, 0x20,                       // 28 sipush 20000
                0x3d,                                   // 31 istore_2
                0x11, 0x4e, 0x21,                       // 32 sipush 20001
                (byte) 0xb1};                           // 35 return
        assertEquals(List.of(28), Bytecode.sipushes(code, 20_000));
        assertEquals(List.of(32), Bytecode.sipushes(code, 20_001));
        assertEquals(List.of(), Bytecode.sipushes(code, 20_002));
    }
}
