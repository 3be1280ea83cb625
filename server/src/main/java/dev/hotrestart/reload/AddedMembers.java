package dev.hotrestart.reload;

import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.InterfaceType;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Makes an edit that adds members fit a loaded class, which the JVM lets a redefinition change
 * only in its method bodies. A method the edit adds (a helper, a lambda's body, a method whose
 * signature changed) moves to a companion class, a hidden nestmate the agent defines (see the
 * agent's {@code Links}); a field the edit adds is kept by the agent. Every use of an added member,
 * in the redefined class, in the companion and in any class reloaded later, becomes an
 * {@code invokedynamic} the agent links. What the loaded class has and the edit no longer
 * declares stays, as it was: a removed method keeps its last body for code that still calls it.
 *
 * <p>A class holds the same members across reloads; what lives outside it is recorded here and
 * moves again, into a new companion, with each reload of the class.
 */
final class AddedMembers {
    static final String LINKS = "dev/hotrestart/agent/Links";
    /** In every companion's name: the agent never wraps such a class, and frames in it are named after their owner. */
    static final String COMPANION = "$$Added";
    private static final String INIT = "hotrestart$init$";
    private static final String LOOKUP = "Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;";
    private static final Handle CALL = new Handle(Opcodes.H_INVOKESTATIC, LINKS, "call",
            "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/String;)Ljava/lang/invoke/CallSite;", false);
    private static final Handle FIELD = new Handle(Opcodes.H_INVOKESTATIC, LINKS, "field",
            "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;I)Ljava/lang/invoke/CallSite;", false);
    private static final Handle LAMBDA = new Handle(Opcodes.H_INVOKESTATIC, LINKS, "lambda",
            "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;I[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;", false);
    private static final Handle ACCESS = new Handle(Opcodes.H_INVOKESTATIC, LINKS, "access",
            "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/String;I)Ljava/lang/invoke/CallSite;", false);
    private static final String METAFACTORY = "java/lang/invoke/LambdaMetafactory";

    /** What lives outside a class: its added methods (name + descriptor) and fields (name:descriptor), each static or not. */
    record Outside(Map<String, Boolean> methods, Map<String, Boolean> fields) {
        static Outside none() {
            return new Outside(Map.of(), Map.of());
        }

        boolean isEmpty() {
            return methods.isEmpty() && fields.isEmpty();
        }
    }

    /** Per class (internal name), what the reloads applied so far keep outside it. */
    private final Map<String, Outside> outside = new HashMap<>();
    /** Per class, its latest companion: {@code "owner#version"} and its class file. */
    private final Map<String, Map.Entry<String, byte[]>> companions = new LinkedHashMap<>();
    /** Per loaded class, the bytes it was last redefined with here (removed methods' bodies come from them). */
    private final Map<ReferenceType, byte[]> sent = new HashMap<>();
    /**
     * Classes defined here that the edit made members of a loaded class's nest, which a loaded
     * class's nest cannot take: they were defined outside it, their private members package-private.
     */
    private final java.util.Set<String> outsideNest = new java.util.HashSet<>();
    private int version;

    /**
     * A plan's classes made to fit: {@code classes} to redefine with, {@code companions} to hand
     * to the agent first (all of them, latest versions), the problems that stop it, and what
     * becomes current once the JVM took it.
     */
    record Fitted(Map<ReferenceType, byte[]> classes, Map<String, byte[]> companions, List<NewClass> defines, List<String> problems,
                  Runnable commit) {}

    /**
     * A class to define first: one the edit adds ({@code added}), or one the JVM has not loaded yet
     * whose class file differs from the edit's.
     */
    record NewClass(String binaryName, byte[] bytes, boolean added) {}

    /** The bytes a class was last redefined with here, or null. */
    synchronized byte[] sentBytes(ReferenceType t) {
        return sent.get(t);
    }

    /**
     * Fits {@code compiled} (loaded class → the edit's bytes) to the loaded classes.
     * {@code before} gives the bytes the JVM runs for a class, where known.
     */
    synchronized Fitted fit(Map<ReferenceType, byte[]> compiled, Map<String, byte[]> unloaded, java.util.Set<String> onDisk,
                            Function<ReferenceType, byte[]> before, Function<String, ReferenceType> loaded) {
        List<String> problems = new ArrayList<>();
        Map<ReferenceType, ClassNode> nodes = new LinkedHashMap<>();
        Map<String, ClassNode> byName = new HashMap<>();
        Map<String, Outside> planned = new HashMap<>(outside);
        for (Map.Entry<ReferenceType, byte[]> e : compiled.entrySet()) {
            ClassNode n = read(e.getValue());
            nodes.put(e.getKey(), n);
            byName.put(n.name, n);
            planned.put(n.name, outsideOf(e.getKey(), n, problems));
            renumbered(e.getKey(), n, sent.get(e.getKey()) != null ? sent.get(e.getKey()) : before.apply(e.getKey()), problems);
        }
        List<ClassNode> fresh = new ArrayList<>();
        for (byte[] b : unloaded.values()) {
            ClassNode n = read(b);
            fresh.add(n);
            byName.put(n.name, n);
        }
        java.util.Set<String> nestless = new java.util.HashSet<>(outsideNest);
        for (ClassNode n : fresh) {
            if (n.nestHostClass == null || byName.containsKey(n.nestHostClass) && !nodesHave(nodes, n.nestHostClass)) continue;
            ReferenceType host = loaded.apply(n.nestHostClass.replace('/', '.'));
            byte[] hostBytes = host == null ? null : sent.get(host) != null ? sent.get(host) : before.apply(host);
            List<String> members = hostBytes == null ? null : read(hostBytes).nestMembers;
            if (members == null || !members.contains(n.name)) {
                nestless.add(n.name);
                leaveNest(n);
            }
        }
        List<NewClass> defines = new ArrayList<>();
        for (ClassNode n : inDefiningOrder(fresh)) {
            List<String> mineProblems = new ArrayList<>();
            for (MethodNode m : n.methods) {
                rewrite(n.name, m, planned, false, mineProblems);
                if (nestless.contains(n.name)) reachPrivates(n.name, m, byName, loaded);
            }
            problems.addAll(mineProblems);
            String binary = n.name.replace('/', '.');
            defines.add(new NewClass(binary, write(n), !onDisk.contains(binary)));
        }
        Map<ReferenceType, byte[]> classes = new LinkedHashMap<>();
        Map<String, Map.Entry<String, byte[]>> newCompanions = new LinkedHashMap<>(companions);
        int next = version;
        for (Map.Entry<ReferenceType, ClassNode> e : nodes.entrySet()) {
            ReferenceType t = e.getKey();
            ClassNode n = e.getValue();
            Outside mine = planned.get(n.name);
            byte[] old = sent.get(t) != null ? sent.get(t) : before.apply(t);
            ClassNode oldNode = old == null ? null : read(old);
            boolean nestChanged = oldNode != null && !java.util.Objects.equals(oldNode.nestMembers, n.nestMembers);
            if (mine.isEmpty() && !nestChanged && !lacksLoaded(t, n) && !refersOutside(n, planned) && !nestless.contains(n.name)) {
                classes.put(t, compiled.get(t));
                continue;
            }
            ClassNode companion = new ClassNode();
            List<String> mineProblems = new ArrayList<>();
            ClassNode redefined = split(t, n, oldNode, !nestless.contains(n.name), mine, companion, mineProblems);
            for (MethodNode m : redefined.methods) {
                rewrite(n.name, m, planned, false, mineProblems);
                if (nestless.contains(n.name)) reachPrivates(n.name, m, byName, loaded);
            }
            for (MethodNode m : companion.methods) rewrite(n.name, m, planned, true, mineProblems);
            problems.addAll(mineProblems);
            classes.put(t, write(redefined));
            if (!companion.methods.isEmpty()) {
                newCompanions.put(n.name, Map.entry(n.name + "#" + (++next), write(companion)));
            }
        }
        Map<String, byte[]> handOver = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> c : newCompanions.values()) handOver.put(c.getKey(), c.getValue());
        boolean changes = !newCompanions.equals(companions);
        int committedVersion = next;
        Runnable commit = () -> {
            synchronized (this) {
                outsideNest.addAll(nestless);
                outside.putAll(planned);
                companions.putAll(newCompanions);
                version = Math.max(version, committedVersion);
                classes.forEach(sent::put);
            }
        };
        return new Fitted(classes, changes ? handOver : Map.of(), defines, problems, commit);
    }

    private static boolean nodesHave(Map<ReferenceType, ClassNode> nodes, String name) {
        for (ClassNode n : nodes.values()) if (n.name.equals(name)) return true;
        return false;
    }

    /**
     * The bytes of a class as this session defines it: a class defined outside its outer class's
     * nest (see {@link #leaveNest}) is compiled the same way each time, so a reload of it changes
     * only what the edit changed.
     */
    synchronized byte[] asDefined(String binaryName, byte[] bytes) {
        if (!outsideNest.contains(binaryName.replace('.', '/'))) return bytes;
        ClassNode n = read(bytes);
        leaveNest(n);
        return write(n);
    }

    /**
     * A class the edit adds to a loaded class's nest, which cannot take it: it is defined outside
     * the nest, its private members package-private (the nest's other classes reach them so), and
     * its own uses of their private members go through the agent ({@link #reachPrivates}).
     */
    private static void leaveNest(ClassNode n) {
        n.nestHostClass = null;
        for (FieldNode f : n.fields) f.access &= ~Opcodes.ACC_PRIVATE;
        for (MethodNode m : n.methods) m.access &= ~Opcodes.ACC_PRIVATE;
    }

    /** Superclasses, interfaces and nest hosts before the classes that need them. */
    private static List<ClassNode> inDefiningOrder(List<ClassNode> fresh) {
        List<ClassNode> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (ClassNode n : fresh) names.add(n.name);
        java.util.Set<String> placed = new java.util.HashSet<>();
        while (out.size() < fresh.size()) {
            boolean progress = false;
            for (ClassNode n : fresh) {
                if (placed.contains(n.name)) continue;
                List<String> needs = new ArrayList<>(n.interfaces);
                needs.add(n.superName);
                if (n.nestHostClass != null) needs.add(n.nestHostClass);
                boolean ready = true;
                for (String d : needs) if (d != null && names.contains(d) && !placed.contains(d) && !d.equals(n.name)) ready = false;
                if (!ready) continue;
                out.add(n);
                placed.add(n.name);
                progress = true;
            }
            if (!progress) { // a cycle cannot be: javac would not have compiled it; keep the rest in their order
                for (ClassNode n : fresh) if (placed.add(n.name)) out.add(n);
            }
        }
        return out;
    }

    /** In a class outside its nest, each use of another class's private member goes through the agent. */
    private static void reachPrivates(String self, MethodNode m, Map<String, ClassNode> byName, Function<String, ReferenceType> loaded) {
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; ) {
            AbstractInsnNode next = i.getNext();
            if (i instanceof FieldInsnNode fi && !fi.owner.equals(self) && isPrivate(fi.owner, fi.name, fi.desc, true, byName, loaded)) {
                int op = switch (fi.getOpcode()) {
                    case Opcodes.GETSTATIC -> 0;
                    case Opcodes.PUTSTATIC -> 1;
                    case Opcodes.GETFIELD -> 2;
                    default -> 3;
                };
                m.instructions.set(i, new InvokeDynamicInsnNode(fi.name, fieldDesc(op, fi.owner, fi.desc), ACCESS, fi.owner, fi.desc, op));
            } else if (i instanceof MethodInsnNode mi && !mi.owner.equals(self) && !mi.name.equals("<init>")
                    && isPrivate(mi.owner, mi.name, mi.desc, false, byName, loaded)) {
                boolean isStatic = mi.getOpcode() == Opcodes.INVOKESTATIC;
                m.instructions.set(i, new InvokeDynamicInsnNode(mi.name, isStatic ? mi.desc : receiverFirst(mi.owner, mi.desc), ACCESS,
                        mi.owner, mi.desc, isStatic ? 4 : 5));
            }
            i = next;
        }
    }

    private static boolean isPrivate(String owner, String name, String desc, boolean field, Map<String, ClassNode> byName,
                                     Function<String, ReferenceType> loaded) {
        ClassNode n = byName.get(owner);
        if (n != null) {
            if (field) {
                for (FieldNode f : n.fields) if (f.name.equals(name) && f.desc.equals(desc)) return (f.access & Opcodes.ACC_PRIVATE) != 0;
            } else {
                for (MethodNode mm : n.methods) if (mm.name.equals(name) && mm.desc.equals(desc)) return (mm.access & Opcodes.ACC_PRIVATE) != 0;
            }
            return false;
        }
        ReferenceType t = loaded.apply(owner.replace('/', '.'));
        if (t == null) return false;
        if (field) {
            Field f = t.fieldByName(name);
            return f != null && f.isPrivate();
        }
        for (Method mm : t.methodsByName(name, desc)) return mm.isPrivate();
        return false;
    }

    private static String fieldDesc(int op, String owner, String desc) {
        return switch (op) {
            case 0 -> "()" + desc;
            case 1 -> "(" + desc + ")V";
            case 2 -> "(L" + owner + ";)" + desc;
            default -> "(L" + owner + ";" + desc + ")V";
        };
    }

    /**
     * javac numbers anonymous and local classes in the order they appear: an edit that adds one
     * before others gives the loaded ones' numbers to different classes. A loaded one whose number
     * now stands for another (another enclosing method, supertype or captured fields) is named.
     */
    private static void renumbered(ReferenceType t, ClassNode n, byte[] oldBytes, List<String> problems) {
        String simple = t.name().substring(t.name().lastIndexOf('$') + 1);
        if (oldBytes == null || simple.isEmpty() || !Character.isDigit(simple.charAt(0))) return;
        ClassNode old = read(oldBytes);
        java.util.Set<String> oldFields = new java.util.TreeSet<>(), newFields = new java.util.TreeSet<>();
        for (FieldNode f : old.fields) oldFields.add(f.name + f.desc);
        for (FieldNode f : n.fields) newFields.add(f.name + f.desc);
        if (java.util.Objects.equals(old.outerMethod, n.outerMethod) && java.util.Objects.equals(old.outerMethodDesc, n.outerMethodDesc)
                && java.util.Objects.equals(old.superName, n.superName) && old.interfaces.equals(n.interfaces) && oldFields.equals(newFields)) {
            return;
        }
        String cls = t.name().replace('$', '.');
        problems.add("the edit renumbers the anonymous and local classes: " + cls + " was " + describe(old) + " and would now be "
                + describe(n) + " (javac numbers them in the order they appear; add the new one after the others, or use a lambda)");
    }

    private static String describe(ClassNode n) {
        String sup = n.interfaces.isEmpty() ? n.superName : n.interfaces.get(0);
        String in = n.outerMethod == null ? "" : " in " + n.outerMethod + "()";
        return "a " + sup.substring(sup.lastIndexOf('/') + 1).replace('$', '.') + in;
    }

    /** Whether the loaded class has a method or field the edit no longer declares (it stays, see {@link #split}). */
    private static boolean lacksLoaded(ReferenceType t, ClassNode n) {
        java.util.Set<String> have = new java.util.HashSet<>();
        for (MethodNode m : n.methods) have.add(m.name + m.desc);
        for (FieldNode f : n.fields) have.add(f.name + ":" + f.desc);
        for (Method m : t.methods()) if (!have.contains(m.name() + m.signature())) return true;
        for (Field f : t.fields()) if (!have.contains(f.name() + ":" + f.signature())) return true;
        return false;
    }

    /** Whether any reload so far added a member somewhere. */
    synchronized boolean anyOutside() {
        for (Outside o : outside.values()) if (!o.isEmpty()) return true;
        return false;
    }

    // ---------------------------------------------------------------- what moves out

    /** The members of {@code n} the loaded class lacks, and the problems with them. */
    private static Outside outsideOf(ReferenceType t, ClassNode n, List<String> problems) {
        String cls = t.name().replace('$', '.');
        Map<String, Method> loaded = new HashMap<>();
        for (Method m : t.methods()) loaded.put(m.name() + m.signature(), m);
        Map<String, Boolean> methods = new LinkedHashMap<>();
        for (MethodNode m : n.methods) {
            String key = m.name + m.desc;
            if (loaded.containsKey(key) || m.name.equals("<clinit>")) continue;
            String label = m.name.startsWith("lambda$") ? "the lambda added in " + cls + "." + m.name.split("\\$")[1] + "(…)"
                    : cls + "." + StructureCheck.readable(key);
            int line = firstLine(m);
            String at = line > 0 ? " (line " + line + ")" : "";
            boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
            if (m.name.equals("<init>")) {
                problems.add("a constructor was added: " + cls + "." + StructureCheck.readable(key).replaceFirst("^<init>", t.name()
                        .substring(t.name().lastIndexOf('.') + 1).replace('$', '.')) + at + " (a reload can add methods, not constructors)");
            } else if ((m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                problems.add("an abstract or native method was added: " + label + at);
            } else if ((m.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                problems.add("a synchronized method was added: " + label + at + " (a reload can add methods that are not synchronized)");
            } else if (t instanceof InterfaceType && !isStatic && (m.access & Opcodes.ACC_PRIVATE) == 0) {
                problems.add("a default method was added to the interface " + cls + ": " + label + at);
            } else {
                String inherited = isStatic || (m.access & Opcodes.ACC_PRIVATE) != 0 ? null : inherited(t, m.name, m.desc);
                if (inherited != null) {
                    problems.add(label + at + " overrides or implements " + inherited + " (a reload cannot add a method that overrides "
                            + "an inherited one)");
                } else {
                    methods.put(key, isStatic);
                }
            }
        }
        Map<String, Boolean> fields = new LinkedHashMap<>();
        Map<String, Field> loadedFields = new HashMap<>();
        for (Field f : t.fields()) loadedFields.put(f.name() + ":" + f.signature(), f);
        for (FieldNode f : n.fields) {
            String key = f.name + ":" + f.desc;
            if (loadedFields.containsKey(key)) continue;
            if ((f.access & Opcodes.ACC_ENUM) != 0) {
                problems.add("the enum constant " + cls + "." + f.name + " was added (the constants of a loaded enum cannot change)");
            } else if ((n.access & Opcodes.ACC_RECORD) != 0 && (f.access & Opcodes.ACC_STATIC) == 0) {
                problems.add("the record component " + f.name + " was added to " + cls + " (the components of a loaded record cannot change)");
            } else {
                fields.put(key, (f.access & Opcodes.ACC_STATIC) != 0);
            }
        }
        return new Outside(methods, fields);
    }

    /** The inherited method a new one would override, named; else null. */
    private static String inherited(ReferenceType t, String name, String desc) {
        List<ReferenceType> supers = new ArrayList<>();
        if (t instanceof ClassType ct) {
            for (ClassType s = ct.superclass(); s != null; s = s.superclass()) supers.add(s);
            supers.addAll(ct.allInterfaces());
        } else if (t instanceof InterfaceType it) {
            supers.addAll(it.superinterfaces());
        }
        String sig = desc;
        for (ReferenceType s : supers) {
            for (Method m : s.methodsByName(name, sig)) {
                if (!m.isPrivate() && !m.isStatic()) return s.name().replace('$', '.') + "." + StructureCheck.readable(name + desc);
            }
        }
        return null;
    }

    private static int firstLine(MethodNode m) {
        for (AbstractInsnNode i : m.instructions) if (i instanceof LineNumberNode ln) return ln.line;
        return 0;
    }

    // ---------------------------------------------------------------- the class and its companion

    /**
     * The class to redefine with (the members the loaded class has, nothing more) and, in
     * {@code companion}, the methods that move out, with a method per added static field that has
     * an initializer.
     */
    private static ClassNode split(ReferenceType t, ClassNode n, ClassNode old, boolean keepNest, Outside mine, ClassNode companion,
                                   List<String> problems) {
        companion.version = n.version;
        companion.access = Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC;
        companion.name = n.name + COMPANION;
        companion.superName = "java/lang/Object";
        companion.sourceFile = n.sourceFile;
        Map<String, MethodNode> kept = new LinkedHashMap<>();
        for (MethodNode m : n.methods) {
            String key = m.name + m.desc;
            Boolean isStatic = mine.methods().get(key);
            if (isStatic != null) {
                companion.methods.add(moved(n.name, m, isStatic));
            } else {
                kept.put(key, m);
            }
        }
        Map<String, MethodNode> oldMethods = new HashMap<>();
        if (old != null) for (MethodNode m : old.methods) oldMethods.put(m.name + m.desc, m);
        List<MethodNode> methods = new ArrayList<>();
        for (Method m : t.methods()) {
            String key = m.name() + m.signature();
            MethodNode have = kept.remove(key);
            if (have == null) have = oldMethods.get(key);
            if (have == null) have = stub(m);
            methods.add(have);
        }
        MethodNode clinit = kept.remove("<clinit>()V");
        if (!kept.isEmpty()) problems.add("the loaded class lacks " + kept.keySet()); // cannot happen: outsideOf moved or refused them
        for (FieldNode f : n.fields) {
            Boolean isStatic = mine.fields().get(f.name + ":" + f.desc);
            if (isStatic == null || !isStatic) continue;
            MethodNode init = initializer(n.name, f, clinit);
            if (init != null) companion.methods.add(init);
        }
        ClassNode out = new ClassNode();
        n.accept(out);
        out.methods = methods;
        List<FieldNode> fields = new ArrayList<>();
        Map<String, FieldNode> newFields = new HashMap<>();
        for (FieldNode f : n.fields) newFields.put(f.name + ":" + f.desc, f);
        for (Field f : t.fields()) {
            FieldNode have = newFields.get(f.name() + ":" + f.signature());
            fields.add(have != null ? have : new FieldNode(f.modifiers(), f.name(), f.signature(), f.genericSignature(), null));
        }
        out.fields = fields;
        if (old != null && keepNest) { // a class defined outside its nest has none (see leaveNest)
            out.nestMembers = old.nestMembers;
            out.nestHostClass = old.nestHostClass;
        }
        return out;
    }

    /** A method of {@code owner} as a static method of its companion: an instance method takes its receiver first. */
    private static MethodNode moved(String owner, MethodNode m, boolean isStatic) {
        MethodNode c = new MethodNode(Opcodes.ASM9, m.access, m.name, m.desc, m.signature,
                m.exceptions == null ? null : m.exceptions.toArray(new String[0]));
        m.accept(c);
        c.access = (m.access & ~(Opcodes.ACC_PRIVATE | Opcodes.ACC_PROTECTED | Opcodes.ACC_FINAL | Opcodes.ACC_BRIDGE))
                | Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC;
        if (!isStatic) c.desc = receiverFirst(owner, m.desc);
        return c;
    }

    private static String receiverFirst(String owner, String desc) {
        return "(L" + owner + ";" + desc.substring(1);
    }

    /** A body for a method the loaded class has and no known version of it declares: it says so when called. */
    private static MethodNode stub(Method m) {
        MethodNode s = new MethodNode(m.modifiers() & ~(Opcodes.ACC_NATIVE | Opcodes.ACC_ABSTRACT), m.name(), m.signature(), null, null);
        if (m.isAbstract() || m.isNative()) {
            s.access = m.modifiers();
            return s;
        }
        InsnList code = s.instructions;
        code.add(new org.objectweb.asm.tree.TypeInsnNode(Opcodes.NEW, "java/lang/IllegalStateException"));
        code.add(new InsnNode(Opcodes.DUP));
        code.add(new LdcInsnNode("hotrestart: " + m.declaringType().name() + "." + m.name() + " was removed by a reload"));
        code.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "(Ljava/lang/String;)V", false));
        code.add(new InsnNode(Opcodes.ATHROW));
        s.maxStack = 3;
        int locals = m.isStatic() ? 0 : 1;
        for (Type a : Type.getArgumentTypes(m.signature())) locals += a.getSize();
        s.maxLocals = locals;
        return s;
    }

    /**
     * A companion method returning an added static field's initial value, boxed: its constant,
     * or the instructions of the static initializer that compute it. Null when the field has no
     * initializer, or one that cannot be taken out of the initializer alone (it branches).
     */
    private static MethodNode initializer(String owner, FieldNode f, MethodNode clinit) {
        MethodNode m = new MethodNode(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, INIT + f.name,
                "()Ljava/lang/Object;", null, null);
        Type type = Type.getType(f.desc);
        if (f.value != null) {
            m.instructions.add(new LdcInsnNode(f.value));
            box(m.instructions, type);
            m.instructions.add(new InsnNode(Opcodes.ARETURN));
            m.maxStack = 2;
            return m;
        }
        if (clinit == null) return null;
        AbstractInsnNode store = null, start = null;
        for (AbstractInsnNode i : clinit.instructions) {
            if (i instanceof FieldInsnNode fi && fi.getOpcode() == Opcodes.PUTSTATIC && fi.owner.equals(owner)) {
                if (fi.name.equals(f.name) && fi.desc.equals(f.desc)) {
                    store = i;
                    break;
                }
                start = i;
            }
        }
        if (store == null) return null;
        Map<LabelNode, LabelNode> labels = new HashMap<>();
        for (AbstractInsnNode i = start == null ? clinit.instructions.getFirst() : start.getNext(); i != store; i = i.getNext()) {
            if (i instanceof LabelNode l) labels.put(l, new LabelNode());
        }
        for (AbstractInsnNode i = start == null ? clinit.instructions.getFirst() : start.getNext(); i != store; i = i.getNext()) {
            if (i instanceof JumpInsnNode || i instanceof TableSwitchInsnNode || i instanceof LookupSwitchInsnNode
                    || i instanceof FrameNode) {
                return null;
            }
            m.instructions.add(i.clone(labels));
        }
        for (TryCatchBlockNode tc : clinit.tryCatchBlocks) if (labels.containsKey(tc.start) || labels.containsKey(tc.handler)) return null;
        box(m.instructions, type);
        m.instructions.add(new InsnNode(Opcodes.ARETURN));
        m.maxStack = clinit.maxStack + 1;
        m.maxLocals = clinit.maxLocals;
        return m;
    }

    private static void box(InsnList code, Type type) {
        if (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY) return;
        String box = switch (type.getSort()) {
            case Type.BOOLEAN -> "java/lang/Boolean";
            case Type.BYTE -> "java/lang/Byte";
            case Type.CHAR -> "java/lang/Character";
            case Type.SHORT -> "java/lang/Short";
            case Type.INT -> "java/lang/Integer";
            case Type.LONG -> "java/lang/Long";
            case Type.FLOAT -> "java/lang/Float";
            default -> "java/lang/Double";
        };
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, box, "valueOf", "(" + type.getDescriptor() + ")L" + box + ";", false));
    }

    // ---------------------------------------------------------------- uses of added members

    private static boolean refersOutside(ClassNode n, Map<String, Outside> planned) {
        for (MethodNode m : n.methods) {
            for (AbstractInsnNode i : m.instructions) {
                if (i instanceof MethodInsnNode mi && methodOutside(planned, mi.owner, mi.name + mi.desc) != null) return true;
                if (i instanceof FieldInsnNode fi && fieldOutside(planned, fi.owner, fi.name + ":" + fi.desc) != null) return true;
                if (i instanceof InvokeDynamicInsnNode indy && lambdaImpl(indy, planned) != null) return true;
            }
        }
        return false;
    }

    private static Boolean methodOutside(Map<String, Outside> planned, String owner, String key) {
        Outside o = planned.get(owner);
        return o == null ? null : o.methods().get(key);
    }

    private static Boolean fieldOutside(Map<String, Outside> planned, String owner, String key) {
        Outside o = planned.get(owner);
        return o == null ? null : o.fields().get(key);
    }

    /** The implementation of a lambda or method reference, when it is an added method; else null. */
    private static Handle lambdaImpl(InvokeDynamicInsnNode indy, Map<String, Outside> planned) {
        if (!indy.bsm.getOwner().equals(METAFACTORY) || indy.bsmArgs.length < 3 || !(indy.bsmArgs[1] instanceof Handle h)) return null;
        return methodOutside(planned, h.getOwner(), h.getName() + h.getDesc()) != null ? h : null;
    }

    /**
     * Turns each use of an added member in {@code m} into an {@code invokedynamic}. In a method
     * moved to the companion ({@code moved}), a call of the class's own private method, made with
     * {@code invokespecial}, becomes an {@code invokevirtual} (a nestmate may make it); a super
     * call cannot be made from there.
     */
    private static void rewrite(String self, MethodNode m, Map<String, Outside> planned, boolean moved, List<String> problems) {
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; ) {
            AbstractInsnNode next = i.getNext();
            AbstractInsnNode replacement = null;
            if (i instanceof MethodInsnNode mi) {
                Boolean isStatic = methodOutside(planned, mi.owner, mi.name + mi.desc);
                if (isStatic != null) {
                    String desc = isStatic ? mi.desc : receiverFirst(mi.owner, mi.desc);
                    replacement = new InvokeDynamicInsnNode(mi.name, desc, CALL, mi.owner, desc);
                } else if (moved && mi.getOpcode() == Opcodes.INVOKESPECIAL && !mi.name.equals("<init>")) {
                    if (mi.owner.equals(self)) {
                        mi.setOpcode(mi.itf ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL);
                    } else {
                        problems.add("a method added by the edit calls super." + mi.name + "(…) (line " + lineOf(i)
                                + "), which only a method the class had before can do");
                    }
                }
            } else if (i instanceof FieldInsnNode fi) {
                Boolean isStatic = fieldOutside(planned, fi.owner, fi.name + ":" + fi.desc);
                if (isStatic != null) {
                    int op = switch (fi.getOpcode()) {
                        case Opcodes.GETSTATIC -> 0;
                        case Opcodes.PUTSTATIC -> 1;
                        case Opcodes.GETFIELD -> 2;
                        default -> 3;
                    };
                    replacement = new InvokeDynamicInsnNode(fi.name, fieldDesc(op, fi.owner, fi.desc), FIELD, fi.owner, fi.name, fi.desc, op);
                }
            } else if (i instanceof InvokeDynamicInsnNode indy) {
                Handle h = lambdaImpl(indy, planned);
                if (h != null) {
                    boolean isStatic = methodOutside(planned, h.getOwner(), h.getName() + h.getDesc());
                    String implDesc = isStatic ? h.getDesc() : receiverFirst(h.getOwner(), h.getDesc());
                    List<Object> args = new ArrayList<>(List.of(h.getOwner(), h.getName(), implDesc,
                            indy.bsm.getName().equals("altMetafactory") ? 1 : 0));
                    for (int a = 0; a < indy.bsmArgs.length; a++) if (a != 1) args.add(indy.bsmArgs[a]);
                    replacement = new InvokeDynamicInsnNode(indy.name, indy.desc, LAMBDA, args.toArray());
                } else {
                    for (Object a : indy.bsmArgs) {
                        if (a instanceof Handle h2 && methodOutside(planned, h2.getOwner(), h2.getName() + h2.getDesc()) != null) {
                            problems.add("an added method is used as a constant method handle (line " + lineOf(i) + ")");
                        }
                    }
                }
            } else if (i instanceof LdcInsnNode ldc && ldc.cst instanceof Handle h
                    && methodOutside(planned, h.getOwner(), h.getName() + h.getDesc()) != null) {
                problems.add("an added method is used as a constant method handle (line " + lineOf(i) + ")");
            }
            if (replacement != null) m.instructions.set(i, replacement);
            i = next;
        }
    }

    private static int lineOf(AbstractInsnNode i) {
        for (AbstractInsnNode p = i; p != null; p = p.getPrevious()) if (p instanceof LineNumberNode ln) return ln.line;
        return 0;
    }

    private static ClassNode read(byte[] bytes) {
        ClassNode n = new ClassNode();
        new ClassReader(bytes).accept(n, 0);
        return n;
    }

    private static byte[] write(ClassNode n) {
        ClassWriter w = new ClassWriter(0);
        n.accept(w);
        return w.toByteArray();
    }
}
