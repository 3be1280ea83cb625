package dev.hotrestart.agent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ASM side of {@link WrapTransformer}: adds {@code catch (Throwable t) { if (Hook.escaped(t))
 * return thisMethod(originalArguments); throw t; }} around the body of each wrapped method of a
 * class, with the parameters kept as they were called (see {@link ParameterCopies}), and reads
 * package marks.
 */
final class HandlerWriter {
    private static final String HOOK = "dev/hotrestart/agent/Hook";

    private HandlerWriter() {}

    /** Whether a package-info class carries {@code @HotRestart}. */
    static boolean packageMarked(byte[] packageInfo) {
        ClassNode info = new ClassNode();
        new ClassReader(packageInfo).accept(info, ClassReader.SKIP_CODE);
        return WrapPolicy.HOT.equals(mark(info.invisibleAnnotations, info.visibleAnnotations));
    }

    /**
     * The class with a handler around each method to wrap, or null when it has none. Only those
     * methods' code is read and written again; the others are copied as they are (a class of a
     * thousand methods with one wrapped costs about what a small one does, at every load and
     * every redefinition).
     */
    static byte[] rewrite(byte[] bytes, String className, boolean packageWrapped, WrapPolicy policy) {
        return rewrite(bytes, className, packageWrapped, policy, false);
    }

    /** As {@link #rewrite(byte[], String, boolean, WrapPolicy)}; {@code mark}: the class says so (see {@link Prewrap}). */
    static byte[] rewrite(byte[] bytes, String className, boolean packageWrapped, WrapPolicy policy, final boolean mark) {
        ClassReader reader = new ClassReader(bytes);
        final ClassNode shape = new ClassNode(); // the declarations and their annotations, no code
        reader.accept(shape, ClassReader.SKIP_CODE);
        if ((shape.access & Opcodes.ACC_ANNOTATION) != 0) return null;
        String typeMark = mark(shape.invisibleAnnotations, shape.visibleAnnotations);
        Set<String> tooLarge = new HashSet<String>();
        while (true) {
            final Set<String> wrapped = new HashSet<String>();
            for (MethodNode m : shape.methods) {
                // abstract and native methods are the ones without code
                if (m.name.startsWith("<") || (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_SYNTHETIC
                        | Opcodes.ACC_BRIDGE)) != 0
                        || WrapPolicy.compilerMade((shape.access & Opcodes.ACC_ENUM) != 0, m.name, m.desc)
                        || tooLarge.contains(m.name + m.desc)) {
                    continue;
                }
                String methodMark = mark(m.invisibleAnnotations, m.visibleAnnotations);
                if (policy.decide(className, m.name, methodMark, typeMark, packageWrapped)) wrapped.add(m.name + m.desc);
            }
            if (wrapped.isEmpty()) return null;
            // the reader given to the writer: a method visited straight through is copied as bytes, unread
            ClassWriter w = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            reader.accept(new ClassVisitor(Opcodes.ASM9, w) {
                @Override
                public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                    super.visit(version, access, name, signature, superName, interfaces);
                    // first of the attributes the writer is given: it writes them in the other order, so this one last
                    if (mark) super.visitAttribute(new Prewrap.Mark());
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                    final MethodVisitor out = super.visitMethod(access, name, desc, signature, exceptions);
                    if (!wrapped.contains(name + desc)) return out;
                    return new MethodNode(Opcodes.ASM9, access, name, desc, signature, exceptions) {
                        @Override
                        public void visitEnd() {
                            addHandler(shape, this);
                            accept(out);
                        }
                    };
                }

            }, ClassReader.EXPAND_FRAMES);
            try {
                return w.toByteArray();
            } catch (MethodTooLargeException e) {
                // the handler pushed it past the JVM's 64 KB of code: wrap the class's other methods
                if (!tooLarge.add(e.getMethodName() + e.getDescriptor())) throw e;
                Agent.warn("cannot wrap " + className + "." + e.getMethodName() + ": its code is " + e.getCodeSize()
                        + " bytes with the handler, over the JVM's limit of 65,535. Exceptions escaping it do not stop there; "
                        + "split the method to have it wrapped.");
            }
        }
    }

    private static void addHandler(ClassNode cls, MethodNode m) {
        LabelNode bodyStart = firstLabel(m);
        InsnList nulls = nullReferenceLocals(m); // before the body moves to the copies: not for them
        ParameterCopies copies = ParameterCopies.make(cls, m);
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        LabelNode handler = new LabelNode();
        LabelNode rethrow = new LabelNode();
        LabelNode after = new LabelNode();
        // locals in scope until the end of the code stay in scope in the handler, where the
        // debugger shows them at the stop
        LabelNode codeEnd = m.instructions.getLast() instanceof LabelNode ? (LabelNode) m.instructions.getLast() : null;
        m.instructions.insert(start);
        m.instructions.insert(nulls);
        m.instructions.insert(copies.copyIn());
        LabelNode entry = new LabelNode();
        m.instructions.insert(entry);
        copies.coverPrologue(entry, bodyStart);
        boolean frames = (cls.version & 0xFFFF) >= Opcodes.V1_6;
        InsnList tail = new InsnList();
        tail.add(end);
        tail.add(handler);
        if (frames) tail.add(entryFrame(cls, m));
        // the hook returns true when the debugger asks for the method to run again from its
        // start, with the arguments it was called with: a call of its newest version from here,
        // for a frame that cannot be popped (a thread's bottom frame, main)
        tail.add(new InsnNode(Opcodes.DUP));
        tail.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HOOK, "escaped", "(Ljava/lang/Throwable;)Z", false));
        tail.add(new JumpInsnNode(Opcodes.IFEQ, rethrow));
        tail.add(new InsnNode(Opcodes.POP));
        tail.add(copies.callAgain());
        tail.add(rethrow);
        if (frames) tail.add(entryFrame(cls, m));
        tail.add(new InsnNode(Opcodes.ATHROW));
        tail.add(after);
        m.instructions.add(tail);
        if (m.localVariables != null && codeEnd != null) {
            for (LocalVariableNode v : m.localVariables) if (v.end == codeEnd) v.end = after;
        }
        // last in the table: the method's own handlers are searched first
        m.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, "java/lang/Throwable"));
    }

    /** The label the body starts at (one is put there when the code starts with an instruction). */
    private static LabelNode firstLabel(MethodNode m) {
        if (m.instructions.getFirst() instanceof LabelNode) return (LabelNode) m.instructions.getFirst();
        LabelNode l = new LabelNode();
        m.instructions.insert(l);
        return l;
    }

    /** The frame at the handler: the locals at method entry, the Throwable on the stack. */
    private static FrameNode entryFrame(ClassNode cls, MethodNode m) {
        List<Object> stack = new ArrayList<Object>();
        stack.add("java/lang/Throwable");
        Object[] locals = initialLocals(cls, m).toArray();
        return new FrameNode(Opcodes.F_NEW, locals.length, locals, 1, stack.toArray());
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
    static List<Object> initialLocals(ClassNode cls, MethodNode m) {
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
}
