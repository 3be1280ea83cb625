package dev.hotrestart.agent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives every wrapped method a last catch-all handler: {@code catch (Throwable t) {
 * Hook.escaped(t); throw t; }} around the whole body. It is the last entry of the exception
 * table, so the method's own handlers (catch, finally, synchronized, try-with-resources) run
 * first and only a real escape reaches it. Runs on every load and every redefinition, so a
 * reload keeps the handler.
 */
final class WrapTransformer implements ClassFileTransformer {
    private static final String HOOK = "dev/hotrestart/agent/Hook";
    private static final byte[] HOT = WrapPolicy.HOT.getBytes();

    private final WrapPolicy policy;
    private final HookPlacement hook;
    private final Map<ClassLoader, Map<String, Boolean>> packages = new WeakHashMap<ClassLoader, Map<String, Boolean>>();
    private final Map<Class<?>, byte[]> originals = new ConcurrentHashMap<Class<?>, byte[]>();

    WrapTransformer(WrapPolicy policy, HookPlacement hook) {
        this.policy = policy;
        this.hook = hook;
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (internalName == null || loader == null) return null;
        if (redefined != null && !originals.isEmpty()) {
            // a class retransformed by wrapLoaded: the JVM hands over bytes without the
            // class-retention annotations, so rewrite the class file it was loaded from
            byte[] original = originals.remove(redefined);
            if (original != null) bytes = original;
        }
        String className = internalName.replace('/', '.');
        if (WrapPolicy.neverWrapped(className)) return null;
        try {
            boolean pkgWrapped = packageWrapped(loader, internalName);
            if (!pkgWrapped && !policy.patternMayMatch(className) && !contains(bytes, HOT)) return null;
            byte[] out = rewrite(bytes, className, pkgWrapped);
            return out != null && hook.reachableFrom(loader) ? out : null;
        } catch (Throwable t) {
            // never break class loading: leave the class as it is
            return null;
        }
    }

