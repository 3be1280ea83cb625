package dev.hotrestart.reload;

import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.InterfaceType;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds, before anything is redefined, the changes a standard JVM refuses to hot-swap:
 * methods, lambdas, fields or nested classes added or removed, modifiers or the hierarchy
 * changed. Each is named in the user's terms, with the line where it is.
 */
final class StructureCheck {
    private static final int METHOD_MODS = Opcodes.ACC_PUBLIC | Opcodes.ACC_PRIVATE | Opcodes.ACC_PROTECTED | Opcodes.ACC_STATIC
            | Opcodes.ACC_FINAL | Opcodes.ACC_SYNCHRONIZED | Opcodes.ACC_NATIVE | Opcodes.ACC_ABSTRACT;
    private static final int FIELD_MODS = Opcodes.ACC_PUBLIC | Opcodes.ACC_PRIVATE | Opcodes.ACC_PROTECTED | Opcodes.ACC_STATIC
            | Opcodes.ACC_FINAL | Opcodes.ACC_VOLATILE | Opcodes.ACC_TRANSIENT;

    /** What a class file declares. */
    static final class Shape {
        String superName;
        final Set<String> interfaces = new TreeSet<>();
        final Map<String, Integer> methods = new HashMap<>();
        final Map<String, Integer> methodLines = new HashMap<>();
        final Map<String, Integer> fields = new HashMap<>();
        final Set<String> nestMembers = new TreeSet<>();
    }

    private StructureCheck() {}

    /** What the class declares, and the first line of each method's code when {@code lines} (a read of every method's code). */
    static Shape read(byte[] bytes) {
        return read(bytes, false);
    }

    static Shape read(byte[] bytes, boolean lines) {
        Shape s = new Shape();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int v, int access, String name, String sig, String superName, String[] interfaces) {
                s.superName = superName == null ? null : superName.replace('/', '.');
                if (interfaces != null) for (String i : interfaces) s.interfaces.add(i.replace('/', '.'));
            }

            @Override
            public void visitNestMember(String nestMember) {
                s.nestMembers.add(nestMember.replace('/', '.'));
            }

