package dev.hotrestart.agent;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The class file of a class with one static method that does nothing: what {@link Links} tries the JVM's lambdas on. */
final class ProbeClass {
    private ProbeClass() {}

    static byte[] bytes() {
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V15, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, "dev/hotrestart/agent/Probe", null,
                "java/lang/Object", null);
        MethodVisitor m = w.visitMethod(Opcodes.ACC_STATIC, "run", "()V", null, null);
        m.visitCode();
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }
}
