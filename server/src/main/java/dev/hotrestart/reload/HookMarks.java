package dev.hotrestart.reload;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns the marker stores of compiled conditions ({@code sipush M; istore n; iinc n 1} into the
 * local {@code hotrestart$cM} or {@code hotrestart$tM}, see {@link ConditionSites}) into calls of
 * the agent's hook ({@code sipush M; invokestatic Hook.mark(int)}). The stack is the same before and
 * after, so the class's stack map frames stay valid; the program's own stores are never touched.
 */
final class HookMarks {
    static final String HOOK = "dev/hotrestart/agent/Hook";

    private HookMarks() {}

    /** The classes with each marker store made a call; a class without one is returned as it was. */
    static Map<String, byte[]> rewrite(Map<String, byte[]> classes, Set<Integer> markers) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        classes.forEach((name, bytes) -> out.put(name, rewrite(bytes, markers)));
        return out;
    }

    private static byte[] rewrite(byte[] bytes, Set<Integer> markers) {
        ClassNode cls = new ClassNode();
        new ClassReader(bytes).accept(cls, 0);
        boolean changed = false;
        for (MethodNode m : cls.methods) {
            if (m.instructions == null || m.localVariables == null) continue;
            for (AbstractInsnNode insn : m.instructions.toArray()) {
                if (!(insn instanceof IntInsnNode push) || push.getOpcode() != Opcodes.SIPUSH) continue;
                int value = push.operand;
                int base = value % 2 == 0 ? value : value - 1;
                if (!markers.contains(base)) continue;
                AbstractInsnNode next = push.getNext();
                if (!(next instanceof VarInsnNode store) || store.getOpcode() != Opcodes.ISTORE) continue;
                String local = (value == base ? "hotrestart$c" : "hotrestart$t") + base;
                boolean ours = false;
                for (LocalVariableNode v : m.localVariables) ours |= v.index == store.var && v.name.equals(local);
                if (!ours) continue;
                AbstractInsnNode use = store.getNext();
                while (use != null && use.getOpcode() < 0) use = use.getNext(); // labels and line numbers between
                if (use instanceof IincInsnNode inc && inc.var == store.var) m.instructions.remove(inc);
                m.instructions.set(store, new MethodInsnNode(Opcodes.INVOKESTATIC, HOOK, "mark", "(I)V", false));
                changed = true;
            }
        }
        if (!changed) return bytes;
        ClassWriter writer = new ClassWriter(0);
        cls.accept(writer);
        return writer.toByteArray();
    }
}
