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
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

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
        ClassMembers members = new ClassMembers(byName, loaded);
        Map<String, Outside> planned = new HashMap<>(outside);
        Map<String, List<MethodNode>> carried = new HashMap<>();
        for (Map.Entry<ReferenceType, byte[]> e : compiled.entrySet()) {
            ReferenceType t = e.getKey();
            ClassNode n = read(e.getValue());
            byte[] javacBefore = before.apply(t); // javac's bytes the loaded class was made from: its lambdas keep their names
            LambdaNames.match(n, javacBefore == null ? null : LambdaNames.lambdasOf(javacBefore, null));
            nodes.put(t, n);
            byName.put(n.name, n);
            Outside mine = outsideOf(t, n, problems);
            carried.put(n.name, carry(n.name, mine, outside.get(n.name), companions.get(n.name)));
            planned.put(n.name, merged(mine, outside.get(n.name)));
            renumbered(t, n, javacBefore, problems);
        }
        List<ClassNode> fresh = new ArrayList<>();
        for (byte[] b : unloaded.values()) {
            ClassNode n = read(b);
            fresh.add(n);
            byName.put(n.name, n);
        }
        overriddenInPlan(byName.values(), planned, members, problems);
        java.util.Set<String> nestless = new java.util.HashSet<>(outsideNest);
        for (ClassNode n : fresh) {
            if (n.nestHostClass == null || byName.containsKey(n.nestHostClass) && !nodesHave(nodes, n.nestHostClass)) continue;
            ReferenceType host = loaded.apply(n.nestHostClass.replace('/', '.'));
            byte[] hostBytes = host == null ? null : sent.get(host) != null ? sent.get(host) : before.apply(host);
            List<String> nest = hostBytes == null ? null : read(hostBytes).nestMembers;
            if (nest == null || !nest.contains(n.name)) {
                nestless.add(n.name);
                Reach.leaveNest(n);
            }
        }
        List<NewClass> defines = new ArrayList<>();
        for (ClassNode n : inDefiningOrder(fresh)) {
            boolean changed = nestless.contains(n.name);
            for (MethodNode m : n.methods) {
                changed |= rewrite(n.name, m, planned, members, false, problems);
                if (nestless.contains(n.name)) changed |= Reach.privates(n.name, m, members);
            }
            String binary = n.name.replace('/', '.');
            // a class file on disk is left to the loader only when it is what would be defined
            defines.add(new NewClass(binary, write(n), !onDisk.contains(binary) || changed));
        }
        Map<ReferenceType, byte[]> classes = new LinkedHashMap<>();
        Map<String, Map.Entry<String, byte[]>> newCompanions = new LinkedHashMap<>(companions);
        for (Map.Entry<ReferenceType, ClassNode> e : nodes.entrySet()) {
            ReferenceType t = e.getKey();
            ClassNode n = e.getValue();
            Outside mine = planned.get(n.name);
            byte[] old = sent.get(t) != null ? sent.get(t) : before.apply(t);
            // its declarations first (a class of a thousand methods is read whole only when it is split below)
            ClassNode oldShape = old == null ? null : shape(old);
            boolean nestChanged = oldShape != null && !java.util.Objects.equals(oldShape.nestMembers, n.nestMembers);
            boolean renamed = lambdasRenamed(n, compiled.get(t));
            if (mine.isEmpty() && !nestChanged && !renamed && !lacksLoaded(t, n) && !refersOutside(n, planned, members)
                    && !nestless.contains(n.name)) {
                classes.put(t, compiled.get(t));
                continue;
            }
            ClassNode oldNode = old == null ? null : read(old);
            ClassNode companion = new ClassNode();
            ClassNode redefined = split(t, n, oldNode, !nestless.contains(n.name), mine, companion, problems);
            companion.methods.addAll(carried.get(n.name));
            for (MethodNode m : redefined.methods) {
                rewrite(n.name, m, planned, members, false, problems);
                if (nestless.contains(n.name)) Reach.privates(n.name, m, members);
            }
            for (MethodNode m : companion.methods) {
                rewrite(n.name, m, planned, members, true, problems);
                Reach.protectedOnes(n.name, m, members);
                if (nestless.contains(n.name)) Reach.privates(n.name, m, members);
            }
            classes.put(t, write(redefined));
            if (!companion.methods.isEmpty()) {
                // numbered here, not on commit: a refused swap's number is never used again
                newCompanions.put(n.name, Map.entry(n.name + "#" + (++version), write(companion)));
            }
        }
        Map<String, byte[]> handOver = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> c : newCompanions.values()) handOver.put(c.getKey(), c.getValue());
        boolean changes = !newCompanions.equals(companions);
        Runnable commit = () -> {
            synchronized (this) {
                outsideNest.addAll(nestless);
                outside.putAll(planned);
                companions.putAll(newCompanions);
                classes.forEach(sent::put);
            }
        };
        return new Fitted(classes, changes ? handOver : Map.of(), defines, problems, commit);
    }

    /**
     * The fit of classes whose members are the running classes' (one method's code replaced in
     * the bytes they run, see {@link StubbedCompile}) when no reload of the session has added a
     * member anywhere: they go as they are, and nothing is read. Null when something was added
     * (the bytes are then fitted whole).
     */
    synchronized Fitted asRunning(Map<ReferenceType, byte[]> compiled, Function<ReferenceType, byte[]> before) {
        if (!outside.isEmpty() || !companions.isEmpty() || !outsideNest.isEmpty()) return null;
        for (ReferenceType t : compiled.keySet()) {
            byte[] sentBefore = sent.get(t);
            // the JVM runs what the merge started from (a lambda renamed by an earlier fit would differ)
            if (sentBefore != null && !java.util.Arrays.equals(sentBefore, before.apply(t))) return null;
        }
        Map<ReferenceType, byte[]> classes = new LinkedHashMap<>(compiled);
        return new Fitted(classes, Map.of(), List.of(), List.of(), () -> {
            synchronized (this) {
                classes.forEach(sent::put);
            }
        });
    }

    /** Whether {@link LambdaNames} renamed a lambda body of the class (its bytes must then be written anew). */
    private static boolean lambdasRenamed(ClassNode n, byte[] javac) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (MethodNode m : shape(javac).methods) names.add(m.name);
        for (MethodNode m : n.methods) if (!names.contains(m.name)) return true;
        return false;
    }

    /**
     * What reloads before added to the class and the edit no longer declares stays outside it,
     * its methods in the new companion too: code that is not reloaded, or a frame still running an
     * older version, may call them. Returns those methods, from the last companion.
     */
    private static List<MethodNode> carry(String owner, Outside mine, Outside before, Map.Entry<String, byte[]> lastCompanion) {
        List<MethodNode> out = new ArrayList<>();
        if (before == null || lastCompanion == null) return out;
        ClassNode last = read(lastCompanion.getValue());
        for (Map.Entry<String, Boolean> e : before.methods().entrySet()) {
            if (mine.methods().containsKey(e.getKey())) continue;
            String name = e.getKey().substring(0, e.getKey().indexOf('('));
            String desc = e.getKey().substring(name.length());
            String companionDesc = e.getValue() ? desc : receiverFirst(owner, desc);
            for (MethodNode m : last.methods) if (m.name.equals(name) && m.desc.equals(companionDesc)) out.add(m);
        }
        return out;
    }

    /** The edit's added members, with those added before that it no longer declares. */
    private static Outside merged(Outside mine, Outside before) {
        if (before == null || before.isEmpty()) return mine;
        Map<String, Boolean> methods = new LinkedHashMap<>(before.methods());
        methods.putAll(mine.methods());
        Map<String, Boolean> fields = new LinkedHashMap<>(before.fields());
        fields.putAll(mine.fields());
        return new Outside(methods, fields);
    }

    /**
     * An added instance method runs as its class's, whatever the receiver's class: a subclass
     * declaring the same method (loaded, or added in the same edit) would not override it. Named.
     */
    private static void overriddenInPlan(java.util.Collection<ClassNode> classes, Map<String, Outside> planned, ClassMembers members,
                                         List<String> problems) {
        for (ClassNode sub : classes) {
            Outside subAdded = planned.get(sub.name);
            for (String sup = members.superOf(sub.name); sup != null; sup = members.superOf(sup)) {
                Outside supAdded = planned.get(sup);
                if (supAdded == null) continue;
                for (Map.Entry<String, Boolean> m : supAdded.methods().entrySet()) {
                    if (m.getValue()) continue;
                    boolean declares = subAdded != null && subAdded.methods().containsKey(m.getKey());
                    for (MethodNode mn : sub.methods) declares |= (mn.name + mn.desc).equals(m.getKey());
                    if (declares) {
                        problems.add(sub.name.replace('/', '.').replace('$', '.') + "." + StructureCheck.readable(m.getKey())
                                + " would override a method the edit adds to " + sup.replace('/', '.').replace('$', '.')
                                + " (a method a reload adds is not overridden)");
                    }
                }
            }
        }
    }

    private static boolean nodesHave(Map<ReferenceType, ClassNode> nodes, String name) {
        for (ClassNode n : nodes.values()) if (n.name.equals(name)) return true;
        return false;
    }

    /**
     * The bytes of a class as this session defines it: a class defined outside its outer class's
     * nest (see {@link Reach#leaveNest}) is compiled the same way each time, so a reload of it changes
     * only what the edit changed.
     */
    synchronized byte[] asDefined(String binaryName, byte[] bytes) {
        if (!outsideNest.contains(binaryName.replace('.', '/'))) return bytes;
        ClassNode n = read(bytes);
        Reach.leaveNest(n);
        return write(n);
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

    static String fieldDesc(int op, String owner, String desc) {
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
        // what the class captures (javac's synthetic fields): fields the user declares may be added
        for (FieldNode f : old.fields) if ((f.access & Opcodes.ACC_SYNTHETIC) != 0) oldFields.add(f.name + f.desc);
        for (FieldNode f : n.fields) if ((f.access & Opcodes.ACC_SYNTHETIC) != 0) newFields.add(f.name + f.desc);
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
                boolean virtual = !isStatic && (m.access & Opcodes.ACC_PRIVATE) == 0;
                String inherited = virtual ? inherited(t, m.name, m.desc) : null;
                String overridden = virtual && inherited == null ? overriddenBy(t, m.name, m.desc) : null;
                if (inherited != null) {
                    problems.add(label + at + " overrides or implements " + inherited + " (a reload cannot add a method that overrides "
                            + "an inherited one)");
                } else if (overridden != null) {
                    problems.add(label + at + " is overridden by " + overridden + " (a method a reload adds is not overridden; make it "
                            + "private, static, or give it another name)");
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

    /** A loaded subclass's method that a new one would have overridden, named; else null. */
    private static String overriddenBy(ReferenceType t, String name, String desc) {
        if (!(t instanceof ClassType ct)) return null;
        java.util.Deque<ClassType> todo = new java.util.ArrayDeque<>(ct.subclasses());
        while (!todo.isEmpty()) {
            ClassType sub = todo.poll();
            if (!sub.methodsByName(name, desc).isEmpty() && sub.methodsByName(name, desc).get(0).declaringType().equals(sub)) {
                return sub.name().replace('$', '.') + "." + StructureCheck.readable(name + desc);
            }
            todo.addAll(sub.subclasses());
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
        MethodNode clinit = null;
        for (MethodNode m : n.methods) if (m.name.equals("<clinit>")) clinit = m;
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
        kept.remove("<clinit>()V"); // a static initializer the loaded class lacks never runs; the added fields' parts go below
        if (!kept.isEmpty()) problems.add("the loaded class lacks " + kept.keySet()); // cannot happen: outsideOf moved or refused them
        for (FieldNode f : n.fields) {
            Boolean isStatic = mine.fields().get(f.name + ":" + f.desc);
            if (isStatic == null || !isStatic) continue;
            MethodNode init = StaticInitializers.of(n.name, f, clinit, problems);
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

    static String receiverFirst(String owner, String desc) {
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

    // ---------------------------------------------------------------- uses of added members

    private static boolean refersOutside(ClassNode n, Map<String, Outside> planned, ClassMembers members) {
        for (MethodNode m : n.methods) {
            for (AbstractInsnNode i : m.instructions) {
                if (i instanceof MethodInsnNode mi && declaring(planned, members, mi.owner, mi.name + mi.desc, false) != null) return true;
                if (i instanceof FieldInsnNode fi && declaring(planned, members, fi.owner, fi.name + ":" + fi.desc, true) != null) return true;
                if (i instanceof InvokeDynamicInsnNode indy && lambdaImpl(indy, planned) != null) return true;
            }
        }
        return false;
    }

    /**
     * The class that added the member a use names, found as the JVM resolves the use (javac names
     * the receiver's static type, which may be a subclass); null when the member is not an added one.
     */
    private static String declaring(Map<String, Outside> planned, ClassMembers members, String owner, String key, boolean field) {
        boolean anywhere = false;
        for (Outside o : planned.values()) anywhere |= (field ? o.fields() : o.methods()).containsKey(key);
        if (!anywhere) return null;
        for (String c = owner; c != null; c = members.superOf(c)) {
            Outside o = planned.get(c);
            if (o != null && (field ? o.fields() : o.methods()).containsKey(key)) return c;
            if (members.declares(c, key, field)) return null; // the class itself declares it: not the added one
        }
        return null;
    }

    private static Boolean methodOutside(Map<String, Outside> planned, String owner, String key) {
        Outside o = planned.get(owner);
        return o == null ? null : o.methods().get(key);
    }

    /** The implementation of a lambda or method reference, when it is an added method; else null. */
    private static Handle lambdaImpl(InvokeDynamicInsnNode indy, Map<String, Outside> planned) {
        if (!indy.bsm.getOwner().equals(METAFACTORY) || indy.bsmArgs.length < 3 || !(indy.bsmArgs[1] instanceof Handle h)) return null;
        return methodOutside(planned, h.getOwner(), h.getName() + h.getDesc()) != null ? h : null;
    }

    /**
     * Turns each use of an added member in {@code m} into an {@code invokedynamic}; true when one
     * was. In a method moved to the companion ({@code moved}), a call of the class's own private
     * method, made with {@code invokespecial}, becomes an {@code invokevirtual} (a nestmate may
     * make it); a super call cannot be made from there.
     */
    private static boolean rewrite(String self, MethodNode m, Map<String, Outside> planned, ClassMembers members, boolean moved,
                                   List<String> problems) {
        boolean changed = false;
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; ) {
            AbstractInsnNode next = i.getNext();
            AbstractInsnNode replacement = null;
            if (i instanceof MethodInsnNode mi) {
                String owner = declaring(planned, members, mi.owner, mi.name + mi.desc, false);
                if (owner != null) {
                    boolean isStatic = planned.get(owner).methods().get(mi.name + mi.desc);
                    String desc = isStatic ? mi.desc : receiverFirst(mi.owner, mi.desc);
                    String companionDesc = isStatic ? mi.desc : receiverFirst(owner, mi.desc);
                    replacement = new InvokeDynamicInsnNode(mi.name, desc, CALL, owner, companionDesc);
                } else if (moved && mi.getOpcode() == Opcodes.INVOKESPECIAL && !mi.name.equals("<init>")) {
                    if (mi.owner.equals(self)) {
                        mi.setOpcode(mi.itf ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL);
                    } else {
                        problems.add("a method added by the edit calls super." + mi.name + "(…) (line " + lineOf(i)
                                + "), which only a method the class had before can do");
                    }
                }
            } else if (i instanceof FieldInsnNode fi) {
                String owner = declaring(planned, members, fi.owner, fi.name + ":" + fi.desc, true);
                if (owner != null) {
                    int op = switch (fi.getOpcode()) {
                        case Opcodes.GETSTATIC -> 0;
                        case Opcodes.PUTSTATIC -> 1;
                        case Opcodes.GETFIELD -> 2;
                        default -> 3;
                    };
                    replacement = new InvokeDynamicInsnNode(fi.name, fieldDesc(op, fi.owner, fi.desc), FIELD, owner, fi.name, fi.desc, op);
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
            if (replacement != null) {
                m.instructions.set(i, replacement);
                changed = true;
            }
            i = next;
        }
        return changed;
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

    /** The class's declarations, without its methods' code. */
    private static ClassNode shape(byte[] bytes) {
        ClassNode n = new ClassNode();
        new ClassReader(bytes).accept(n, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
        return n;
    }

    private static byte[] write(ClassNode n) {
        ClassWriter w = new ClassWriter(0);
        n.accept(w);
        return w.toByteArray();
    }
}
