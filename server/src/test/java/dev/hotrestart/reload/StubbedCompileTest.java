package dev.hotrestart.reload;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stubbing the other bodies of a file, and taking one method's new code into the running class's bytes. */
class StubbedCompileTest {
    static final String SRC = String.join("\n",
            "package p;",
            "import java.util.function.IntUnaryOperator;",
            "public class C {",
            "    static int base = 1;",
            "    C() { base = 2; }",
            "    static int twice(int x) {",
            "        IntUnaryOperator f = y -> y * 2;",
            "        return f.applyAsInt(x);",
            "    }",
            "    static int plus(int x) {",
            "        IntUnaryOperator g = y -> y + base;",
            "        return g.applyAsInt(x) + 0;",
            "    }",
            "    static String anon() {",
            "        return new Object() { public String toString() { return \"anon\"; } }.toString();",
            "    }",
            "}",
            "");

    @Test
    void otherBodiesBecomeThrowNullWithTheirLinesKept() {
        List<int[]> bodies = StubbedCompile.bodies(MethodSplicer.parse(SRC, "C.java"), SRC);
        assertEquals(3, bodies.size(), "three methods; the constructor and the anonymous class's toString (inside a body) keep theirs");
        int plus = SRC.indexOf("    static int plus"), end = SRC.indexOf("    static String anon");
        String stubbed = StubbedCompile.stub(SRC, bodies, plus, end);
        assertEquals(SRC.split("\n", -1).length, stubbed.split("\n", -1).length, "no line moves");
        assertTrue(!stubbed.contains("twice") && !stubbed.contains("anon"), "static methods nothing compiled names are left out: " + stubbed);
        assertTrue(stubbed.contains("IntUnaryOperator g = y -> y + base;"), "the kept method is whole: " + stubbed);
        assertTrue(stubbed.contains("C() { base = 2; }"), "a constructor keeps its body: " + stubbed);
        // a method replaced by a longer text: the bodies after it move, those in it go
        List<int[]> moved = StubbedCompile.moved(bodies, plus, end, end - plus + 7);
        assertEquals(2, moved.size());
        assertEquals(bodies.get(2)[0] + 7, moved.get(1)[0]);
    }

    @Test
    void aMethodStaysStubbedWhenLeavingItOutCouldChangeTheCompile() throws Exception {
        String src = String.join("\n",
                "package p;",
                "public class C {",
                "    static final int SEED = seed();",
                "    static int seed() { return 4; }",
                "    static int helper(int x) { return x + 1; }",
                "    static int helper(long x) { return 2; }",
                "    /** Not called by the edited method. */",
                "    static <T> T unused(T t) {",
                "        return t;",
                "    }",
                "    @Deprecated static int marked() { return 0; }",
                "    int edited(int x) {",
                "        return helper(x) + SEED;",
                "    }",
                "    static class Task implements Runnable {",
                "        public void run() { System.out.println(); }",
                "        private void alone() { }",
                "    }",
                "    class Free {",
                "        void alone() { }",
                "    }",
                "}",
                "");
        List<int[]> bodies = StubbedCompile.bodies(MethodSplicer.parse(src, "C.java"), src);
        int begin = src.indexOf("    int edited"), end = src.indexOf("    static class Task");
        String stubbed = StubbedCompile.stub(src, bodies, begin, end);
        assertNotNull(stubbed);
        assertEquals(src.split("\n", -1).length, stubbed.split("\n", -1).length, "no line moves: " + stubbed);
        assertTrue(stubbed.contains("static int seed() { throw null; }"), "named by a field's initializer: " + stubbed);
        assertTrue(stubbed.contains("static int helper(int x) { throw null; }") && stubbed.contains("static int helper(long x) { throw null; }"),
                "every overload of a name the method uses: " + stubbed);
        assertTrue(!stubbed.contains("unused") && stubbed.contains("/** Not called by the edited method. */"), stubbed);
        assertTrue(stubbed.contains("@Deprecated static int marked() { throw null; }"), "an annotated method stays: " + stubbed);
        assertTrue(stubbed.contains("public void run() { throw null; }"), "it may implement what its class implements: " + stubbed);
        assertTrue(!stubbed.contains("alone"), "a private method goes even there, any method in a class that extends nothing: " + stubbed);
        assertTrue(stubbed.contains("int edited(int x) {\n        return helper(x) + SEED;"), stubbed);
        compile(stubbed); // it compiles
    }

    @Test
    void theMethodsNewCodeGoesIntoTheRunningBytesAndItsUnchangedLambdaKeepsItsName() throws Exception {
        Map<String, byte[]> running = compile(SRC);
        String edited = SRC.replace("return g.applyAsInt(x) + 0;", "return g.applyAsInt(x) + 40;");
        Map<String, byte[]> stubbed = compile(stubOf(edited, "    static int plus", "    static String anon"));
        assertNull(stubbed.get("p.C$1"), "the anonymous class went with its method's body");
        byte[] merged = StubbedCompile.merge(running.get("p.C"), stubbed, "p.C", "plus", 10, 13);
        assertNotNull(merged);
        ClassNode n = new ClassNode();
        new ClassReader(merged).accept(n, 0);
        List<String> names = n.methods.stream().map(m -> m.name).sorted().toList();
        assertEquals(List.of("<clinit>", "<init>", "anon", "lambda$plus$1", "lambda$twice$0", "plus", "twice"), names,
                "no lambda added: the same body keeps its running name");
        // the merged class runs: plus has the edit, twice its old code
        Map<String, byte[]> classes = new HashMap<>(running);
        classes.put("p.C", merged);
        Class<?> c = load(classes, "p.C");
        java.lang.reflect.Method plus = c.getDeclaredMethod("plus", int.class), twice = c.getDeclaredMethod("twice", int.class);
        plus.setAccessible(true);
        twice.setAccessible(true);
        assertEquals(43, plus.invoke(null, 2));
        assertEquals(8, twice.invoke(null, 4));
    }

