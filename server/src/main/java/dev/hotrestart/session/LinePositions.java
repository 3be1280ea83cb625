package dev.hotrestart.session;

import com.github.javaparser.Position;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.Statement;
import dev.hotrestart.reload.MethodSplicer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where on a line of source a breakpoint can stop: the line's own code, and each lambda that
 * starts on the line with its body there ({@code xs.map(x -> x * 10)}: the body {@code x * 10}).
 * A lambda's body is a method of its own in the class file ({@code lambda$main$0}), so a breakpoint
 * with a column can stop in the line's code alone or in one lambda alone. Columns are 1-based, a
 * tab counting one, as editors count characters.
 */
final class LinePositions {
    /** A place to stop: {@code lambda} is its index among the line's lambdas in source order, -1 for the line's own code. */
    record Place(int line, int column, int lambda) {}

    private LinePositions() {}

    /** The line's own code first (at its first non-blank column), then its lambdas, left to right; empty when the line is blank. */
    static List<Place> of(String text, int line) {
        List<Place> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        if (line < 1 || line > lines.length || lines[line - 1].isBlank()) return out;
        String l = lines[line - 1];
        int first = 1;
        while (first <= l.length() && Character.isWhitespace(l.charAt(first - 1))) first++;
        out.add(new Place(line, first, -1));
        List<LambdaExpr> lambdas = lambdas(text, line);
        for (int i = 0; i < lambdas.size(); i++) out.add(new Place(line, bodyStart(lambdas.get(i).getBody()).orElseThrow().column, i));
        return out;
    }

    /** The source of the line's lambdas (as {@link #of} counts them), left to right: {@code x -> x * 10}. */
    static List<String> lambdaTexts(String text, int line) {
        return lambdas(text, line).stream().map(LambdaExpr::toString).toList();
    }

    /**
     * What a breakpoint at this column of the line stops in: the lambda whose body holds the
     * column (the innermost, the rightmost start), else the line's own code.
     */
    static Place at(String text, int line, int column) {
        List<Place> places = of(text, line);
        Place chosen = places.isEmpty() ? new Place(line, column, -1) : places.get(0);
        for (Place p : places) if (p.lambda >= 0 && p.column <= column) chosen = p;
        return chosen;
    }

    /** The lambdas that start on the line and have their body there, by where their bodies begin. */
    private static List<LambdaExpr> lambdas(String text, int line) {
        Optional<CompilationUnit> cu;
        try {
            cu = MethodSplicer.parser().parse(text).getResult();
        } catch (RuntimeException e) {
            return List.of();
        }
        if (cu.isEmpty()) return List.of();
        List<LambdaExpr> out = new ArrayList<>();
        for (LambdaExpr lambda : cu.get().findAll(LambdaExpr.class)) {
            Optional<Position> start = lambda.getBegin();
            Optional<Position> body = bodyStart(lambda.getBody());
            if (start.isPresent() && body.isPresent() && start.get().line == line && body.get().line == line) out.add(lambda);
        }
        out.sort(Comparator.comparingInt(l -> bodyStart(l.getBody()).orElseThrow().column));
        return out;
    }

    private static Optional<Position> bodyStart(Statement body) {
        if (body instanceof ExpressionStmt e) return e.getExpression().getBegin();
        if (body instanceof BlockStmt b) return b.getStatements().isEmpty() ? Optional.empty() : b.getStatement(0).getBegin();
        return body.getBegin();
    }
}
