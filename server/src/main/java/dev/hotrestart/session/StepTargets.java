package dev.hotrestart.session;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The calls a line makes, for "step into target": read from the method's bytecode, in the order
 * the line runs them. A call to a method ({@code Basic.add(int, int)}, a constructor
 * {@code new Basic()}) is a target, and so is a lambda the line makes, whose body runs when the
 * method it is given calls it ({@code xs.map(x -> x * 10)}). String concatenation and the
 * compiler's own helpers are not.
 */
final class StepTargets {
    /**
     * A call: the method as the class file names it (owner in internal form), what the user reads,
     * and how many calls of the same name and parameter count come before it on the line.
     */
    record Target(String owner, String name, String descriptor, boolean lambda, String label, int occurrence) {
        int arity() {
            return Type.getArgumentTypes(descriptor).length;
        }
    }

    private StepTargets() {}

    /** The calls of {@code line} in the method {@code name}{@code descriptor} of the class; {@code lambdaTexts}: the line's lambdas' source, left to right. */
    static List<Target> of(byte[] classBytes, String name, String descriptor, int line, List<String> lambdaTexts) {
        List<Target> out = new ArrayList<>();
        if (classBytes == null) return out;
        ClassNode cn = new ClassNode();
        new ClassReader(classBytes).accept(cn, ClassReader.SKIP_FRAMES);
        MethodNode m = null;
        for (MethodNode mn : cn.methods) if (mn.name.equals(name) && mn.desc.equals(descriptor)) m = mn;
        if (m == null) return out;
        int current = -1;
        int lambdas = 0;
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof LineNumberNode ln) current = ln.line;
            if (current != line) continue;
            if (insn instanceof MethodInsnNode call && !call.name.startsWith("access$") && !isBoxing(call)) {
                out.add(new Target(call.owner, call.name, call.desc, false, label(call.owner, call.name, call.desc), before(out, call.name, call.desc)));
            } else if (insn instanceof InvokeDynamicInsnNode indy && indy.bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory")
                    && indy.bsmArgs.length > 1 && indy.bsmArgs[1] instanceof Handle impl) {
                boolean body = impl.getName().startsWith("lambda$");
                String text = body && lambdas < lambdaTexts.size() ? lambdaTexts.get(lambdas) : null;
                if (body) lambdas++;
                String label = text != null ? "λ " + shorten(text) : body ? "λ (a lambda of this line)" : "::" + impl.getName();
                out.add(new Target(impl.getOwner(), impl.getName(), impl.getDesc(), true, label, 0));
            }
        }
        return out;
    }

    private static int before(List<Target> found, String name, String descriptor) {
        int arity = Type.getArgumentTypes(descriptor).length;
        int n = 0;
        for (Target t : found) if (!t.lambda() && t.name().equals(name) && t.arity() == arity) n++;
        return n;
    }

    /** {@code Integer.valueOf(int)} and {@code intValue()} that javac adds for autoboxing: no one steps into those on purpose. */
    private static boolean isBoxing(MethodInsnNode call) {
        if (!call.owner.startsWith("java/lang/")) return false;
        String simple = call.owner.substring("java/lang/".length());
        boolean box = switch (simple) {
            case "Integer", "Long", "Short", "Byte", "Character", "Boolean", "Float", "Double" -> true;
            default -> false;
        };
        return box && (call.name.equals("valueOf") || call.name.endsWith("Value"));
    }

    static String label(String owner, String name, String descriptor) {
        String simple = owner.substring(owner.lastIndexOf('/') + 1);
        StringBuilder b = new StringBuilder(name.equals("<init>") ? "new " + simple.replace('$', '.') : simple.replace('$', '.') + "." + name);
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
}
