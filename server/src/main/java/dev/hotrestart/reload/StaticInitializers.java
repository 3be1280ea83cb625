package dev.hotrestart.reload;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The initial value of a static field a reload adds: the class is initialized already, so the
 * field's initializer is taken out of the new static initializer into a companion method that
 * returns it (boxed), which the agent calls when the field is first used.
 */
final class StaticInitializers {
    /** Prefix of the companion method that returns a static field's initial value (the agent's Links.INIT). */
    static final String INIT = "hotrestart$init$";

    private StaticInitializers() {}

    /**
     * The method returning the field's initial value: its constant, or the instructions of
     * {@code clinit} that compute it (from after the store to the class's previous static field).
     * Null when the field has no initializer (its value is the type's default). When the
     * initializer cannot run alone (it branches, or reads a local an earlier initializer set),
     * the problem goes to {@code problems} and the result is null.
     */
    static MethodNode of(String owner, FieldNode f, MethodNode clinit, List<String> problems) {
        MethodNode m = new MethodNode(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, INIT + f.name,
                "()Ljava/lang/Object;", null, null);
        Type type = Type.getType(f.desc);
        if (f.value != null) {
            m.instructions.add(new LdcInsnNode(f.value));
            box(m.instructions, type);
            m.instructions.add(new InsnNode(Opcodes.ARETURN));
            m.maxStack = 2;
            return m;
        }
        if (clinit == null) return null;
        AbstractInsnNode store = null, start = null;
        for (AbstractInsnNode i : clinit.instructions) {
            if (i instanceof FieldInsnNode fi && fi.getOpcode() == Opcodes.PUTSTATIC && fi.owner.equals(owner)) {
                if (fi.name.equals(f.name) && fi.desc.equals(f.desc)) {
                    store = i;
                    break;
                }
                start = i;
            }
        }
        if (store == null) return null;
        AbstractInsnNode first = start == null ? clinit.instructions.getFirst() : start.getNext();
        Map<LabelNode, LabelNode> labels = new HashMap<>();
        for (AbstractInsnNode i = first; i != store; i = i.getNext()) if (i instanceof LabelNode l) labels.put(l, new LabelNode());
        Set<Integer> stored = new HashSet<>();
        int line = 0;
        for (AbstractInsnNode i = first; i != store; i = i.getNext()) {
            if (i instanceof LineNumberNode ln && line == 0) line = ln.line;
            boolean branches = i instanceof JumpInsnNode || i instanceof TableSwitchInsnNode || i instanceof LookupSwitchInsnNode
                    || i instanceof FrameNode;
            boolean readsOther = i instanceof VarInsnNode v && v.getOpcode() >= Opcodes.ILOAD && v.getOpcode() <= Opcodes.ALOAD
                    && !stored.contains(v.var) || i instanceof IincInsnNode inc && !stored.contains(inc.var);
            if (branches || readsOther) {
                problems.add("the initializer of the added static field " + owner.replace('/', '.').replace('$', '.') + "." + f.name
                        + (line > 0 ? " (line " + line + ")" : "") + " cannot run on its own (it " + (branches ? "branches" : "uses a local "
                        + "variable an earlier initializer set") + "): give it a simple initializer, or set it in a method");
                return null;
            }
            if (i instanceof VarInsnNode v && v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE) stored.add(v.var);
            m.instructions.add(i.clone(labels));
        }
        for (TryCatchBlockNode tc : clinit.tryCatchBlocks) {
            if (labels.containsKey(tc.start) || labels.containsKey(tc.handler)) {
                problems.add("the initializer of the added static field " + f.name + " cannot run on its own (it catches exceptions): "
                        + "set it in a method");
                return null;
            }
        }
        box(m.instructions, type);
        m.instructions.add(new InsnNode(Opcodes.ARETURN));
        m.maxStack = clinit.maxStack + 1;
        m.maxLocals = clinit.maxLocals;
        return m;
    }

    private static void box(InsnList code, Type type) {
        if (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY) return;
        String box = switch (type.getSort()) {
            case Type.BOOLEAN -> "java/lang/Boolean";
            case Type.BYTE -> "java/lang/Byte";
            case Type.CHAR -> "java/lang/Character";
            case Type.SHORT -> "java/lang/Short";
            case Type.INT -> "java/lang/Integer";
            case Type.LONG -> "java/lang/Long";
            case Type.FLOAT -> "java/lang/Float";
            default -> "java/lang/Double";
        };
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, box, "valueOf", "(" + type.getDescriptor() + ")L" + box + ";", false));
    }
}
