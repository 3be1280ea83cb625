package dev.hotrestart.eval;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.SwitchExpr;

/** Parses one Java expression, with messages a person can act on; refuses what is not supported. */
public final class Expressions {
    private static final ThreadLocal<JavaParser> PARSER = ThreadLocal.withInitial(() ->
            new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21)));

    private Expressions() {}

    public static Expression parse(String text) {
        String t = text.trim();
        if (t.endsWith(";")) t = t.substring(0, t.length() - 1).trim();
        if (t.isEmpty()) throw new EvalError("The expression is empty.");
        ParseResult<Expression> r = PARSER.get().parseExpression(t);
        if (!r.isSuccessful() || r.getResult().isEmpty()) {
            String why = r.getProblems().isEmpty() ? "" : ": " + firstLine(r.getProblems().get(0));
            throw new EvalError("'" + t + "' is not a Java expression" + why);
        }
        Expression e = r.getResult().get();
        if (!e.findAll(LambdaExpr.class).isEmpty() || !e.findAll(MethodReferenceExpr.class).isEmpty()) {
            throw new EvalError("Lambdas and method references are not evaluated; call a method that takes one instead.");
        }
        if (!e.findAll(SwitchExpr.class).isEmpty()) {
            throw new EvalError("Switch expressions are not evaluated; use the conditional operator (a ? b : c) instead.");
        }
        return e;
    }

    /** a, a.b, a.b.c: a name that may be a variable with fields, a qualified type or a package. */
    static boolean isDottedName(Expression e) {
        if (e instanceof NameExpr) return true;
        return e instanceof FieldAccessExpr fa && isDottedName(fa.getScope());
    }

    /** The first name of a dotted name. */
    static String head(Expression e) {
        while (e instanceof FieldAccessExpr fa) e = fa.getScope();
        return ((NameExpr) e).getNameAsString();
    }

    private static String firstLine(Problem p) {
        String m = p.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
