package dev.hotrestart.wrap;

import com.sun.jdi.ClassType;
import com.sun.jdi.Method;
import com.sun.jdi.Field;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import dev.hotrestart.agent.Prewrap;
import dev.hotrestart.agent.WrapPolicy;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which methods are wrapped: the {@code noWrap} patterns first, then
 * {@code @NoHotRestart}/{@code @HotRestart} on the method, then on its class, then the
 * {@code wrap} patterns, then {@code @HotRestart} on the package. Annotations are matched by
 * simple name and read from the class files (they have class retention).
 */
public final class WrapRules {
    private final WrapPolicy policy;
    private final ClassFiles classFiles;
    private final Map<String, Marks> classMarks = new HashMap<>();
    private final Map<String, Boolean> packageMarks = new HashMap<>();
    private final Map<Method, Boolean> decided = new HashMap<>();

    private final List<String> wrap;
    private final List<String> noWrap;

    public WrapRules(List<String> wrap, List<String> noWrap, ClassFiles classFiles) {
        this.wrap = List.copyOf(wrap);
        this.noWrap = List.copyOf(noWrap);
        this.policy = new WrapPolicy(wrap, noWrap);
        this.classFiles = classFiles;
    }

    public synchronized boolean isWrapped(Method m) {
        return decided.computeIfAbsent(m, this::decide);
    }

    private boolean decide(Method m) {
        if (m.isConstructor() || m.isStaticInitializer() || m.isSynthetic() || m.isBridge() || m.isNative() || m.isAbstract()
                || m.isObsolete()) {
            return false;
        }
        String cls = m.declaringType().name();
        if (WrapPolicy.neverWrapped(cls)) return false;
        if (WrapPolicy.compilerMade(m.declaringType() instanceof ClassType ct && ct.isEnum(), m.name(), m.signature())) return false;
        Marks marks = marks(m.declaringType());
        int dot = cls.lastIndexOf('.');
        return policy.decide(cls, m.name(), marks.methods.get(m.name() + m.signature()), marks.type,
                dot > 0 && packageWrapped(cls.substring(0, dot)));
    }

    private Marks marks(ReferenceType type) {
        return classMarks.computeIfAbsent(type.name(), name -> {
            Marks marks = new Marks();
            byte[] bytes = classFiles.read(name);
            if (bytes != null) scan(bytes, marks);
            marks.read = bytes != null;
            return marks;
        });
    }

    /**
     * The class file with the agent's handler around the methods it wraps (see {@link Prewrap}),
     * to redefine the class with in a JVM whose agent wraps; null when it wraps none, or when the
     * agent is to decide: it may wrap otherwise (an agent loaded with other patterns, or one too old
     * to leave such bytes alone), the class is the boot loader's (never wrapped), or its package
     * carries a mark (the agent reads it from the class's own folder or jar, these rules from the
     * whole class path).
     */
    public byte[] prewrapped(ReferenceType type, byte[] bytes) {
        if (type.classLoader() == null || !agentTakesPrewrapped(type.virtualMachine())) return null;
        String className = type.name();
        int dot = className.lastIndexOf('.');
        synchronized (this) {
            // a class these rules cannot read (a fat jar, a loader of its own) may carry a package mark they do not see
            if (!marks(type).read || dot > 0 && packageWrapped(className.substring(0, dot))) return null;
        }
        return Prewrap.wrap(bytes, className, false, policy);
    }

    private Boolean agentTakesPrewrapped;

    /**
     * Whether the program's agent leaves bytes the debugger wrapped as they are, with the handler of
     * this build, and wraps by these rules: asked until the answer is sure (an agent loading now may
     * not have said yet).
     */
    private synchronized boolean agentTakesPrewrapped(VirtualMachine vm) {
        if (agentTakesPrewrapped != null) return agentTakesPrewrapped;
        try {
            List<ReferenceType> agent = vm.classesByName(AGENT);
            List<ReferenceType> prewrap = vm.classesByName(Prewrap.class.getName());
            String had = agent.isEmpty() ? null : agentArguments(agent.get(0));
            if (had == null || prewrap.isEmpty()) return false;
            Field f = prewrap.get(0).fieldByName("HANDLER");
            Value handler = f == null ? null : prewrap.get(0).getValue(f);
            agentTakesPrewrapped = handler instanceof com.sun.jdi.IntegerValue i && i.value() == Prewrap.HANDLER
                    && had.equals(WrapPolicy.encode(wrap, noWrap));
            return agentTakesPrewrapped;
        } catch (RuntimeException e) {
            return false; // the program is gone, or the agent is not what it should be: the agent decides
        }
    }

    /** The agent's class in the program. */
    public static final String AGENT = "dev.hotrestart.agent.Agent";

    /** The wrap patterns the program's agent was loaded with, as {@link WrapPolicy#encode} writes them (null: unknown). */
    public static String agentArguments(ReferenceType agent) {
        Field f = agent.fieldByName("arguments");
        Value v = f == null ? null : agent.getValue(f);
        String had = v instanceof StringReference str ? str.value() : null;
        return had == null ? null : had.isEmpty() ? WrapPolicy.encode(List.of(), List.of()) : had;
    }

    private boolean packageWrapped(String pkg) {
        return packageMarks.computeIfAbsent(pkg, p -> {
            byte[] bytes = classFiles.read(p + ".package-info");
            if (bytes == null) return false;
            Marks marks = new Marks();
            scan(bytes, marks);
            return WrapPolicy.HOT.equals(marks.type);
        });
    }

    private static final class Marks {
        /** The class file was found and read. */
        boolean read;
        String type;
        final Map<String, String> methods = new HashMap<>();
    }

    private static boolean isMark(String name) {
        return name.equals(WrapPolicy.HOT) || name.equals(WrapPolicy.NO);
    }

    private static void scan(byte[] bytes, Marks marks) {
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                String n = WrapPolicy.simpleAnnotationName(descriptor);
                if (isMark(n)) marks.type = n;
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public AnnotationVisitor visitAnnotation(String d, boolean visible) {
                        String n = WrapPolicy.simpleAnnotationName(d);
                        if (isMark(n)) marks.methods.put(name + descriptor, n);
                        return null;
                    }
                };
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }
}
