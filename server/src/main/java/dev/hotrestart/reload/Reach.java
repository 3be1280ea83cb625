package dev.hotrestart.reload;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Code a reload places where the JVM's access rules would stop it: a class defined outside the
 * nest it was compiled into (its uses of the nest's private members), and a companion, which is
 * a nestmate of its class but not a subclass of that class's superclass (its uses of protected
 * members inherited from another package). Each such use becomes an {@code invokedynamic} that
 * the agent's {@code Links.access} links through a full-privilege lookup on the member's class.
 */
final class Reach {
    static final Handle ACCESS = new Handle(Opcodes.H_INVOKESTATIC, AddedMembers.LINKS, "access",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/String;Ljava/lang/String;I)"
                    + "Ljava/lang/invoke/CallSite;", false);
    /** Kinds of access, as Links.access takes them. */
    static final int GETSTATIC = 0, PUTSTATIC = 1, GETFIELD = 2, PUTFIELD = 3, STATIC_CALL = 4, PRIVATE_CALL = 5, VIRTUAL_CALL = 6;

    private Reach() {}

    /**
     * A class the edit adds to a loaded class's nest, which cannot take it: it is defined outside
     * the nest, its private members package-private (an interface's, public), so that the nest's
     * classes reach them; its own uses of their private members go through {@link #privates}.
     */
    static void leaveNest(ClassNode n) {
        n.nestHostClass = null;
        boolean itf = (n.access & Opcodes.ACC_INTERFACE) != 0;
        for (FieldNode f : n.fields) f.access &= ~Opcodes.ACC_PRIVATE;
        for (MethodNode m : n.methods) {
            if ((m.access & Opcodes.ACC_PRIVATE) == 0) continue;
            m.access &= ~Opcodes.ACC_PRIVATE;
            if (itf) m.access |= Opcodes.ACC_PUBLIC;
        }
    }

    /** In code outside its nest, each use of another class's private member goes through the agent; true when one did. */
    static boolean privates(String self, MethodNode m, ClassMembers members) {
        boolean changed = false;
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; ) {
            AbstractInsnNode next = i.getNext();
            AbstractInsnNode through = null;
            if (i instanceof FieldInsnNode fi && !fi.owner.equals(self)) {
                ClassMembers.Resolved r = members.field(fi.owner, fi.name, fi.desc);
                if (r != null && r.isPrivate()) through = field(fi);
            } else if (i instanceof MethodInsnNode mi && !mi.owner.equals(self) && !mi.name.equals("<init>")) {
                ClassMembers.Resolved r = members.method(mi.owner, mi.name, mi.desc);
                if (r != null && r.isPrivate()) through = call(mi, mi.getOpcode() == Opcodes.INVOKESTATIC ? STATIC_CALL : PRIVATE_CALL);
            }
            if (through != null) {
                m.instructions.set(i, through);
                changed = true;
            }
            i = next;
        }
        return changed;
    }

    /**
     * In a companion method of {@code host}, each use of a protected member that {@code host}
     * inherits from another package goes through the agent (the companion is not a subclass).
     */
    static void protectedOnes(String host, MethodNode m, ClassMembers members) {
        String pkg = ClassMembers.packageOf(host);
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; ) {
            AbstractInsnNode next = i.getNext();
            AbstractInsnNode through = null;
            if (i instanceof FieldInsnNode fi) {
                ClassMembers.Resolved r = members.field(fi.owner, fi.name, fi.desc);
                if (r != null && r.isProtected() && !ClassMembers.packageOf(r.owner()).equals(pkg)) through = field(fi);
            } else if (i instanceof MethodInsnNode mi && !mi.name.equals("<init>")) {
                ClassMembers.Resolved r = members.method(mi.owner, mi.name, mi.desc);
                if (r != null && r.isProtected() && !ClassMembers.packageOf(r.owner()).equals(pkg)) {
                    through = call(mi, mi.getOpcode() == Opcodes.INVOKESTATIC ? STATIC_CALL : VIRTUAL_CALL);
                }
            }
            if (through != null) m.instructions.set(i, through);
            i = next;
        }
    }

    private static InvokeDynamicInsnNode field(FieldInsnNode fi) {
        int op = switch (fi.getOpcode()) {
            case Opcodes.GETSTATIC -> GETSTATIC;
            case Opcodes.PUTSTATIC -> PUTSTATIC;
            case Opcodes.GETFIELD -> GETFIELD;
            default -> PUTFIELD;
        };
        return new InvokeDynamicInsnNode(fi.name, AddedMembers.fieldDesc(op, fi.owner, fi.desc), ACCESS, fi.owner, fi.desc, op);
    }

    private static InvokeDynamicInsnNode call(MethodInsnNode mi, int op) {
        String desc = op == STATIC_CALL ? mi.desc : AddedMembers.receiverFirst(mi.owner, mi.desc);
        return new InvokeDynamicInsnNode(mi.name, desc, ACCESS, mi.owner, mi.desc, op);
    }
}
