package dev.hotrestart.wrap;

import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
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
    static final String HOT = "HotRestart";
    static final String NO = "NoHotRestart";

    private final List<Pattern> wrap = new ArrayList<>();
    private final List<Pattern> noWrap = new ArrayList<>();
    private final ClassFiles classFiles;
    private final Map<String, Marks> classMarks = new HashMap<>();
    private final Map<String, Boolean> packageMarks = new HashMap<>();
    private final Map<Method, Boolean> decided = new HashMap<>();

    public WrapRules(List<String> wrap, List<String> noWrap, ClassFiles classFiles) {
        for (String w : wrap) this.wrap.add(Pattern.parse(w));
        for (String w : noWrap) this.noWrap.add(Pattern.parse(w));
        this.classFiles = classFiles;
    }

    public synchronized boolean isWrapped(Method m) {
        return decided.computeIfAbsent(m, this::decide);
    }

    private boolean decide(Method m) {
        if (m.isConstructor() || m.isStaticInitializer() || m.isSynthetic() || m.isBridge() || m.isNative() || m.isAbstract()) {
            return false;
        }
        String cls = m.declaringType().name();
        if (cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.")) return false;
        for (Pattern p : noWrap) if (p.matches(cls, m.name())) return false;
        Marks marks = marks(m.declaringType());
        String mark = marks.methods.get(m.name() + m.signature());
        if (NO.equals(mark)) return false;
        if (HOT.equals(mark)) return true;
        if (NO.equals(marks.type)) return false;
        if (HOT.equals(marks.type)) return true;
        for (Pattern p : wrap) if (p.matches(cls, m.name())) return true;
        int dot = cls.lastIndexOf('.');
        return dot > 0 && packageWrapped(cls.substring(0, dot));
    }

    /** Forget what was read of these classes (their files changed). */
    public synchronized void invalidate(ReferenceType type) {
        classMarks.remove(type.name());
        decided.keySet().removeIf(m -> m.declaringType().equals(type));
    }

    private Marks marks(ReferenceType type) {
        return classMarks.computeIfAbsent(type.name(), name -> {
            Marks marks = new Marks();
            byte[] bytes = classFiles.read(name);
            if (bytes != null) scan(bytes, marks);
            return marks;
        });
    }

    private boolean packageWrapped(String pkg) {
        return packageMarks.computeIfAbsent(pkg, p -> {
            byte[] bytes = classFiles.read(p + ".package-info");
            if (bytes == null) return false;
            Marks marks = new Marks();
            scan(bytes, marks);
            return HOT.equals(marks.type);
        });
    }

    private static final class Marks {
        String type;
        final Map<String, String> methods = new HashMap<>();
    }

    static String simpleName(String descriptor) {
        String s = descriptor.substring(1, descriptor.length() - 1);
        int cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf('$'));
        return s.substring(cut + 1);
    }

    private static void scan(byte[] bytes, Marks marks) {
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                String n = simpleName(descriptor);
                if (n.equals(HOT) || n.equals(NO)) marks.type = n;
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public AnnotationVisitor visitAnnotation(String d, boolean visible) {
                        String n = simpleName(d);
                        if (n.equals(HOT) || n.equals(NO)) marks.methods.put(name + descriptor, n);
                        return null;
                    }
                };
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }

    /**
     * One {@code wrap}/{@code noWrap} pattern: {@code com.acme.Service#handle},
     * {@code com.acme.Service}, {@code com.acme.*} (that package), {@code com.acme.**}
     * (and its sub-packages). Nested classes may be written with {@code $} or {@code .}.
     */
    public record Pattern(String type, String method, boolean onePackage, boolean subPackages) {
        public static Pattern parse(String text) {
            String t = text.trim();
            String method = null;
            int hash = t.indexOf('#');
            if (hash >= 0) {
                method = t.substring(hash + 1);
                t = t.substring(0, hash);
            }
            if (t.endsWith(".**")) return new Pattern(t.substring(0, t.length() - 3), method, false, true);
            if (t.endsWith(".*")) return new Pattern(t.substring(0, t.length() - 2), method, true, false);
            return new Pattern(t.replace('$', '.'), method, false, false);
        }

        public boolean matches(String className, String methodName) {
            if (method != null && !method.equals(methodName)) return false;
            String cls = className.replace('$', '.');
            if (subPackages) return className.startsWith(type + ".");
            if (onePackage) {
                int dot = className.lastIndexOf('.');
                return dot > 0 && className.substring(0, dot).equals(type);
            }
            return cls.equals(type);
        }
    }
}
