package dev.hotrestart.reload;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.List;

/**
 * Moves line numbers in compiled classes: a method spliced into the older text keeps the
 * line numbers it has in the edited file, so breakpoints and the editor agree with the JVM.
 */
final class LineShifter {
    record Shift(int from, int to, int delta) {}

    private LineShifter() {}

    static byte[] shift(byte[] bytes, List<Shift> shifts) {
        if (shifts.isEmpty() || shifts.stream().allMatch(s -> s.delta() == 0)) return bytes;
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, desc, sig, ex)) {
                    @Override
                    public void visitLineNumber(int line, Label start) {
                        super.visitLineNumber(map(line, shifts), start);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }

    static int map(int line, List<Shift> shifts) {
        for (Shift s : shifts) if (line >= s.from() && line <= s.to()) return line + s.delta();
        return line;
    }
}