    /**
     * Wraps the classes loaded before the agent (it was loaded into a running JVM). A class is
     * retransformed only when its class file, read through its loader, has a method to wrap.
     */
    void wrapLoaded(Instrumentation inst) {
        List<Class<?>> todo = new ArrayList<Class<?>>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            ClassLoader loader = c.getClassLoader();
            if (loader == null || c.isArray() || c.isPrimitive() || WrapPolicy.neverWrapped(c.getName())
                    || !inst.isModifiableClass(c)) {
                continue;
            }
            String internalName = c.getName().replace('.', '/');
            try {
                byte[] original = read(loader, internalName + ".class");
                if (original == null) continue;
                boolean pkgWrapped = packageWrapped(loader, internalName);
                if (!pkgWrapped && !policy.patternMayMatch(c.getName()) && !contains(original, HOT)) continue;
                if (rewrite(original, c.getName(), pkgWrapped) == null) continue;
                originals.put(c, original);
                todo.add(c);
            } catch (Throwable t) {
                // leave this class as it is
            }
        }
        for (Class<?> c : todo) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable t) {
                // e.g. a class file that no longer matches the loaded class: it stays unwrapped
            } finally {
                originals.remove(c);
            }
        }
    }

    byte[] rewrite(byte[] bytes, String className, boolean packageWrapped) {
        ClassNode cls = new ClassNode();
        new ClassReader(bytes).accept(cls, ClassReader.EXPAND_FRAMES);
        if ((cls.access & Opcodes.ACC_ANNOTATION) != 0) return null;
        String typeMark = mark(cls.invisibleAnnotations, cls.visibleAnnotations);
        boolean changed = false;
        for (MethodNode m : cls.methods) {
            if (m.name.startsWith("<") || (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_SYNTHETIC
                    | Opcodes.ACC_BRIDGE)) != 0 || m.instructions.size() == 0
                    || WrapPolicy.compilerMade((cls.access & Opcodes.ACC_ENUM) != 0, m.name, m.desc)) {
                continue;
            }
            String methodMark = mark(m.invisibleAnnotations, m.visibleAnnotations);
            if (!policy.decide(className, m.name, methodMark, typeMark, packageWrapped)) continue;
            addHandler(cls, m);
            changed = true;
        }
        if (!changed) return null;
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cls.accept(w);
        return w.toByteArray();
    }

    private static void addHandler(ClassNode cls, MethodNode m) {
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        LabelNode handler = new LabelNode();
        LabelNode after = new LabelNode();
        // locals in scope until the end of the code stay in scope in the handler, where the
        // debugger shows them at the stop
        LabelNode codeEnd = m.instructions.getLast() instanceof LabelNode ? (LabelNode) m.instructions.getLast() : null;
        m.instructions.insert(start);
        m.instructions.insert(nullReferenceLocals(m));
        InsnList tail = new InsnList();
        tail.add(end);
        tail.add(handler);
        if ((cls.version & 0xFFFF) >= Opcodes.V1_6) {
            tail.add(new FrameNode(Opcodes.F_NEW, 0, null, 0, null));
            FrameNode f = (FrameNode) tail.getLast();
            f.local = initialLocals(cls, m);
            f.stack = new ArrayList<Object>();
            f.stack.add("java/lang/Throwable");
        }
        tail.add(new InsnNode(Opcodes.DUP));
        tail.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HOOK, "escaped", "(Ljava/lang/Throwable;)V", false));
        tail.add(new InsnNode(Opcodes.ATHROW));
        tail.add(after);
        m.instructions.add(tail);
        if (m.localVariables != null && codeEnd != null) {
            for (LocalVariableNode v : m.localVariables) if (v.end == codeEnd) v.end = after;
        }
        // last in the table: the method's own handlers are searched first
        m.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, "java/lang/Throwable"));
    }

    /**
     * Stores null into each slot the method later uses for a reference local. The handler is
     * reached from every instruction of the body, so the JVM's liveness analysis sees a slot
     * that holds no reference on some of those paths as holding none at all, and the debugger
     * could not read it at the stop. With the slot a reference from the start, the debugger
     * shows the value it had when the exception left.
     */
    private static InsnList nullReferenceLocals(MethodNode m) {
        InsnList init = new InsnList();
        if (m.localVariables == null) return init;
        int firstLocal = (Type.getArgumentsAndReturnSizes(m.desc) >> 2) - ((m.access & Opcodes.ACC_STATIC) != 0 ? 1 : 0);
        java.util.Set<Integer> done = new java.util.HashSet<Integer>();
        for (LocalVariableNode v : m.localVariables) {
            char kind = v.desc.charAt(0);
            if (v.index < firstLocal || (kind != 'L' && kind != '[') || !done.add(v.index)) continue;
            init.add(new InsnNode(Opcodes.ACONST_NULL));
            init.add(new VarInsnNode(Opcodes.ASTORE, v.index));
        }
        return init;
    }

    /** The locals at method entry (this and the parameters), in stack map form. */
    private static List<Object> initialLocals(ClassNode cls, MethodNode m) {
        List<Object> locals = new ArrayList<Object>();
        if ((m.access & Opcodes.ACC_STATIC) == 0) locals.add(cls.name);
        for (Type t : Type.getArgumentTypes(m.desc)) {
            switch (t.getSort()) {
                case Type.BOOLEAN:
                case Type.BYTE:
                case Type.CHAR:
                case Type.SHORT:
                case Type.INT:
                    locals.add(Opcodes.INTEGER);
                    break;
                case Type.FLOAT:
                    locals.add(Opcodes.FLOAT);
                    break;
                case Type.LONG:
                    locals.add(Opcodes.LONG);
                    break;
                case Type.DOUBLE:
                    locals.add(Opcodes.DOUBLE);
                    break;
                case Type.ARRAY:
                    locals.add(t.getDescriptor());
                    break;
                default:
                    locals.add(t.getInternalName());
            }
        }
        return locals;
    }

    private static String mark(List<AnnotationNode> invisible, List<AnnotationNode> visible) {
        String m = mark(invisible);
        return m != null ? m : mark(visible);
    }

    private static String mark(List<AnnotationNode> annotations) {
        if (annotations == null) return null;
        for (AnnotationNode a : annotations) {
            String n = WrapPolicy.simpleAnnotationName(a.desc);
            if (n.equals(WrapPolicy.HOT) || n.equals(WrapPolicy.NO)) return n;
        }
        return null;
    }

    private boolean packageWrapped(ClassLoader loader, String internalName) {
        int slash = internalName.lastIndexOf('/');
        if (slash < 0) return false;
        String pkg = internalName.substring(0, slash);
        Map<String, Boolean> known;
        synchronized (packages) {
            known = packages.get(loader);
            if (known == null) {
                known = new ConcurrentHashMap<String, Boolean>();
                packages.put(loader, known);
            }
        }
        Boolean b = known.get(pkg);
        if (b == null) {
            b = readPackageMark(loader, pkg);
            known.put(pkg, b);
        }
        return b;
    }

    private static boolean readPackageMark(ClassLoader loader, String pkg) {
        byte[] bytes = read(loader, pkg + "/package-info.class");
        if (bytes == null) return false;
        try {
            ClassNode info = new ClassNode();
            new ClassReader(bytes).accept(info, ClassReader.SKIP_CODE);
            return WrapPolicy.HOT.equals(mark(info.invisibleAnnotations, info.visibleAnnotations));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A resource's bytes, or null when the loader has none or it cannot be read. */
    private static byte[] read(ClassLoader loader, String resource) {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) return null;
        try {
            return readAll(in);
        } catch (IOException e) {
            return null;
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // read already
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) != -1) out.write(buf, 0, n);
        return out.toByteArray();
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
