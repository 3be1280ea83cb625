package dev.hotrestart.agent;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a wrapped method's arguments as it was called with them. The body works on copies of
 * its parameters, made at entry in new local slots (the local variable table names the copies,
 * so a debugger shows the parameters as the body changed them), and the parameters' own slots
 * are never written. When the JVM pops the frame, the call that runs again passes those slots'
 * values (HotSpot shares them with the caller's operand stack), and a call of the method from
 * its own handler can pass them too: a restart re-calls the method with its original arguments.
 */
final class ParameterCopies {
    private final ClassNode cls;
    private final MethodNode m;
    /** The parameters' types and slots (this excluded), and the slot of each one's copy. */
    private final Type[] types;
    private final int[] slots;
    private final int[] copies;

    private ParameterCopies(ClassNode cls, MethodNode m, Type[] types, int[] slots, int[] copies) {
        this.cls = cls;
        this.m = m;
        this.types = types;
        this.slots = slots;
        this.copies = copies;
    }

    /** Moves the body of {@code m} onto copies of its parameters; {@link #copyIn} makes them. */
    static ParameterCopies make(ClassNode cls, MethodNode m) {
        Type[] types = Type.getArgumentTypes(m.desc);
        int[] slots = new int[types.length];
        int[] copies = new int[types.length];
        int slot = (m.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        int next = Math.max(m.maxLocals, (Type.getArgumentsAndReturnSizes(m.desc) >> 2) - ((m.access & Opcodes.ACC_STATIC) != 0 ? 1 : 0));
        for (int i = 0; i < types.length; i++) {
            slots[i] = slot;
            copies[i] = next;
            slot += types[i].getSize();
            next += types[i].getSize();
        }
        ParameterCopies p = new ParameterCopies(cls, m, types, slots, copies);
        p.moveBody();
        return p;
    }

    /** The copy's slot for a parameter's slot, or the slot itself. */
    private int mapped(int slot) {
        for (int i = 0; i < slots.length; i++) if (slots[i] == slot) return copies[i];
        return slot;
    }

    private void moveBody() {
        if (types.length == 0) return;
        for (AbstractInsnNode n = m.instructions.getFirst(); n != null; n = n.getNext()) {
            if (n instanceof VarInsnNode) {
                ((VarInsnNode) n).var = mapped(((VarInsnNode) n).var);
            } else if (n instanceof IincInsnNode) {
                ((IincInsnNode) n).var = mapped(((IincInsnNode) n).var);
            } else if (n instanceof FrameNode) {
                moveFrame((FrameNode) n);
            }
        }
        if (m.localVariables != null) {
            for (LocalVariableNode v : m.localVariables) v.index = mapped(v.index);
        }
    }

    /** The second slot of a long or double in a frame's locals by slot (frames list the pair once). */
    private static final Object SECOND_HALF = new Object();

    /**
     * A stack map frame of the body (expanded: every frame lists its locals in full): what the
     * parameter slots held is now in the copies; the parameter slots keep the declared types.
     */
    private void moveFrame(FrameNode f) {
        List<Object> bySlot = new ArrayList<Object>();
        for (Object o : f.local) {
            bySlot.add(o);
            if (o == Opcodes.LONG || o == Opcodes.DOUBLE) bySlot.add(SECOND_HALF);
        }
        int size = copies[copies.length - 1] + types[types.length - 1].getSize();
        while (bySlot.size() < size) bySlot.add(Opcodes.TOP);
        List<Object> declared = HandlerWriter.initialLocals(cls, m);
        int first = (m.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        for (int i = 0; i < types.length; i++) {
            int width = types[i].getSize();
            for (int k = 0; k < width; k++) bySlot.set(copies[i] + k, bySlot.get(slots[i] + k));
            bySlot.set(slots[i], declared.get(first + i));
            if (width == 2) bySlot.set(slots[i] + 1, SECOND_HALF);
        }
        while (!bySlot.isEmpty() && bySlot.get(bySlot.size() - 1) == Opcodes.TOP) bySlot.remove(bySlot.size() - 1);
        List<Object> local = new ArrayList<Object>();
        for (Object o : bySlot) if (o != SECOND_HALF) local.add(o);
        f.local = local;
    }

    /**
     * The code the agent puts before the body ({@code entry} to {@code bodyStart}) runs when a
     * debugger stops at the method's first line (a restart steps in there): {@code this} and the
     * parameters are visible in it too, the parameters in their own slots until the copies are made.
     */
    void coverPrologue(LabelNode entry, LabelNode bodyStart) {
        if (m.localVariables == null) return;
        List<LocalVariableNode> added = new ArrayList<LocalVariableNode>();
        for (LocalVariableNode v : m.localVariables) {
            if (v.start != bodyStart) continue;
            int original = -1;
            for (int i = 0; i < copies.length; i++) if (copies[i] == v.index) original = slots[i];
            if (original < 0) {
                v.start = entry; // this, visible from the first instruction
            } else {
                added.add(new LocalVariableNode(v.name, v.desc, v.signature, entry, bodyStart, original));
            }
        }
        m.localVariables.addAll(added);
    }

    /** At entry: each parameter into its copy. */
    InsnList copyIn() {
        InsnList out = new InsnList();
        for (int i = 0; i < types.length; i++) {
            out.add(new VarInsnNode(types[i].getOpcode(Opcodes.ILOAD), slots[i]));
            out.add(new VarInsnNode(types[i].getOpcode(Opcodes.ISTORE), copies[i]));
        }
        return out;
    }

    /**
     * Calls the method again, its newest version, with the arguments it was called with, and
     * returns what that returns. No virtual dispatch: the same method of the same class runs.
     */
    InsnList callAgain() {
        InsnList out = new InsnList();
        boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
        boolean itf = (cls.access & Opcodes.ACC_INTERFACE) != 0;
        if (!isStatic) out.add(new VarInsnNode(Opcodes.ALOAD, 0));
        for (int i = 0; i < types.length; i++) out.add(new VarInsnNode(types[i].getOpcode(Opcodes.ILOAD), slots[i]));
        out.add(new MethodInsnNode(isStatic ? Opcodes.INVOKESTATIC : Opcodes.INVOKESPECIAL, cls.name, m.name, m.desc, itf));
        out.add(new InsnNode(Type.getReturnType(m.desc).getOpcode(Opcodes.IRETURN)));
        return out;
    }
}
