package dev.hotrestart.reload;

import com.github.javaparser.Range;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.SimpleName;
import dev.hotrestart.reload.MethodSplicer.Found;
import dev.hotrestart.reload.MethodSplicer.MethodId;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a method-scope reload brings besides the edited method: the methods, fields and nested
 * classes the edit adds to the method's class that the method uses, and those they use in turn. Other edits of
 * the file wait. A member counts as used when its name appears in the code that uses it, which
 * may bring one member too many (a same-named local), never one too few.
 */
final class NeededMembers {
    /** A member declared by the edited file and not by the text the JVM runs: its text and where it begins there. */
    /** {@code beginOffset}: where {@code text} starts in the edited file. */
    record Member(String text, int beginLine, int beginOffset, List<MethodId> methods, String label) {}

    private NeededMembers() {}

    /** The members to bring, in the order the edited file declares them. */
    static List<Member> of(CompilationUnit base, CompilationUnit edited, String editedText, Found neu, MethodId id) {
        Optional<Node> parent = neu.decl().getParentNode();
        if (parent.isEmpty() || !(parent.get() instanceof TypeDeclaration<?> type)) return List.of();
        TypeDeclaration<?> baseType = typeAt(base, id.typePath());
        if (baseType == null) return List.of();
        Set<String> had = keys(baseType);
        Map<BodyDeclaration<?>, Set<String>> added = new LinkedHashMap<>();
        for (BodyDeclaration<?> m : type.getMembers()) {
            if (!(m instanceof MethodDeclaration) && !(m instanceof FieldDeclaration) && !(m instanceof TypeDeclaration)) continue;
            Set<String> k = keysOf(m);
            k.removeAll(had);
            if (!k.isEmpty()) added.put(m, names(m));
        }
        Set<String> used = names(neu.decl());
        List<BodyDeclaration<?>> brought = new ArrayList<>();
        for (boolean more = true; more; ) {
            more = false;
            for (Map.Entry<BodyDeclaration<?>, Set<String>> e : added.entrySet()) {
                if (brought.contains(e.getKey()) || !used.contains(nameOf(e.getKey()))) continue;
                brought.add(e.getKey());
                used.addAll(e.getValue());
                more = true;
            }
        }
        int[] lineStarts = MethodSplicer.lineStarts(editedText);
        List<Member> out = new ArrayList<>();
        for (BodyDeclaration<?> m : type.getMembers()) {
            if (!brought.contains(m)) continue;
            Range r = m.getRange().orElseThrow();
            int begin = MethodSplicer.offset(lineStarts, r.begin.line, r.begin.column);
            String text = editedText.substring(begin, MethodSplicer.offset(lineStarts, r.end.line, r.end.column) + 1);
            List<MethodId> methods = new ArrayList<>();
            List<MethodDeclaration> inside = m instanceof MethodDeclaration md ? List.of(md) : m.findAll(MethodDeclaration.class);
            for (MethodDeclaration md : inside) {
                List<String> path = MethodSplicer.typePath(md);
                if (path != null) methods.add(new MethodId(path, md.getNameAsString(), MethodSplicer.paramTypes(md)));
            }
            String label = m instanceof MethodDeclaration ? methods.get(0).label() : String.join(".", id.typePath()) + "." + nameOf(m);
            out.add(new Member(text, r.begin.line, begin, methods, label));
        }
        return out;
    }

    private static TypeDeclaration<?> typeAt(CompilationUnit cu, List<String> path) {
        for (TypeDeclaration<?> t : cu.findAll(TypeDeclaration.class)) {
            List<String> p = MethodSplicer.typePath(t);
            if (p == null) continue;
            List<String> full = new ArrayList<>(p);
            full.add(t.getNameAsString());
            if (full.equals(path)) return t;
        }
        return null;
    }

    private static Set<String> keys(TypeDeclaration<?> t) {
        Set<String> out = new HashSet<>();
        for (BodyDeclaration<?> m : t.getMembers()) out.addAll(keysOf(m));
        return out;
    }

    /** A method's name and parameter types; each variable a field declaration declares. */
    private static Set<String> keysOf(BodyDeclaration<?> m) {
        Set<String> out = new HashSet<>();
        if (m instanceof MethodDeclaration md) out.add(md.getNameAsString() + MethodSplicer.paramTypes(md));
        if (m instanceof FieldDeclaration fd) for (VariableDeclarator v : fd.getVariables()) out.add(v.getNameAsString());
        if (m instanceof TypeDeclaration<?> td) out.add("class " + td.getNameAsString());
        return out;
    }

    private static String nameOf(BodyDeclaration<?> m) {
        if (m instanceof MethodDeclaration md) return md.getNameAsString();
        if (m instanceof TypeDeclaration<?> td) return td.getNameAsString();
        return ((FieldDeclaration) m).getVariables().get(0).getNameAsString();
    }

    private static Set<String> names(Node n) {
        Set<String> out = new HashSet<>();
        for (SimpleName s : n.findAll(SimpleName.class)) out.add(s.getIdentifier());
        return out;
    }

    /**
     * Where the members go in {@code text} (the text the JVM runs, the edited method already in):
     * before the closing brace of the method's class, when nothing but closing braces follows it,
     * so no line of other code moves. -1 when something does.
     */
    static int insertionPoint(CompilationUnit base, String baseText, MethodId id, int shift) {
        TypeDeclaration<?> t = typeAt(base, id.typePath());
        if (t == null || t.getRange().isEmpty()) return -1;
        Range r = t.getRange().get();
        int close = MethodSplicer.offset(MethodSplicer.lineStarts(baseText), r.end.line, r.end.column);
        for (int i = close + 1; i < baseText.length(); i++) {
            char c = baseText.charAt(i);
            if (c != '}' && !Character.isWhitespace(c)) return -1;
        }
        return close + shift;
    }
}
