package dev.hotrestart.reload;

import org.objectweb.asm.Handle;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps each lambda body under the name the loaded class gives it. javac names lambda bodies
 * {@code lambda$method$N}, N counting through the class: a lambda added before others takes a
 * loaded one's name, and redefining that method would make the lambdas already made (a stored
 * comparator, a registered listener) run the new body. So a body the loaded class has keeps its
 * loaded name, wherever javac numbered it now, and a new body that took a loaded name is renamed
 * to one of its own (and is then an added method, see {@link AddedMembers}).
 */
final class LambdaNames {
    private LambdaNames() {}

    /**
     * The class with only its lambda bodies read ({@code members}, when not null, gets every method's
     * and field's name and descriptor): a class of a thousand methods is read in a fraction of the time.
     */
    static ClassNode lambdasOf(byte[] bytes, Set<String> members) {
        return lambdasOf(bytes, members, null);
    }

    /** As {@link #lambdasOf(byte[], Set)}, with the methods named {@code also} read too. */
    static ClassNode lambdasOf(byte[] bytes, Set<String> members, String also) {
        ClassNode n = new ClassNode();
        new org.objectweb.asm.ClassReader(bytes).accept(new org.objectweb.asm.ClassVisitor(org.objectweb.asm.Opcodes.ASM9, n) {
            @Override
            public org.objectweb.asm.MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                if (members != null) members.add(name + desc);
                return name.startsWith("lambda$") || name.equals(also) ? super.visitMethod(access, name, desc, sig, ex) : null;
            }

            @Override
            public org.objectweb.asm.FieldVisitor visitField(int access, String name, String desc, String sig, Object value) {
                if (members != null) members.add(name + ":" + desc);
                return null;
            }
        }, org.objectweb.asm.ClassReader.SKIP_FRAMES);
        return n;
    }

    /** Renames lambda bodies in {@code n} to match {@code old} (the class file the loaded class was compiled from, javac's own). */
    static void match(ClassNode n, ClassNode old) {
        if (old == null) return;
        Map<String, String> oldBodies = new HashMap<>(); // name+desc → body
        for (MethodNode m : old.methods) if (m.name.startsWith("lambda$")) oldBodies.put(m.name + m.desc, body(m));
        if (oldBodies.isEmpty()) return;
        List<MethodNode> lambdas = new ArrayList<>();
        for (MethodNode m : n.methods) if (m.name.startsWith("lambda$")) lambdas.add(m);
        Map<MethodNode, String> bodies = new IdentityHashMap<>();
        for (MethodNode m : lambdas) bodies.put(m, body(m));
        Set<String> taken = new HashSet<>(); // loaded names a new body now has
        Set<MethodNode> kept = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Map<MethodNode, String> renamed = new IdentityHashMap<>();
        for (MethodNode m : lambdas) {
            String key = m.name + m.desc;
            if (bodies.get(m).equals(oldBodies.get(key))) { // the same body under the same name
                taken.add(key);
                kept.add(m);
            }
        }
        for (MethodNode m : lambdas) {
            if (kept.contains(m)) continue;
            for (Map.Entry<String, String> o : oldBodies.entrySet()) {
                if (taken.contains(o.getKey()) || !o.getKey().endsWith(m.desc) || !o.getValue().equals(bodies.get(m))) continue;
                String name = o.getKey().substring(0, o.getKey().length() - m.desc.length());
                renamed.put(m, name); // a loaded body javac numbered anew
                taken.add(o.getKey());
                break;
            }
        }
        Set<String> names = new HashSet<>();
        for (MethodNode m : n.methods) names.add(m.name);
        int fresh = 0;
        for (MethodNode m : lambdas) {
            if (renamed.containsKey(m) || kept.contains(m)) continue;
            String key = m.name + m.desc;
            // a loaded name that another body kept or took: this body is new, and gets a name of its own
            boolean lostItsName = oldBodies.containsKey(key) && (taken.contains(key) || renamedTo(renamed, m.name));
            if (!lostItsName) continue;
            String name;
            do name = m.name + "$hr" + (++fresh); while (names.contains(name));
            names.add(name);
            renamed.put(m, name);
        }
        if (renamed.isEmpty()) return;
        Map<String, String> byOldKey = new HashMap<>();
        renamed.forEach((m, name) -> byOldKey.put(m.name + m.desc, name));
        for (MethodNode m : n.methods) {
            for (AbstractInsnNode i : m.instructions) {
                if (!(i instanceof InvokeDynamicInsnNode indy)) continue;
                for (int a = 0; a < indy.bsmArgs.length; a++) {
                    if (indy.bsmArgs[a] instanceof Handle h && h.getOwner().equals(n.name) && byOldKey.containsKey(h.getName() + h.getDesc())) {
                        indy.bsmArgs[a] = new Handle(h.getTag(), h.getOwner(), byOldKey.get(h.getName() + h.getDesc()), h.getDesc(), h.isInterface());
                    }
                }
            }
        }
        renamed.forEach((m, name) -> m.name = name);
    }

    private static boolean renamedTo(Map<MethodNode, String> renamed, String name) {
        return renamed.containsValue(name);
    }

    /** A method's code as text, without line numbers and frames, labels by their order: equal for the same source. */
    static String body(MethodNode m) {
        Map<LabelNode, Integer> labels = new HashMap<>();
        for (AbstractInsnNode i : m.instructions) if (i instanceof LabelNode l) labels.put(l, labels.size());
        StringBuilder b = new StringBuilder();
        for (AbstractInsnNode i : m.instructions) {
            if (i instanceof LineNumberNode || i instanceof FrameNode) continue;
            if (i instanceof LabelNode l) {
                b.append('L').append(labels.get(l)).append(';');
                continue;
            }
            b.append(i.getOpcode()).append(' ');
            if (i instanceof VarInsnNode v) b.append(v.var);
            else if (i instanceof IntInsnNode v) b.append(v.operand);
            else if (i instanceof LdcInsnNode v) b.append(v.cst.getClass().getSimpleName()).append(':').append(v.cst);
            else if (i instanceof TypeInsnNode v) b.append(v.desc);
            else if (i instanceof FieldInsnNode v) b.append(v.owner).append('.').append(v.name).append(v.desc);
            else if (i instanceof MethodInsnNode v) b.append(v.owner).append('.').append(v.name).append(v.desc);
            else if (i instanceof JumpInsnNode v) b.append('L').append(labels.get(v.label));
            else if (i instanceof IincInsnNode v) b.append(v.var).append(',').append(v.incr);
            else if (i instanceof MultiANewArrayInsnNode v) b.append(v.desc).append(',').append(v.dims);
            else if (i instanceof InvokeDynamicInsnNode v) {
                b.append(v.name).append(v.desc).append(v.bsm);
                for (Object a : v.bsmArgs) b.append(',').append(a);
            } else if (i instanceof TableSwitchInsnNode v) {
                b.append(v.min).append('-').append(v.max).append(" L").append(labels.get(v.dflt));
                for (LabelNode l : v.labels) b.append(" L").append(labels.get(l));
            } else if (i instanceof LookupSwitchInsnNode v) {
                b.append(v.keys).append(" L").append(labels.get(v.dflt));
                for (LabelNode l : v.labels) b.append(" L").append(labels.get(l));
            }
            b.append(';');
        }
        return b.toString();
    }
}
