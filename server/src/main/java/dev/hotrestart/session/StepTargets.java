package dev.hotrestart.session;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import dev.hotrestart.reload.Bytecode;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The calls a line still makes, for "step into target", in the order it makes them. Calls are read
 * from the method's code as the JVM runs it (JDI's bytecodes and constant pool), each with the
 * code index of its invoke instruction, so a step knows the call by where it is made: the second
 * of two calls to the same method, a call after the thread's position in the line. Lambdas the
 * line makes are targets too, named from the class file (the constant pool the JVM gives holds no
 * bootstrap arguments): their bodies run when the method given them calls them. The boxing calls
 * javac adds, and the calls the hotrestart agent puts in the code, are left out.
 */
final class StepTargets {
    /** A call at {@code codeIndex} of the method (-1 for a lambda, entered wherever it runs); the owner in internal form. */
    record Target(String owner, String name, String descriptor, boolean lambda, String label, long codeIndex) {
        int arity() {
            return Type.getArgumentTypes(descriptor).length;
        }
    }

    private StepTargets() {}

    private static final int INVOKEVIRTUAL = 0xb6, INVOKESPECIAL = 0xb7, INVOKESTATIC = 0xb8, INVOKEINTERFACE = 0xb9, INVOKEDYNAMIC = 0xba;

    /**
     * The calls of the method's {@code line} from code index {@code from} on. {@code classBytes}
     * (may be null): the class file, for the lambdas' names; {@code lambdaTexts}: the line's
     * lambdas' source, left to right, for their labels.
     */
    static List<Target> of(Method m, int line, long from, byte[] classBytes, List<String> lambdaTexts) {
        List<Target> out = new ArrayList<>();
        byte[] code;
        ConstantPool pool;
        List<long[]> ranges;
        try {
            code = m.bytecodes();
            pool = new ConstantPool(m.declaringType().constantPool(), m.declaringType().constantPoolCount());
            ranges = ranges(m, line, code.length);
        } catch (UnsupportedOperationException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return out; // the JVM gives no code or pool, or one this reader does not know
        }
        // the class file's call sites of the line, paired one by one with the running code's: lambdas are named from them
        List<InvokeDynamicInsnNode> sites = dynamicSites(classBytes, m.name(), m.signature(), line);
        int site = 0;
        int body = 0; // the line's lambda bodies so far, for their source text
        for (long[] r : ranges) {
            for (int i = (int) r[0]; i < r[1] && i < code.length; ) {
                int op = code[i] & 0xff;
                if (op == INVOKEDYNAMIC) {
                    String[] ref = pool.invokeDynamic(u2(code, i + 1));
                    InvokeDynamicInsnNode indy = site < sites.size() ? sites.get(site) : null;
                    site++;
                    boolean same = ref != null && indy != null && indy.name.equals(ref[0]) && indy.desc.equals(ref[1]);
                    if (same && indy.bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory")
                            && indy.bsmArgs.length > 1 && indy.bsmArgs[1] instanceof Handle h) {
                        boolean isBody = h.getName().startsWith("lambda$");
                        if (i >= from) {
                            String text = isBody && body < lambdaTexts.size() ? lambdaTexts.get(body) : null;
                            String label = text != null ? "λ " + shorten(text) : isBody ? "λ (a lambda of this line)" : "::" + h.getName();
                            out.add(new Target(h.getOwner(), h.getName(), h.getDesc(), true, label, -1));
                        }
                        if (isBody) body++;
                    }
                } else if (op == INVOKEVIRTUAL || op == INVOKESPECIAL || op == INVOKESTATIC || op == INVOKEINTERFACE) {
                    String[] ref = pool.member(u2(code, i + 1));
                    if (ref != null && i >= from && !ref[1].startsWith("access$") && !isBoxing(ref[0], ref[1], ref[2])
                            && !ref[0].startsWith("dev/hotrestart/agent/")) { // the agent's calls: a wrapped method's, a compiled condition's
                        out.add(new Target(ref[0], ref[1], ref[2], false, label(ref[0], ref[1], ref[2]), i));
                    }
                }
                int n = Bytecode.length(code, i);
                if (n <= 0) return out;
                i += n;
            }
        }
        return out;
    }

    /** The code index ranges of the line in the method, in code order. */
    private static List<long[]> ranges(Method m, int line, int codeLength) {
        List<long[]> out = new ArrayList<>();
        List<Location> all;
        try {
            all = m.allLineLocations();
        } catch (AbsentInformationException e) {
            return out;
        }
        all = new ArrayList<>(all);
        all.sort(java.util.Comparator.comparingLong(Location::codeIndex)); // JDI keeps the line table's order
        for (int k = 0; k < all.size(); k++) {
            if (all.get(k).lineNumber() != line) continue;
            long end = k + 1 < all.size() ? all.get(k + 1).codeIndex() : codeLength;
            out.add(new long[]{all.get(k).codeIndex(), end});
        }
        return out;
    }

