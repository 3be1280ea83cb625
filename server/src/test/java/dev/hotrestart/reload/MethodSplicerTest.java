package dev.hotrestart.reload;

import com.github.javaparser.ast.CompilationUnit;
import dev.hotrestart.reload.MethodSplicer.MethodId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    private static List<MethodSplicer.Found> find(String text, MethodId id) {
        CompilationUnit cu = MethodSplicer.parse(text, "Test.java");
        return MethodSplicer.find(cu, text, id);
    }

    private static int one(String text, MethodId id) {
        List<MethodSplicer.Found> found = find(text, id);
        assertEquals(1, found.size(), id + " found " + found.size() + " times");
        return found.get(0).beginLine();
    }
}
