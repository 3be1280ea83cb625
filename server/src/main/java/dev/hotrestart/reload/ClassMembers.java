package dev.hotrestart.reload;

import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.TypeComponent;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.Map;
import java.util.function.Function;

/**
 * What a reload knows of classes while it fits an edit: the classes it compiled (their new
 * declarations win) and, for the rest, the loaded ones. Names are internal ({@code a/b/C}).
 */
final class ClassMembers {
    /** A member as resolved from a use: the class that declares it, and its access flags. */
    record Resolved(String owner, int access) {
        boolean isPrivate() {
            return (access & Opcodes.ACC_PRIVATE) != 0;
        }

        boolean isProtected() {
            return (access & Opcodes.ACC_PROTECTED) != 0;
        }
    }

    private final Map<String, ClassNode> compiled;
    private final Function<String, ReferenceType> loaded;

    ClassMembers(Map<String, ClassNode> compiled, Function<String, ReferenceType> loaded) {
        this.compiled = compiled;
        this.loaded = loaded;
    }

    /** The superclass of a class, or null (unknown, or Object). */
    String superOf(String name) {
        ClassNode n = compiled.get(name);
        if (n != null) return n.superName;
        ReferenceType t = loaded.apply(name.replace('/', '.'));
        if (t instanceof ClassType ct && ct.superclass() != null) return ct.superclass().name().replace('.', '/');
        return null;
    }

    /** The field a use names, found as the JVM resolves it (the class, then its superclasses); null when unknown. */
    Resolved field(String owner, String name, String desc) {
        for (String c = owner; c != null; c = superOf(c)) {
            ClassNode n = compiled.get(c);
            if (n != null) {
                for (FieldNode f : n.fields) if (f.name.equals(name) && f.desc.equals(desc)) return new Resolved(c, f.access);
                continue;
            }
            ReferenceType t = loaded.apply(c.replace('/', '.'));
            if (t == null) return null;
            Field f = t.fieldByName(name);
            return f == null ? null : resolved(f);
        }
        return null;
    }

    /** The method a use names, found as the JVM resolves it; null when unknown. */
    Resolved method(String owner, String name, String desc) {
        for (String c = owner; c != null; c = superOf(c)) {
            ClassNode n = compiled.get(c);
            if (n != null) {
                for (MethodNode m : n.methods) if (m.name.equals(name) && m.desc.equals(desc)) return new Resolved(c, m.access);
                continue;
            }
            ReferenceType t = loaded.apply(c.replace('/', '.'));
            if (t == null) return null;
            for (Method m : t.methodsByName(name, desc)) return resolved(m);
            return null;
        }
        return null;
    }

    /** Whether the class itself declares the member ({@code key}: name + descriptor, or name:descriptor for a field). */
    boolean declares(String name, String key, boolean field) {
        ClassNode n = compiled.get(name);
        if (n != null) {
            if (field) {
                for (FieldNode f : n.fields) if ((f.name + ":" + f.desc).equals(key)) return true;
            } else {
                for (MethodNode m : n.methods) if ((m.name + m.desc).equals(key)) return true;
            }
            return false;
        }
        ReferenceType t = loaded.apply(name.replace('/', '.'));
        if (t == null) return false;
        if (field) {
            for (Field f : t.fields()) if ((f.name() + ":" + f.signature()).equals(key)) return true;
            return false;
        }
        int paren = key.indexOf('(');
        return !t.methodsByName(key.substring(0, paren), key.substring(paren)).stream().filter(m -> m.declaringType().equals(t)).toList().isEmpty();
    }

    private static Resolved resolved(TypeComponent c) {
        return new Resolved(c.declaringType().name().replace('.', '/'), c.modifiers());
    }

    static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }
}