    /** The invokedynamic call sites of the line in the class file, in code order (empty when it cannot be read). */
    private static List<InvokeDynamicInsnNode> dynamicSites(byte[] classBytes, String name, String descriptor, int line) {
        List<InvokeDynamicInsnNode> out = new ArrayList<>();
        if (classBytes == null) return out;
        try {
            ClassNode cn = new ClassNode();
            new ClassReader(classBytes).accept(cn, ClassReader.SKIP_FRAMES);
            for (MethodNode mn : cn.methods) {
                if (!mn.name.equals(name) || !mn.desc.equals(descriptor)) continue;
                int current = -1;
                for (AbstractInsnNode insn = mn.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                    if (insn instanceof LineNumberNode ln) current = ln.line;
                    if (current == line && insn instanceof InvokeDynamicInsnNode indy) out.add(indy);
                }
            }
        } catch (RuntimeException e) {
            return List.of(); // no names for the lambdas
        }
        return out;
    }

    /** {@code Integer.valueOf(int)} and {@code intValue()} that javac adds for autoboxing: no one steps into those on purpose. */
    private static boolean isBoxing(String owner, String name, String descriptor) {
        if (!owner.startsWith("java/lang/")) return false;
        boolean box = switch (owner.substring("java/lang/".length())) {
            case "Integer", "Long", "Short", "Byte", "Character", "Boolean", "Float", "Double" -> true;
            default -> false;
        };
        if (!box) return false;
        Type[] args = Type.getArgumentTypes(descriptor);
        Type result = Type.getReturnType(descriptor);
        // Integer.valueOf(int) boxes, intValue() unboxes; valueOf(String) and doubleValue() are the user's own calls
        boolean boxes = name.equals("valueOf") && args.length == 1 && args[0].getSort() < Type.ARRAY
                && result.getInternalName().equals(owner);
        boolean unboxes = name.equals(Type.getType(primitiveOf(owner)).getClassName() + "Value") && args.length == 0;
        return boxes || unboxes;
    }

    private static String primitiveOf(String boxOwner) {
        return switch (boxOwner) {
            case "java/lang/Integer" -> "I";
            case "java/lang/Long" -> "J";
            case "java/lang/Short" -> "S";
            case "java/lang/Byte" -> "B";
            case "java/lang/Character" -> "C";
            case "java/lang/Boolean" -> "Z";
            case "java/lang/Float" -> "F";
            default -> "D";
        };
    }

    static String label(String owner, String name, String descriptor) {
        String simple = owner.substring(owner.lastIndexOf('/') + 1).replace('$', '.');
        StringBuilder b = new StringBuilder(name.equals("<init>") ? "new " + simple : simple + "." + name);
        b.append('(');
        Type[] args = Type.getArgumentTypes(descriptor);
        for (int i = 0; i < args.length; i++) {
            if (i > 0) b.append(", ");
            String c = args[i].getClassName();
            b.append(c.substring(c.lastIndexOf('.') + 1).replace('$', '.'));
        }
        return b.append(')').toString();
    }

    private static String shorten(String text) {
        String one = text.replaceAll("\\s+", " ").strip();
        return one.length() <= 40 ? one : one.substring(0, 39) + "…";
    }

    private static int u2(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }

    /** A class's constant pool as JDI gives it (the class file's entries, without the count). */
    static final class ConstantPool {
        private final byte[] bytes;
        private final int[] at;
        private final int[] tags;

        ConstantPool(byte[] bytes, int count) {
            this.bytes = bytes;
            this.at = new int[count];
            this.tags = new int[count];
            int p = 0;
            for (int i = 1; i < count; i++) {
                int tag = bytes[p] & 0xff;
                tags[i] = tag;
                at[i] = p + 1;
                p += 1 + switch (tag) {
                    case 1 -> 2 + u2(bytes, p + 1);        // Utf8
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> 4; // Integer Float refs NameAndType Dynamic InvokeDynamic
                    case 5, 6 -> 8;                        // Long Double
                    case 7, 8, 16, 19, 20 -> 2;            // Class String MethodType Module Package
                    case 15 -> 3;                          // MethodHandle
                    default -> throw new IllegalArgumentException("constant pool tag " + tag);
                };
                if (tag == 5 || tag == 6) i++; // takes two entries
            }
        }

        private String utf8(int i) {
            try { // the class file's modified UTF-8, length first: what DataInput reads
                return new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes, at[i], bytes.length - at[i])).readUTF();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("constant pool entry " + i, e);
            }
        }

        /** A method reference: owner (internal name), name, descriptor; null when it is none. */
        String[] member(int i) {
            if (i <= 0 || i >= tags.length || (tags[i] != 10 && tags[i] != 11)) return null;
            int cls = u2(bytes, at[i]), nat = u2(bytes, at[i] + 2);
            return new String[]{utf8(u2(bytes, at[cls])), utf8(u2(bytes, at[nat])), utf8(u2(bytes, at[nat] + 2))};
        }

        /** An invokedynamic's name and descriptor; null when the entry is none. */
        String[] invokeDynamic(int i) {
            if (i <= 0 || i >= tags.length || tags[i] != 18) return null;
            int nat = u2(bytes, at[i] + 2);
            return new String[]{utf8(u2(bytes, at[nat])), utf8(u2(bytes, at[nat] + 2))};
        }
    }
}
