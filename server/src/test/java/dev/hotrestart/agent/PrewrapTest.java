package dev.hotrestart.agent;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.Attribute;
import org.objectweb.asm.ByteVector;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The debugger's wrapping of a class before it redefines it: the agent must know such bytes by
 * their last bytes alone, or it wraps them a second time (each escape would stop twice).
 */
class PrewrapTest {
    static final WrapPolicy POLICY = new WrapPolicy(List.of("p.W#work"), List.of());

    @Test
    void aClassTheDebuggerWrappedEndsWithTheMarkAndOnlyThatOne() throws Exception {
        byte[] plain = compiled();
        byte[] wrapped = Prewrap.wrap(plain, "p.W", false, POLICY);
        assertNotNull(wrapped, "work is wrapped by the policy");
        assertTrue(Prewrap.marked(wrapped));
        assertFalse(Prewrap.marked(plain), "javac's bytes carry no mark");
        assertEquals(1, handlers(wrapped, "work") - handlers(plain, "work"), "the handler is around work once");
        assertEquals(handlers(plain, "other"), handlers(wrapped, "other"), "a method the policy does not name is as javac wrote it");
        // what the agent wraps itself carries no mark (it is never handed back to the agent)
        assertFalse(Prewrap.marked(HandlerWriter.rewrite(plain, "p.W", false, POLICY)));
        // the JVM takes the class with the mark (an attribute it does not know)
        Class<?> c = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define(byte[] b) {
                return defineClass("p.W", b, 0, b.length);
            }
        }.define(wrapped);
        assertEquals(2, c.getDeclaredMethods().length);
    }

    @Test
    void theMarkStaysLastWhenTheClassHasAttributesOfItsOwn() throws Exception {
        // another compiler's attribute (Scala writes some): the mark must still end the file
        ClassReader r = new ClassReader(compiled());
        ClassWriter w = new ClassWriter(r, 0);
        r.accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public void visitEnd() {
                super.visitAttribute(attribute("OtherCompiler", 42));
                super.visitEnd();
            }
        }, 0);
        byte[] own = w.toByteArray();
        byte[] wrapped = Prewrap.wrap(own, "p.W", false, POLICY);
        assertTrue(Prewrap.endsWithMark(wrapped));
        assertFalse(Prewrap.marked(own));
        // another agent's transformer that adds an attribute after the mark: still known as wrapped
        ClassReader again = new ClassReader(wrapped);
        ClassWriter w2 = new ClassWriter(again, 0);
        again.accept(new ClassVisitor(Opcodes.ASM9, w2) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(version, access, name, signature, superName, interfaces);
                super.visitAttribute(attribute("AnotherAgent", 7));
            }
        }, 0);
        byte[] moved = w2.toByteArray();
        assertFalse(Prewrap.endsWithMark(moved));
        assertTrue(Prewrap.marked(moved));
    }

    /** A class attribute of another tool's: a name and an int. */
    private static Attribute attribute(String name, int value) {
        return new Attribute(name) {
            @Override
            protected ByteVector write(ClassWriter cw, byte[] code, int len, int maxStack, int maxLocals) {
                return new ByteVector().putInt(value);
            }
        };
    }

    /** How many exception handlers the method's code has. */
    private static int handlers(byte[] bytes, String method) {
        ClassNode n = new ClassNode();
        new ClassReader(bytes).accept(n, 0);
        for (MethodNode m : n.methods) if (m.name.equals(method)) return m.tryCatchBlocks.size();
        throw new AssertionError("no " + method);
    }

    private static byte[] compiled() throws Exception {
        Path dir = Files.createTempDirectory("prewrap");
        Path src = Files.createDirectories(dir.resolve("p")).resolve("W.java");
        Files.writeString(src, "package p;\npublic class W {\n    int work(int x) {\n        return 10 / x;\n    }\n"
                + "    int other(int x) {\n        return x + 1;\n    }\n}\n");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-g", "-d", dir.toString(), src.toString()));
        return Files.readAllBytes(dir.resolve("p/W.class"));
    }
}
