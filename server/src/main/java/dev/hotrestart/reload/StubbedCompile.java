package dev.hotrestart.reload;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.stmt.BlockStmt;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reload of one method whose file changed only there compiles only what it needs: the file with
 * every other method's body made {@code throw null;} (lines kept, so the method's line table is
 * the file's), then the method's new code (and its lambdas) goes into the bytes the JVM runs for
 * its class, whose other methods stay as they are. javac then checks the signatures of the
 * file and compiles one body, whatever the file's size. Where the result would not be exactly
 * what compiling the whole file gives (a class javac numbers, like an anonymous class or an enum
 * switch's map; a member the method's code needs that the running class lacks; a lambda inside a
 * lambda, or one whose body changed or is new, which javac's own numbering names), {@link #merge}
 * says no and the whole file is compiled as before.
 */
final class StubbedCompile {
    private StubbedCompile() {}

    /** An entry of {@link #bodies}: the offsets of a body's braces, of its declaration's start and name, and whether it may go. */
    static final int OPEN = 0, CLOSE = 1, DECLARED = 2, NAME = 3, NAME_END = 4, REMOVABLE = 5;

    /**
     * Every method body not inside another body (constructors and initializers keep theirs), in
     * text order: see {@link #OPEN} and the others. A method may go from the stubbed text when
     * leaving it out cannot change how the rest compiles, whatever calls it: it has no annotation
     * and cannot override or implement anything (static or private, or its class extends and
     * implements nothing), and it is a member of a named class, record or enum.
     */
    static List<int[]> bodies(CompilationUnit cu, String text) {
        int[] starts = MethodSplicer.lineStarts(text);
        List<int[]> out = new ArrayList<>();
        for (MethodDeclaration m : cu.findAll(MethodDeclaration.class)) {
            if (m.getBody().isEmpty() || insideBody(m)) continue;
            BlockStmt body = m.getBody().get();
            if (body.getRange().isEmpty() || m.getRange().isEmpty() || m.getName().getRange().isEmpty()) return null;
            var r = body.getRange().get();
            var d = m.getRange().get();
            var n = m.getName().getRange().get();
            out.add(new int[]{MethodSplicer.offset(starts, r.begin.line, r.begin.column), MethodSplicer.offset(starts, r.end.line, r.end.column),
                    MethodSplicer.offset(starts, d.begin.line, d.begin.column), MethodSplicer.offset(starts, n.begin.line, n.begin.column),
                    MethodSplicer.offset(starts, n.end.line, n.end.column) + 1, removable(m) ? 1 : 0});
        }
        out.sort((a, b) -> Integer.compare(a[0], b[0]));
        return out;
    }

    private static boolean removable(MethodDeclaration m) {
        if (!m.getAnnotations().isEmpty()) return false;
        Node owner = m.getParentNode().orElse(null);
        boolean free;
        if (owner instanceof com.github.javaparser.ast.body.ClassOrInterfaceDeclaration c) {
            free = !c.isInterface() && c.getExtendedTypes().isEmpty() && c.getImplementedTypes().isEmpty();
        } else if (owner instanceof com.github.javaparser.ast.body.RecordDeclaration r) {
            free = r.getImplementedTypes().isEmpty();
        } else if (owner instanceof com.github.javaparser.ast.body.EnumDeclaration e) {
            free = e.getImplementedTypes().isEmpty();
        } else {
            return false; // an anonymous class's, an enum constant's: what they implement is not written beside them
        }
        return free || m.isStatic() || m.isPrivate();
    }

    private static boolean insideBody(Node n) {
        for (Node up = n.getParentNode().orElse(null); up != null; up = up.getParentNode().orElse(null)) {
            if (up instanceof BlockStmt || up instanceof com.github.javaparser.ast.expr.LambdaExpr) return true;
        }
        return false;
    }

    /**
     * The bodies of a text where {@code [begin, end)} (a method's whole text) was replaced by
     * {@code length} characters: those before it stay, those after it move, those inside it go
     * (the method's own body is the caller's to add, from a parse of it or of the new text).
     */
    static List<int[]> moved(List<int[]> bodies, int begin, int end, int length) {
        List<int[]> out = new ArrayList<>();
        int by = length - (end - begin);
        for (int[] b : bodies) {
            if (b[CLOSE] < begin) {
                out.add(b);
            } else if (b[OPEN] >= end) {
                int[] m = b.clone();
                for (int k = OPEN; k <= NAME_END; k++) m[k] += by;
                out.add(m);
            }
        }
        return out;
    }

    /**
     * The text with every body but those overlapping {@code [keepBegin, keepEnd)} made {@code throw
     * null;}, and the methods that may go ({@link #REMOVABLE}) and that no compiled text names left
     * out, their newlines kept: javac's work then grows with what the method can reach, not with
     * the file.
     */
    static String stub(String text, List<int[]> bodies, int keepBegin, int keepEnd) {
        java.util.Set<String> named = namesOutside(text, bodies, keepBegin, keepEnd);
        if (named == null) return null;
        StringBuilder b = new StringBuilder(text.length());
        int at = 0;
        for (int[] body : bodies) {
            int open = body[OPEN], close = body[CLOSE];
            if (close >= keepBegin && open < keepEnd) continue; // the reloaded method
            if (open < at || close >= text.length() || text.charAt(open) != '{' || text.charAt(close) != '}') return null;
            if (body[REMOVABLE] == 1 && !named.contains(text.substring(body[NAME], body[NAME_END]))) {
                b.append(text, at, body[DECLARED]);
                newlines(b, text, body[DECLARED], close + 1);
                at = close + 1;
                continue;
            }
            b.append(text, at, open + 1).append(" throw null; ");
            newlines(b, text, open + 1, close);
            at = close;
        }
        return b.append(text, at, text.length()).toString();
    }

    /** As many line ends as {@code text} has from {@code from} to before {@code to}: what stays of the text left out. */
    private static void newlines(StringBuilder b, String text, int from, int to) {
        for (int i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) b.append('\n');
    }

    /**
     * The identifiers of the text that is compiled whatever is left out: all but the other
     * methods' bodies and the whole declarations of those that may go (in comments and strings
     * too: a name more only keeps a method more). Null when the offsets do not fit the text.
     */
    private static java.util.Set<String> namesOutside(String text, List<int[]> bodies, int keepBegin, int keepEnd) {
        java.util.Set<String> out = new HashSet<>();
        int at = 0;
        for (int[] body : bodies) {
            if (body[CLOSE] >= keepBegin && body[OPEN] < keepEnd) continue;
            int skipFrom = body[REMOVABLE] == 1 ? body[DECLARED] : body[OPEN];
            if (skipFrom < at || body[CLOSE] >= text.length()) return null;
            identifiers(text, at, skipFrom, out);
            at = body[CLOSE] + 1;
        }
        identifiers(text, at, text.length(), out);
        return out;
    }

    private static void identifiers(String text, int from, int to, java.util.Set<String> out) {
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (Character.isJavaIdentifierStart(c) && (i == from || !Character.isJavaIdentifierPart(text.charAt(i - 1)))) {
                int j = i + 1;
                while (j < to && Character.isJavaIdentifierPart(text.charAt(j))) j++;
                out.add(text.substring(i, j));
                i = j;
            } else {
                i++;
            }
        }
    }

    /**
     * The running class's bytes ({@code running}, javac's) with the method {@code name} whose code
     * lies on lines {@code firstLine} to {@code lastLine}, and its lambdas, from the stubbed
     * compile ({@code stubbed}: binary name → bytes); null when that would not be what a compile
     * of the whole file gives.
     */
    static byte[] merge(byte[] running, Map<String, byte[]> stubbed, String className, String name, int firstLine, int lastLine) {
        try {
            return mergeOrNull(running, stubbed, className, name, firstLine, lastLine);
        } catch (RuntimeException e) { // bytes ASM cannot read or write: the whole file is compiled
            return null;
        }
    }

    private static byte[] mergeOrNull(byte[] running, Map<String, byte[]> stubbed, String className, String name, int firstLine, int lastLine) {
        for (String n : stubbed.keySet()) if (numbered(n)) return null;
        for (byte[] b : stubbed.values()) if (new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains("access$")) return null;
        byte[] mine = stubbed.get(className);
        if (running == null || mine == null) return null;
        Set<String> oldMembers = new HashSet<>();
        ClassNode neu = read(mine);
        ClassNode old = LambdaNames.lambdasOf(running, oldMembers, name); // the running class's lambdas and method(s) of that name, its members' names
        MethodNode method = null;
        for (MethodNode m : neu.methods) {
            int line = firstLine(m);
            if (m.name.equals(name) && line >= firstLine && line <= lastLine) {
                if (method != null) return null;
                method = m;
            }
        }
        if (method == null) return null;
        MethodNode edited = method;
        String desc = method.desc;
        if (!oldMembers.contains(name + desc)) return null;
        // every member the new class has (but lambdas) must be the running class's: a new one is an added member, compiled whole
        // the running lambdas of this method: those whose code lies on its lines (the edit kept them), in line order
        List<MethodNode> oldLambdas = new ArrayList<>();
        for (MethodNode m : old.methods) {
            int line = firstLine(m);
            if (m.name.startsWith("lambda$" + name + "$") && line >= firstLine && line <= lastLine) oldLambdas.add(m);
        }
        oldLambdas.sort((a, b) -> Integer.compare(firstLine(a), firstLine(b)));
        for (FieldNode f : neu.fields) if (!oldMembers.contains(f.name + ":" + f.desc)) return null;
        for (MethodNode m : neu.methods) if (!m.name.startsWith("lambda$") && !oldMembers.contains(m.name + m.desc)) return null;

        Map<String, MethodNode> neuLambdas = new LinkedHashMap<>();
        for (MethodNode m : neu.methods) if (m.name.startsWith("lambda$")) neuLambdas.put(m.name + m.desc, m);
        List<MethodNode> used = new ArrayList<>();
        for (Handle h : lambdaHandles(method, neu.name)) {
            MethodNode l = neuLambdas.get(h.getName() + h.getDesc());
            if (l == null) return null;
            if (!lambdaHandles(l, neu.name).isEmpty()) return null; // a lambda in a lambda: names in names
            if (!used.contains(l)) used.add(l);
        }
        // each lambda takes the running name of the same body in the same method (javac names them lambda$method$N), and its
        // new code goes under that name, as a compile of the whole file has it (new lines, a changed catch); a changed
        // or new body is left to that compile, which knows javac's own numbering
        Map<String, String> renamed = new HashMap<>();
        Set<String> replaced = new HashSet<>();
        for (MethodNode l : used) {
            String body = LambdaNames.body(l);
            String same = null;
            for (MethodNode o : oldLambdas) {
                if (o.desc.equals(l.desc) && o.access == l.access
                        && !replaced.contains(o.name + o.desc) && LambdaNames.body(o).equals(body)) {
                    same = o.name;
                    break;
                }
            }
            if (same == null) return null;
            renamed.put(l.name + l.desc, same);
            replaced.add(same + l.desc);
            l.name = same;
        }
        List<MethodNode> added = used;
        renameHandles(method, neu.name, renamed);

        // nothing changed (a restart without an edit, an edit of a comment): the running bytes, so the class is not redefined
        MethodNode before = null;
        for (MethodNode m : old.methods) if (m.name.equals(name) && m.desc.equals(desc)) before = m;
        // changed modifiers are a change of the class's structure, which the whole compile's check names
        if (before == null || before.access != edited.access) return null;
        boolean same = written(before).equals(written(edited));
        for (MethodNode l : added) {
            MethodNode o = null;
            for (MethodNode m : old.methods) if (m.name.equals(l.name) && m.desc.equals(l.desc)) o = m;
            same &= o != null && written(o).equals(written(l));
        }
        if (same) return running;

        Set<String> inner = new HashSet<>();
        for (InnerClassNode i : old.innerClasses) inner.add(i.name);
        List<InnerClassNode> moreInner = new ArrayList<>();
        for (InnerClassNode i : neu.innerClasses) if (inner.add(i.name)) moreInner.add(i);

        // the running bytes copied as they are (ASM copies unchanged methods without reading them), the method replaced
        ClassReader reader = new ClassReader(running);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String n, String d, String signature, String[] exceptions) {
                // the new code where the old was, so the class's method order stays
                if (n.equals(name) && d.equals(desc)) {
                    edited.accept(cv);
                    return null;
                }
                for (MethodNode l : added) {
                    if (l.name.equals(n) && l.desc.equals(d)) {
                        l.accept(cv);
                        return null;
                    }
                }
                return super.visitMethod(access, n, d, signature, exceptions);
            }

            @Override
            public void visitEnd() {
                for (InnerClassNode i : moreInner) i.accept(cv);
                super.visitEnd();
            }
        }, 0);
        return writer.toByteArray();
    }

    /** The method as a class file writes it alone: equal for the same code, lines, flags, signature and annotations. */
    private static String written(MethodNode m) {
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "M", null, "java/lang/Object", null);
        m.accept(w);
        w.visitEnd();
        return java.util.Base64.getEncoder().encodeToString(w.toByteArray());
    }

    /** A class javac names by a number ({@code Outer$1}, {@code Outer$1Local}): its number depends on the bodies stubbed. */
    static boolean numbered(String binaryName) {
        for (String part : binaryName.substring(binaryName.lastIndexOf('.') + 1).split("\\$")) {
            if (!part.isEmpty() && Character.isDigit(part.charAt(0))) return true;
        }
        return false;
    }

    /** The handles of the lambda bodies in the class that the method's invokedynamics name. */
    private static List<Handle> lambdaHandles(MethodNode m, String owner) {
        List<Handle> out = new ArrayList<>();
        for (AbstractInsnNode i : m.instructions) {
            if (!(i instanceof InvokeDynamicInsnNode indy)) continue;
            for (Object a : indy.bsmArgs) {
                if (a instanceof Handle h && h.getOwner().equals(owner) && h.getName().startsWith("lambda$")) out.add(h);
            }
        }
        return out;
    }

    private static void renameHandles(MethodNode m, String owner, Map<String, String> renamed) {
        for (AbstractInsnNode i : m.instructions) {
            if (!(i instanceof InvokeDynamicInsnNode indy)) continue;
            for (int k = 0; k < indy.bsmArgs.length; k++) {
                if (indy.bsmArgs[k] instanceof Handle h && h.getOwner().equals(owner) && renamed.containsKey(h.getName() + h.getDesc())) {
                    indy.bsmArgs[k] = new Handle(h.getTag(), h.getOwner(), renamed.get(h.getName() + h.getDesc()), h.getDesc(), h.isInterface());
                }
            }
        }
    }

    private static int firstLine(MethodNode m) {
        for (AbstractInsnNode i : m.instructions) if (i instanceof org.objectweb.asm.tree.LineNumberNode l) return l.line;
        return -1;
    }

    private static MethodNode find(ClassNode n, String name, String desc) {
        for (MethodNode m : n.methods) if (m.name.equals(name) && m.desc.equals(desc)) return m;
        return null;
    }

    private static ClassNode read(byte[] bytes) {
        ClassNode n = new ClassNode();
        new ClassReader(bytes).accept(n, 0);
        return n;
    }
}
