package dev.hotrestart.reload;

import com.github.javaparser.ast.CompilationUnit;
import dev.hotrestart.reload.MethodSplicer.MethodId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding the method a frame runs in a source text, by the names and types JDI reports. */
class MethodSplicerTest {
    static final String OP = String.join("\n",
            "package calc;",
            "enum Op {",
            "    PLUS { int apply(int a, int b) { return a + b; } },",
            "    MINUS { int apply(int a, int b) { return a - b; } };",
            "    int apply(int a, int b) { return 0; }",
            "}");

    static final String LOG = String.join("\n",
            "package calc;",
            "class Log<E extends Number> {",
            "    <T> void log(T value) { }",
            "    void log(String text) { }",
            "    <C extends Comparable<C>> void log(C[] values) { }",
            "    void add(E element) { }",
            "}");

    @Test
    void enumConstantBodiesAreNotTheEnumsOwnMethod() {
        List<MethodSplicer.Found> found = find(OP, MethodId.of("calc.Op", "apply", List.of("int", "int")));
        assertEquals(1, found.size());
        assertEquals(5, found.get(0).beginLine());
    }

    @Test
    void typeVariablesMatchTheirErasure() {
        assertEquals(4, one(LOG, MethodId.of("calc.Log", "log", List.of("java.lang.String"))));
        assertEquals(3, one(LOG, MethodId.of("calc.Log", "log", List.of("java.lang.Object"))));
        assertEquals(5, one(LOG, MethodId.of("calc.Log", "log", List.of("java.lang.Comparable[]"))));
        assertEquals(6, one(LOG, MethodId.of("calc.Log", "add", List.of("java.lang.Number"))));
        assertEquals(0, find(LOG, MethodId.of("calc.Log", "add", List.of("java.lang.Object"))).size());
    }

    static final String SHOP = String.join("\n",
            "package shop;",
            "import java.util.List;",
            "class Shop {",
            "    /** Totals. */",
            "    int total(List<Integer> xs) {",
            "        int t = 0;",
            "        for (int x : xs) t += x;",
            "        return t;",
            "    }",
            "",
            "    int other() { return 1; }",
            "}");

    /** An edit inside the method needs no parse of the file: the result is what the full splice gives. */
    @Test
    void anEditInsideTheMethodIsTakenInPlaceAsTheSpliceWouldTakeIt() {
        MethodId id = MethodId.of("shop.Shop", "total", List.of("java.util.List"));
        MethodSplicer.Found old = find(SHOP, id).get(0);
        String edited = SHOP.replace("t += x;", "{\n            t += 2 * x;\n        }");
        MethodSplicer.Found in = MethodSplicer.editedInPlace(SHOP, old, edited, id);
        CompilationUnit editedCu = MethodSplicer.parse(edited, "Shop.java");
        MethodSplicer.Found full = MethodSplicer.findOne(editedCu, edited, id, "Shop.java");
        assertEquals(List.of(full.beginLine(), full.endLine(), full.beginOffset(), full.endOffset()),
                List.of(in.beginLine(), in.endLine(), in.beginOffset(), in.endOffset()));
        assertEquals(edited, MethodSplicer.splice(SHOP, old, edited, full, MethodSplicer.parse(SHOP, "Shop.java"), editedCu));
    }

    /** Anything else that changed, or a method that is no longer that one, takes the long way. */
    @Test
    void editsBeyondTheMethodAreNotTakenInPlace() {
        MethodId id = MethodId.of("shop.Shop", "total", List.of("java.util.List"));
        MethodSplicer.Found old = find(SHOP, id).get(0);
        for (String edited : new String[]{
                SHOP.replace("return 1;", "return 2;"), // another method
                SHOP.replace("/** Totals. */", "/** Sums. */"), // the comment before it
                SHOP.replace("import java.util.List;", "import java.util.*;"), // the imports
                SHOP.replace("int total(List<Integer> xs)", "int total(Iterable<Integer> xs)"), // its parameters
                SHOP.replace("        return t;\n    }", "        return t;\n    }\n    int more() { return 0; }"), // a method added
                SHOP.replace("return t;", "return t; /*"), // a comment left open
        }) {
            assertNull(MethodSplicer.editedInPlace(SHOP, old, edited, id), edited);
        }
    }

    private static List<MethodSplicer.Found> find(String text, MethodId id) {
        CompilationUnit cu = MethodSplicer.parse(text, "Test.java");
        return MethodSplicer.find(cu, text, id);
    }

    private static int one(String text, MethodId id) {
        List<MethodSplicer.Found> found = find(text, id);
        assertEquals(1, found.size(), id + " found " + found.size() + " times");
        return found.get(0).beginLine();
    }

    @Test
    void textsWithTheSameTokensOutsideTheirEditsCompareEqualWhateverTheLayoutAndComments() {
        String base = "class A {\n    int f() { return 1; }\n\n    int g() { return 2; }\n}\n";
        String edited = "class A {\n    // now f's helper comes first\n    int f() { return 1; }\n\n    static int h() { return 3; }\n\n"
                + "    int g() {\n        return h();\n    }\n}\n";
        CompilationUnit b = MethodSplicer.parse(base, "A.java"), e = MethodSplicer.parse(edited, "A.java");
        int[] g = {base.indexOf("    int g"), base.indexOf("}\n}") + 1};
        int[] g2 = {edited.indexOf("    int g"), edited.lastIndexOf("}\n}") + 1};
        int[] h = {edited.indexOf("    static int h"), edited.indexOf("3; }") + 4};
        assertTrue(MethodSplicer.sameTokensOutside(b, base, List.of(g), e, edited, List.of(g2, h)),
                "the method and the added helper aside, only a comment and blank lines differ");
        assertFalse(MethodSplicer.sameTokensOutside(b, base, List.of(g), e, edited, List.of(g2)), "the helper is outside the edits");
        String other = edited.replace("return 1;", "return 10;");
        assertFalse(MethodSplicer.sameTokensOutside(b, base, List.of(g), MethodSplicer.parse(other, "A.java"), other, List.of(
                new int[]{other.indexOf("    int g"), other.lastIndexOf("}\n}") + 1},
                new int[]{other.indexOf("    static int h"), other.indexOf("3; }") + 4})), "another method changed");
    }
}