            @Override
            public FieldVisitor visitField(int access, String name, String desc, String sig, Object value) {
                s.fields.put(name + ":" + desc, access & FIELD_MODS);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                String key = name + desc;
                s.methods.put(key, access & METHOD_MODS);
                if (!lines) return null; // the code of a thousand methods is not read for nothing
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitLineNumber(int line, Label start) {
                        s.methodLines.merge(key, line, Math::min);
                    }
                };
            }
        }, lines ? ClassReader.SKIP_FRAMES : ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
        return s;
    }

    /**
     * Problems redefining {@code loaded} with {@code bytes}, in words; empty when the swap can go
     * ahead. {@code oldBytes} (may be null) gives the old nest members. {@code membersMove}: added
     * and removed methods and fields are no problem here ({@link AddedMembers} fits them).
     */
    static List<String> problems(ReferenceType loaded, byte[] bytes, byte[] oldBytes, boolean membersMove) {
        Shape neu = read(bytes);
        String cls = loaded.name().replace('$', '.');
        List<String> out = new ArrayList<>();
        if (loaded instanceof ClassType ct) {
            String oldSuper = ct.superclass() == null ? null : ct.superclass().name();
            if (oldSuper != null && !oldSuper.equals(neu.superName)) {
                out.add(cls + " now extends " + neu.superName + " instead of " + oldSuper + " (a hierarchy change)");
            }
            Set<String> oldIfs = new TreeSet<>();
            for (InterfaceType i : ct.interfaces()) oldIfs.add(i.name());
            if (!oldIfs.equals(neu.interfaces)) {
                out.add(cls + " now implements " + neu.interfaces + " instead of " + oldIfs + " (a hierarchy change)");
            }
        }
        Map<String, Integer> oldMethods = new HashMap<>();
        for (Method m : loaded.methods()) oldMethods.put(m.name() + m.signature(), m.modifiers() & METHOD_MODS);
        Set<String> added = new LinkedHashSet<>(neu.methods.keySet());
        added.removeAll(oldMethods.keySet());
        Set<String> removed = new LinkedHashSet<>(oldMethods.keySet());
        removed.removeAll(neu.methods.keySet());
        if (membersMove) {
            added.clear();
            removed.clear();
        }
        Shape withLines = added.isEmpty() ? neu : read(bytes, true);
        for (String m : added) {
            Integer line = withLines.methodLines.get(m);
            out.add(describeMethod(cls, m, true) + (line == null ? "" : " at line " + line));
        }
        for (String m : removed) out.add(describeMethod(cls, m, false));
        for (Map.Entry<String, Integer> e : neu.methods.entrySet()) {
            Integer old = oldMethods.get(e.getKey());
            if (old != null && !old.equals(e.getValue())) {
                out.add("the modifiers of " + cls + "." + readable(e.getKey()) + " changed");
            }
        }
        Map<String, Integer> oldFields = new HashMap<>();
        for (Field f : loaded.fields()) oldFields.put(f.name() + ":" + f.signature(), f.modifiers() & FIELD_MODS);
        for (String f : neu.fields.keySet()) {
            if (membersMove) break;
            if (!oldFields.containsKey(f)) out.add("a field '" + f.substring(0, f.indexOf(':')) + "' was added to " + cls);
        }
        for (String f : oldFields.keySet()) {
            if (membersMove) break;
            if (!neu.fields.containsKey(f)) out.add("the field '" + f.substring(0, f.indexOf(':')) + "' was removed from " + cls);
        }
        for (Map.Entry<String, Integer> e : neu.fields.entrySet()) {
            Integer old = oldFields.get(e.getKey());
            if (old != null && !old.equals(e.getValue())) {
                out.add("the modifiers of the field '" + e.getKey().substring(0, e.getKey().indexOf(':')) + "' changed");
            }
        }
        if (oldBytes != null) {
            Shape old = read(oldBytes);
            Set<String> newNested = new TreeSet<>(neu.nestMembers);
            newNested.removeAll(old.nestMembers);
            Set<String> goneNested = new TreeSet<>(old.nestMembers);
            goneNested.removeAll(neu.nestMembers);
            if (membersMove) {
                newNested.clear(); // defined beside the loaded class (see AddedMembers)
                goneNested.clear(); // the loaded class keeps naming them; nothing runs them
            }
            for (String n : newNested) out.add("a new " + nestedKind(n) + " " + n.replace('$', '.') + " was added");
            for (String n : goneNested) out.add("the " + nestedKind(n) + " " + n.replace('$', '.') + " was removed");
        }
        return out;
    }

    private static String nestedKind(String name) {
        String last = name.substring(name.lastIndexOf('$') + 1);
        return !last.isEmpty() && Character.isDigit(last.charAt(0)) ? "anonymous or local class" : "nested class";
    }

    private static String describeMethod(String cls, String key, boolean added) {
        String name = key.substring(0, key.indexOf('('));
        if (name.startsWith("lambda$")) {
            String[] parts = name.split("\\$");
            String in = parts.length > 1 ? parts[1] : "?";
            return (added ? "a lambda was added in " : "a lambda was removed from ") + cls + "." + in + "(…)";
        }
        return (added ? "a method was added: " : "a method was removed: ") + cls + "." + readable(key);
    }

    /** handle(Ljava/lang/String;I)V → handle(String, int) */
    static String readable(String key) {
        String name = key.substring(0, key.indexOf('('));
        org.objectweb.asm.Type[] args = org.objectweb.asm.Type.getArgumentTypes(key.substring(key.indexOf('(')));
        StringBuilder b = new StringBuilder(name).append('(');
        for (int i = 0; i < args.length; i++) {
            if (i > 0) b.append(", ");
            String c = args[i].getClassName();
            b.append(c.substring(Math.max(c.lastIndexOf('.'), c.lastIndexOf('$')) + 1));
        }
        return b.append(')').toString();
    }
}