    @Test
    void anUnchangedMethodGivesTheRunningBytesAndAnOverloadsLambdaKeepsItsOwnName() throws Exception {
        Map<String, byte[]> running = compile(SRC);
        Map<String, byte[]> stubbed = compile(stubOf(SRC, "    static int plus", "    static String anon"));
        assertTrue(StubbedCompile.merge(running.get("p.C"), stubbed, "p.C", "plus", 10, 13) == running.get("p.C"),
                "nothing changed: the class is not redefined");

        String overloads = String.join("\n",
                "package p;",
                "public class C {",
                "    static int f(int x) {",
                "        java.util.function.IntUnaryOperator g = y -> y + 1;",
                "        return g.applyAsInt(x);",
                "    }",
                "    static int f(long x) {",
                "        java.util.function.IntUnaryOperator g = y -> y + 1;",
                "        return g.applyAsInt((int) x) + 0;",
                "    }",
                "}",
                "");
        running = compile(overloads);
        String edited = overloads.replace("+ 0;", "+ 5;");
        List<int[]> bodies = StubbedCompile.bodies(MethodSplicer.parse(overloads, "C.java"), overloads);
        int at = overloads.indexOf("    static int f(long x)"), end = overloads.lastIndexOf("}");
        stubbed = compile(StubbedCompile.stub(edited, bodies, at, end));
        ClassNode n = new ClassNode();
        new ClassReader(StubbedCompile.merge(running.get("p.C"), stubbed, "p.C", "f", 7, 10)).accept(n, 0);
        List<String> called = new java.util.ArrayList<>();
        for (var i : n.methods.stream().filter(m -> m.desc.equals("(J)I")).findFirst().orElseThrow().instructions) {
            if (i instanceof org.objectweb.asm.tree.InvokeDynamicInsnNode indy) {
                for (Object a : indy.bsmArgs) if (a instanceof org.objectweb.asm.Handle h) called.add(h.getName());
            }
        }
        assertEquals(List.of("lambda$f$1"), called, "f(long)'s own lambda, not the first overload's");
    }

    @Test
    void whatAStubbedCompileCannotGiveExactlyIsRefused() throws Exception {
        Map<String, byte[]> running = compile(SRC);
        // the method with the anonymous class: javac numbers it by the bodies it compiles
        String edited = SRC.replace("return \"anon\";", "return \"anon!\";");
        Map<String, byte[]> stubbed = compile(stubOf(edited, "    static String anon", "}\n}"));
        assertNull(StubbedCompile.merge(running.get("p.C"), stubbed, "p.C", "anon", 14, 16));
        // a changed lambda body: javac's own numbering (a whole compile) decides whether it keeps its name
        edited = SRC.replace("y -> y + base", "y -> y + base + 1");
        stubbed = compile(stubOf(edited, "    static int plus", "    static String anon"));
        assertNull(StubbedCompile.merge(running.get("p.C"), stubbed, "p.C", "plus", 10, 13));
        assertTrue(StubbedCompile.numbered("p.C$1") && StubbedCompile.numbered("p.C$Inner$2Local") && !StubbedCompile.numbered("p.C$Inner"));
    }

    /** The edited text stubbed as a reload of the method from {@code from} to {@code to} (both in SRC and the edit) does it. */
    private static String stubOf(String edited, String from, String to) {
        List<int[]> bodies = StubbedCompile.bodies(MethodSplicer.parse(SRC, "C.java"), SRC);
        int oldBegin = SRC.indexOf(from), oldEnd = SRC.indexOf(to), begin = edited.indexOf(from), end = edited.indexOf(to);
        String out = StubbedCompile.stub(edited, StubbedCompile.moved(bodies, oldBegin, oldEnd, end - begin), begin, end);
        assertNotNull(out, "stubbed");
        return out;
    }

    private static Map<String, byte[]> compile(String source) throws IOException {
        Path dir = Files.createTempDirectory("stubbed");
        Path src = Files.createDirectories(dir.resolve("src/p")).resolve("C.java");
        Files.writeString(src, source);
        Path out = Files.createDirectories(dir.resolve("out"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-g", "-d", out.toString(), src.toString()), "compiles: " + source);
        Map<String, byte[]> classes = new HashMap<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.toString().endsWith(".class")) continue;
                String name = out.relativize(f).toString().replace('/', '.');
                classes.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(f));
            }
        }
        return classes;
    }

    private static Class<?> load(Map<String, byte[]> classes, String name) throws Exception {
        ClassLoader l = new ClassLoader(null) {
            @Override
            protected Class<?> findClass(String n) throws ClassNotFoundException {
                byte[] b = classes.get(n);
                if (b == null) throw new ClassNotFoundException(n);
                return defineClass(n, b, 0, b.length);
            }
        };
        return l.loadClass(name);
    }
}
