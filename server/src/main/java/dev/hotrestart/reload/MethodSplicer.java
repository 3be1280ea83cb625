package dev.hotrestart.reload;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParseStart;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.Providers;
import com.github.javaparser.Range;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.EnumConstantDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.nodeTypes.NodeWithTypeParameters;
import com.github.javaparser.ast.stmt.LocalClassDeclarationStmt;
import com.github.javaparser.ast.type.TypeParameter;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a method in source text by its class path, name and parameter types, wherever it
 * moved, and splices the edited method into the older text of the file.
 */
public final class MethodSplicer {
    private static final ThreadLocal<JavaParser> PARSER = ThreadLocal.withInitial(() -> {
        ParserConfiguration config = new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.BLEEDING_EDGE)
                .setAttributeComments(false);
        // no validation pass: javac checks the code anyway, and it halves the parse time of a reload
        config.getProcessors().clear();
        return new JavaParser(config);
    });

    /** This thread's parser, set up as reloads parse (newest language level, no validation pass, no comments attributed). */
    public static JavaParser parser() {
        return PARSER.get();
    }

    /** A method as the JVM names it: nested class path (Outer, Inner), name and erased parameter types. */
    public record MethodId(List<String> typePath, String name, List<String> paramTypes) {
        /** From a binary class name, e.g. com.acme.Outer$Inner, and JDI's argument type names. */
        public static MethodId of(String className, String name, List<String> argTypeNames) {
            String simple = className.substring(className.lastIndexOf('.') + 1);
            List<String> path = List.of(simple.split("\\$"));
            List<String> params = new ArrayList<>();
            for (String a : argTypeNames) params.add(simpleType(a));
            return new MethodId(path, name, params);
        }

        /** Anonymous and local classes have numbered names: they cannot be found by name. */
        public boolean inNamedTypes() {
            for (String p : typePath) if (p.isEmpty() || Character.isDigit(p.charAt(0))) return false;
            return true;
        }

        public String key() {
            return String.join(".", typePath) + "." + name + "(" + String.join(",", paramTypes) + ")";
        }

        public String label() {
            return String.join(".", typePath) + "." + name + "(" + String.join(", ", paramTypes) + ")";
        }
    }

    /** One method found in a text: its lines and character range. */
    public record Found(MethodDeclaration decl, int beginLine, int endLine, int beginOffset, int endOffset) {}

    /** The last few parses by text: a reload's spliced text is the next reload's base. */
    private static final java.util.Map<String, CompilationUnit> RECENT = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, CompilationUnit> e) {
                    return size() > 6;
                }
            });

    public static CompilationUnit parse(String text, String fileName) {
        CompilationUnit cached = RECENT.get(text);
        if (cached != null) return cached;
        CompilationUnit cu = parseNew(text, fileName);
        RECENT.put(text, cu);
        return cu;
    }

    /** The parse of this very text when one is kept, else null (no parse now). */
    static CompilationUnit parseIfKnown(String text) {
        return RECENT.get(text);
    }

    /** Parses without the cache, for practice only (see {@link Rehearsal#editExpected}); the result is not kept. */
    static void parseForPractice(String text) {
        PARSER.get().parse(text);
    }

    private static CompilationUnit parseNew(String text, String fileName) {
        ParseResult<CompilationUnit> r = PARSER.get().parse(text);
        if (!r.isSuccessful() || r.getResult().isEmpty()) {
            List<CompileFailure.Diagnostic> found = new ArrayList<>();
            for (Problem p : r.getProblems()) {
                var at = p.getLocation().flatMap(l -> l.getBegin().getRange()).map(rg -> rg.begin);
                found.add(new CompileFailure.Diagnostic(fileName, at.map(b -> b.line).orElse(0), at.map(b -> b.column).orElse(0),
                        firstLine(p.getMessage())));
                if (found.size() >= 10) break;
            }
            throw new CompileFailure(found);
        }
        return r.getResult().get();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** All methods matching the id in a parsed text. */
    public static List<Found> find(CompilationUnit cu, String text, MethodId id) {
        int[] lineStarts = lineStarts(text);
        List<Found> out = new ArrayList<>();
        for (MethodDeclaration m : cu.findAll(MethodDeclaration.class)) {
            if (!m.getNameAsString().equals(id.name())) continue;
            List<String> path = typePath(m);
            if (path == null || !path.equals(id.typePath())) continue;
            if (!paramsMatch(m, id.paramTypes())) continue;
            Range r = m.getRange().orElse(null);
            if (r == null) continue;
            out.add(new Found(m, r.begin.line, r.end.line, offset(lineStarts, r.begin.line, r.begin.column),
                    offset(lineStarts, r.end.line, r.end.column) + 1));
        }
        return out;
    }

    /** The methods matching each of the ids, as {@link #find} gives them, from one walk of the parse. */
    static Map<MethodId, List<Found>> findEach(CompilationUnit cu, String text, java.util.Collection<MethodId> ids) {
        Map<String, List<MethodId>> byName = new java.util.HashMap<>();
        for (MethodId id : ids) byName.computeIfAbsent(id.name(), k -> new ArrayList<>()).add(id);
        Map<MethodId, List<Found>> out = new java.util.LinkedHashMap<>();
        for (MethodId id : ids) out.put(id, new ArrayList<>());
        if (ids.isEmpty()) return out;
        int[] lineStarts = lineStarts(text);
        for (MethodDeclaration m : cu.findAll(MethodDeclaration.class)) {
            List<MethodId> named = byName.get(m.getNameAsString());
            if (named == null) continue;
            List<String> path = typePath(m);
            Range r = m.getRange().orElse(null);
            if (path == null || r == null) continue;
            for (MethodId id : named) {
                if (!path.equals(id.typePath()) || !paramsMatch(m, id.paramTypes())) continue;
                out.get(id).add(new Found(m, r.begin.line, r.end.line, offset(lineStarts, r.begin.line, r.begin.column),
                        offset(lineStarts, r.end.line, r.end.column) + 1));
            }
        }
        return out;
    }

    /**
     * Whether two parsed texts have the same tokens, whitespace and comments aside, outside the
     * given ranges of offsets ({@code [begin, end)}) of each: what compiles from them differs only there.
     */
    static boolean sameTokensOutside(CompilationUnit a, String aText, List<int[]> aSkip, CompilationUnit b, String bText,
                                     List<int[]> bSkip) {
        var at = tokensOutside(a, aText, aSkip);
        var bt = tokensOutside(b, bText, bSkip);
        if (at == null || bt == null) return false;
        while (at.hasNext() && bt.hasNext()) {
            com.github.javaparser.JavaToken x = at.next(), y = bt.next();
            if (x.getKind() != y.getKind() || !x.getText().equals(y.getText())) return false;
        }
        return !at.hasNext() && !bt.hasNext();
    }

    private static java.util.Iterator<com.github.javaparser.JavaToken> tokensOutside(CompilationUnit cu, String text, List<int[]> skip) {
        var range = cu.getTokenRange().orElse(null);
        if (range == null) return null;
        int[] lineStarts = lineStarts(text);
        List<com.github.javaparser.JavaToken> out = new ArrayList<>();
        for (com.github.javaparser.JavaToken t : range) {
            if (t.getKind() == com.github.javaparser.GeneratedJavaParserConstants.EOF || t.getCategory().isWhitespace()) continue;
            // a comment is nothing to javac unless a unicode escape in it ends it, or it deprecates
            if (t.getCategory().isComment() && !t.getText().contains("\\u") && !t.getText().contains("@deprecated")) continue;
            Range r = t.getRange().orElse(null);
            if (r == null) return null;
            int offset = offset(lineStarts, r.begin.line, r.begin.column);
            boolean skipped = false;
            for (int[] s : skip) skipped |= offset >= s[0] && offset < s[1];
            if (!skipped) out.add(t);
        }
        return out.iterator();
    }

    /**
     * Whether the text declares a class javac names by a number (an anonymous class, a local class
     * or record, an enum constant's body): where it stands among the others decides its name.
     */
    static boolean declaresNumberedClasses(CompilationUnit cu) {
        return cu.findFirst(ObjectCreationExpr.class, e -> e.getAnonymousClassBody().isPresent()).isPresent()
                || cu.findFirst(LocalClassDeclarationStmt.class).isPresent()
                || cu.findFirst(com.github.javaparser.ast.stmt.LocalRecordDeclarationStmt.class).isPresent()
                || cu.findFirst(EnumConstantDeclaration.class, c -> !c.getClassBody().isEmpty()).isPresent();
    }

    /** The one method matching the id, or an error saying it is gone or ambiguous. */
    public static Found findOne(CompilationUnit cu, String text, MethodId id, String fileName) {
        List<Found> found = find(cu, text, id);
        if (found.isEmpty()) {
            throw new UserError(ErrorId.METHOD_NOT_FOUND, id.label() + " is not in " + fileName + " any more (renamed, removed, or its parameter types changed). "
                    + "Restore it, or restart the program to run the new code.");
        }
        if (found.size() > 1) {
            throw new UserError(ErrorId.METHOD_NOT_FOUND, id.label() + " is declared " + found.size() + " times in " + fileName + " (lines "
                    + found.get(0).beginLine() + " and " + found.get(1).beginLine() + "); keep one.");
        }
        return found.get(0);
    }

    /** Names of the enclosing named types, outermost first; null inside anonymous or local classes. */
    static List<String> typePath(Node n) {
        List<String> path = new ArrayList<>();
        Node cur = n.getParentNode().orElse(null);
        while (cur != null) {
            // anonymous classes, enum constant bodies and local classes have numbered binary names
            if (cur instanceof ObjectCreationExpr || cur instanceof LocalClassDeclarationStmt
                    || cur instanceof EnumConstantDeclaration) {
                return null;
            }
            if (cur instanceof TypeDeclaration<?> td) {
                path.add(0, td.getNameAsString());
            }
            cur = cur.getParentNode().orElse(null);
        }
        return path;
    }

    private static boolean paramsMatch(CallableDeclaration<?> m, List<String> want) {
        return m.getParameters().size() == want.size() && paramTypes(m).equals(want);
    }

    /** A declaration's parameter types as a {@link MethodId} has them: simple, erased names. */
    static List<String> paramTypes(CallableDeclaration<?> m) {
        Map<String, String> typeVars = typeVariables(m);
        List<String> out = new ArrayList<>();
        for (Parameter p : m.getParameters()) {
            String t = p.getType().asString();
            String raw = t.replaceAll("<.*>", "");
            int dims = 0;
            while (raw.endsWith("[]")) {
                raw = raw.substring(0, raw.length() - 2).trim();
                dims++;
            }
            if (p.isVarArgs()) dims++;
            String simple = simpleType(raw) + "[]".repeat(dims);
            String base = simpleType(raw);
            if (typeVars.containsKey(base)) simple = typeVars.get(base) + "[]".repeat(dims); // erased to its first bound
            out.add(simple);
        }
        return out;
    }

    /** The type variables in scope, innermost first, each with the simple name of its erasure. */
    private static Map<String, String> typeVariables(Node n) {
        Map<String, String> out = new HashMap<>();
        for (Node cur = n; cur != null; cur = cur.getParentNode().orElse(null)) {
            if (cur instanceof NodeWithTypeParameters<?> w) {
                for (TypeParameter tp : w.getTypeParameters()) {
                    String erasure = tp.getTypeBound().isEmpty() ? "Object"
                            : simpleType(tp.getTypeBound().get(0).asString().replaceAll("<.*>", ""));
                    out.putIfAbsent(tp.getNameAsString(), erasure);
                }
            }
        }
        // a bound that is itself a type variable (<T, U extends T>) erases to that one's erasure
        for (int round = 0; round < out.size(); round++) out.replaceAll((k, v) -> out.getOrDefault(v, v));
        return out;
    }

    /** java.util.Map$Entry → Entry; int[] stays int[]; a.b.C → C. */
    static String simpleType(String name) {
        int dims = 0;
        String n = name.trim();
        while (n.endsWith("[]")) {
            n = n.substring(0, n.length() - 2);
            dims++;
        }
        int cut = Math.max(n.lastIndexOf('.'), n.lastIndexOf('$'));
        return n.substring(cut + 1) + "[]".repeat(dims);
    }

    /**
     * The older text with the edited method in place of its old version. Imports the edit
     * needs are added at the end of an existing line, so no line moves.
     */
    public static String splice(String base, Found old, String edited, Found neu, CompilationUnit baseCu, CompilationUnit editedCu) {
        StringBuilder b = new StringBuilder(base);
        b.replace(old.beginOffset(), old.endOffset(), edited.substring(neu.beginOffset(), neu.endOffset()));
        Set<String> have = new HashSet<>();
        for (ImportDeclaration i : baseCu.getImports()) have.add(i.toString().trim());
        Set<String> add = new LinkedHashSet<>();
        for (ImportDeclaration i : editedCu.getImports()) {
            String s = i.toString().trim();
            if (!have.contains(s)) add.add(s);
        }
        if (!add.isEmpty()) {
            int at = -1;
            if (!baseCu.getImports().isEmpty()) {
                Range r = baseCu.getImports().get(baseCu.getImports().size() - 1).getRange().orElse(null);
                if (r != null) at = offset(lineStarts(base), r.end.line, r.end.column) + 1;
            } else if (baseCu.getPackageDeclaration().isPresent()) {
                Range r = baseCu.getPackageDeclaration().get().getRange().orElse(null);
                if (r != null) at = offset(lineStarts(base), r.end.line, r.end.column) + 1;
            }
            if (at >= 0 && at <= old.beginOffset()) b.insert(at, " " + String.join(" ", add));
        }
        return b.toString();
    }

    /**
     * The edited method, when the edit lies inside it: the edited text is the older one with only
     * the method's text changed, so the edited file needs no parse of its own (the splice is the
     * edited text itself). Null when anything outside the method changed, or the changed text is
     * not that one method; then the whole file must be parsed.
     */
    public static Found editedInPlace(String base, Found old, String edited, MethodId id) {
        int prefix = old.beginOffset();
        int suffix = base.length() - old.endOffset();
        if (edited.length() < prefix + suffix + 1 || !edited.regionMatches(0, base, 0, prefix)
                || !edited.regionMatches(edited.length() - suffix, base, old.endOffset(), suffix)) {
            return null;
        }
        String text = edited.substring(prefix, edited.length() - suffix);
        ParseResult<BodyDeclaration<?>> r = PARSER.get().parse(ParseStart.CLASS_BODY, Providers.provider(text));
        if (!r.isSuccessful() || r.getResult().isEmpty() || !(r.getResult().get() instanceof MethodDeclaration m)) return null;
        // the parameters must still be the method's (without its class around it, type variables of
        // the class are not known: such a method takes the long way)
        if (!m.getNameAsString().equals(id.name()) || !paramsMatch(m, id.paramTypes())) return null;
        int lines = 0;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') lines++;
        return new Found(m, old.beginLine(), old.beginLine() + lines, prefix, prefix + text.length());
    }

    /** Parameters the method assigns to: a re-run starts with the values they have now. */
    public static List<String> reassignedParameters(MethodDeclaration m) {
        Set<String> params = new HashSet<>();
        for (Parameter p : m.getParameters()) params.add(p.getNameAsString());
        Set<String> out = new LinkedHashSet<>();
        for (AssignExpr a : m.findAll(AssignExpr.class)) {
            if (a.getTarget() instanceof NameExpr n && params.contains(n.getNameAsString())) out.add(n.getNameAsString());
        }
        for (UnaryExpr u : m.findAll(UnaryExpr.class)) {
            if ((u.isPrefix() || u.isPostfix()) && u.getOperator() != UnaryExpr.Operator.LOGICAL_COMPLEMENT
                    && u.getOperator() != UnaryExpr.Operator.MINUS && u.getOperator() != UnaryExpr.Operator.PLUS
                    && u.getOperator() != UnaryExpr.Operator.BITWISE_COMPLEMENT
                    && u.getExpression() instanceof NameExpr n && params.contains(n.getNameAsString())) {
                out.add(n.getNameAsString());
            }
        }
        return new ArrayList<>(out);
    }

    static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') starts.add(i + 1);
        int[] out = new int[starts.size()];
        for (int i = 0; i < out.length; i++) out[i] = starts.get(i);
        return out;
    }

    static int offset(int[] lineStarts, int line, int column) {
        return lineStarts[line - 1] + column - 1;
    }
}
