package dev.hotrestart.reload;

import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.SwitchExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.LocalClassDeclarationStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.ThrowStmt;
import com.github.javaparser.ast.stmt.TryStmt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a breakpoint's condition can be compiled into the method, and the text that does it. The
 * test goes in front of the statement the line starts, on the same line, so no line number moves:
 * {@code try { if (condition) { int hotrestart$c = M; } } catch (Throwable hotrestart$e) { try { int hotrestart$t = M + 1; }
 * catch (Throwable f) { } }}. Only hits where the condition holds reach the two marker stores
 * ({@code sipush M}, and {@code sipush M + 1} where the condition threw). Where the agent's hook is
 * reachable, {@link HookMarks} turns each store into a call of the hook with the marker, and the
 * debugger's breakpoint is in the hook, so the method itself has none and stays JIT-compiled;
 * elsewhere the breakpoints are on the stores. The line must start one
 * simple statement (an expression, a local declaration, a return, a throw) directly in a block, the
 * only code on the line, with no lambda or class body in it (those are code of other methods on
 * the same line, where the debugger's breakpoint would stop too); the condition must be one line
 * of plain Java with no lambda, method reference, class body or switch. A function breakpoint's
 * test goes in front of the first statement of the method it names, whatever that statement is:
 * it runs once per call.
 */
public final class ConditionSites {
    private ConditionSites() {}

    /** The first marker value: {@code sipush} takes 128 to 32767; each site takes two. */
    public static final int FIRST_MARKER = 23_456; // not a round number: programs seldom hold it themselves

    /**
     * A condition to compile in at a line; {@code marker} and marker + 1 are its two stores.
     * {@code entry}: a function breakpoint's, tested once per call of the method of that name
     * whose first statement starts the line (null: a line breakpoint's).
     */
    public record Site(int line, String condition, int marker, String entry) {
        public Site(int line, String condition, int marker) {
            this(line, condition, marker, null);
        }
    }

    /**
     * The text with the sites that fit compiled in; for each site that does not fit, why
     * ({@code refused}: the same whenever it is tried; {@code retried}: javac refused the file's
     * conditions together, worth another try once they change).
     */
    public record Instrumented(String text, List<Site> placed, Map<Site, String> refused, Map<Site, String> retried) {
        public Instrumented(String text, List<Site> placed, Map<Site, String> refused) {
            this(text, placed, refused, Map.of());
        }
    }

    public static Instrumented instrument(CompilationUnit cu, String text, List<Site> sites) {
        Map<Site, String> refused = new LinkedHashMap<>();
        List<Site> placed = new ArrayList<>();
        List<int[]> inserts = new ArrayList<>(); // line, column (1-based), index into placed
        for (Site s : sites) {
            String why = conditionProblem(s.condition());
            Statement st = why != null ? null : s.entry() != null ? firstStatementAt(cu, s.line(), s.entry()) : statementAt(cu, s.line());
            if (why == null && st == null && s.entry() != null) {
                why = "the first code of " + s.entry() + " at line " + s.line() + " is not where its first statement starts "
                        + "(an empty method, or a first statement such as a try or a do whose code starts on a later line)";
            } else if (why == null && st == null) {
                why = "line " + s.line() + " does not start a simple statement (an expression, a declaration, a return or a throw) "
                        + "that is the only code on it, with no lambda or class body, outside a finally block";
            }
            if (why != null) {
                refused.put(s, why);
                continue;
            }
            inserts.add(new int[]{s.line(), st.getBegin().get().column, placed.size()});
            placed.add(s);
        }
        String[] lines = text.split("\n", -1);
        inserts.sort(Comparator.<int[]>comparingInt(a -> a[0]).thenComparingInt(a -> a[1]).reversed());
        for (int[] at : inserts) {
            Site s = placed.get(at[2]);
            String line = lines[at[0] - 1];
            int col = columnIndex(line, at[1]);
            lines[at[0] - 1] = line.substring(0, col) + code(s) + line.substring(col);
        }
        return new Instrumented(String.join("\n", lines), placed, refused);
    }

    /** The test that goes in front of the statement, on one line. */
    static String code(Site s) {
        int m = s.marker();
        // each marker local is used once after its store, so javac lists it in the local variable table
        return "try { if (" + s.condition().strip() + ") { int hotrestart$c" + m + " = " + m + "; hotrestart$c" + m + "++; } } "
                + "catch (Throwable hotrestart$e" + m + ") { try { int hotrestart$t" + m + " = " + (m + 1) + "; hotrestart$t" + m
                + "++; } catch (Throwable hotrestart$f" + m + ") { } } ";
    }

    /** The name of the local that holds what the condition threw, at the second marker. */
    public static String thrownLocal(int marker) {
        return "hotrestart$e" + marker;
    }

    /** Why the condition cannot be compiled in whatever the line, or null. */
    static String conditionProblem(String condition) {
        if (condition.contains("\n") || condition.contains("\r") || condition.contains("//") || condition.contains("/*")) {
            return "the condition spans lines or holds a comment";
        }
        Expression e;
        try {
            e = StaticJavaParser.parseExpression(condition);
        } catch (RuntimeException ex) { // ParseProblemException among them
            return "the condition is not plain Java";
        }
        if (!e.findAll(LambdaExpr.class).isEmpty() || !e.findAll(MethodReferenceExpr.class).isEmpty()
                || e.findAll(ObjectCreationExpr.class).stream().anyMatch(o -> o.getAnonymousClassBody().isPresent())
                || !e.findAll(SwitchExpr.class).isEmpty()) {
            return "the condition holds a lambda, a method reference, a class body or a switch";
        }
        return null;
    }

    /** The simple statement that starts the line and is the only code on it, or null. */
    static Statement statementAt(CompilationUnit cu, int line) {
        Optional<Statement> found = cu.findFirst(Statement.class, s -> s.getBegin().isPresent() && s.getBegin().get().line == line
                && (s instanceof ExpressionStmt || s instanceof ReturnStmt || s instanceof ThrowStmt));
        if (found.isEmpty()) return null;
        Statement st = found.get();
        if (!(st.getParentNode().orElse(null) instanceof BlockStmt block)) return null;
        if (st instanceof ExpressionStmt es && es.getExpression() instanceof VariableDeclarationExpr v
                && v.getVariables().isEmpty()) return null;
        if (!st.findAll(LambdaExpr.class).isEmpty() || !st.findAll(MethodReferenceExpr.class).isEmpty()
                || st.findAll(ObjectCreationExpr.class).stream().anyMatch(o -> o.getAnonymousClassBody().isPresent())
                || !st.findAll(SwitchExpr.class).isEmpty()) return null;
        for (Statement other : block.getStatements()) {
            if (other == st || other.getRange().isEmpty()) continue;
            if (other.getRange().get().begin.line <= line && other.getRange().get().end.line >= line) return null;
        }
        if (block.getBegin().map(b -> b.line == line).orElse(true)) return null; // `{ stmt` on one line
        // inside a method or constructor of a class, not a lambda's or an initializer's block
        Node up = block;
        Node below = st;
        while (up != null && !(up instanceof BodyDeclaration)) {
            if (up instanceof LambdaExpr || up instanceof LocalClassDeclarationStmt) return null;
            // javac copies a finally block into every way out of its try: the test would be there several times
            if (up instanceof TryStmt t && t.getFinallyBlock().isPresent() && t.getFinallyBlock().get() == below) return null;
            below = up;
            up = up.getParentNode().orElse(null);
        }
        // (this(...) and super(...) are no such statement: nothing goes in front of them)
        return up instanceof MethodDeclaration || up instanceof ConstructorDeclaration ? st : null;
    }

    /**
     * The first statement of the body of the method {@code entry} names ("Shop.Basket#add": its
     * class, nested classes by their simple names, and its name) when it starts the line: a test in
     * front of it runs once per call, whatever the statement is. Never a constructor (its first
     * code may be a field's initializer or another constructor's call), a lambda, or a method of an
     * anonymous or local class.
     */
    static Statement firstStatementAt(CompilationUnit cu, int line, String entry) {
        for (MethodDeclaration m : cu.findAll(MethodDeclaration.class)) {
            if (m.getBody().isEmpty() || !entry.equals(entryName(m))) continue;
            List<Statement> body = m.getBody().get().getStatements();
            if (body.isEmpty()) continue;
            Statement first = body.get(0);
            if (first.getBegin().isPresent() && first.getBegin().get().line == line) return first;
        }
        return null;
    }

    /** "Outer.Inner#name" for a method of a named class; null inside an anonymous or local class. */
    private static String entryName(MethodDeclaration m) {
        StringBuilder classes = new StringBuilder();
        Node up = m.getParentNode().orElse(null);
        while (up != null) {
            if (up instanceof ObjectCreationExpr || up instanceof LocalClassDeclarationStmt
                    || up instanceof com.github.javaparser.ast.stmt.LocalRecordDeclarationStmt) return null;
            if (up instanceof com.github.javaparser.ast.body.TypeDeclaration<?> t) {
                classes.insert(0, classes.length() == 0 ? t.getNameAsString() : t.getNameAsString() + ".");
            }
            up = up.getParentNode().orElse(null);
        }
        return classes + "#" + m.getNameAsString();
    }

    /** The index in {@code line} of JavaParser's 1-based column (a tab counts as one column here). */
    private static int columnIndex(String line, int column) {
        return Math.max(0, Math.min(line.length(), column - 1));
    }
}
