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
 * tab counting one, as editors count characters. One parse of the file answers every line.
 */
final class LinePositions {
    /** A place to stop: {@code lambda} is its index among the line's lambdas in source order, -1 for the line's own code. */
    record Place(int line, int column, int lambda) {}

    private final String[] lines;
    private final List<LambdaExpr> all;

    private LinePositions(String text) {
        this.lines = text.split("\n", -1);
        List<LambdaExpr> found = List.of();
        try {
            Optional<CompilationUnit> cu = MethodSplicer.parser().parse(text).getResult();
            if (cu.isPresent()) found = cu.get().findAll(LambdaExpr.class);
        } catch (RuntimeException e) {
            // unreadable: the lines' own code only
        }
        this.all = found;
    }

    static LinePositions of(String text) {
        return new LinePositions(text);
    }

    /** The line's own code first (at its first non-blank column), then its lambdas, left to right; empty when the line is blank. */
    List<Place> places(int line) {
        List<Place> out = new ArrayList<>();
        if (line < 1 || line > lines.length || lines[line - 1].isBlank()) return out;
        String l = lines[line - 1];
        int first = 1;
        while (first <= l.length() && Character.isWhitespace(l.charAt(first - 1))) first++;
        out.add(new Place(line, first, -1));
        List<LambdaExpr> lambdas = lambdas(line);
        for (int i = 0; i < lambdas.size(); i++) out.add(new Place(line, bodyStart(lambdas.get(i)).column, i));
        return out;
    }

    /**
     * What a breakpoint at this column of the line stops in: the innermost lambda whose body holds
     * the column, else the line's own code (left of every body, between them, or after them).
     */
    Place at(int line, int column) {
        List<Place> places = places(line);
        if (places.isEmpty()) return new Place(line, column, -1);
        Place chosen = places.get(0);
        List<LambdaExpr> lambdas = lambdas(line);
        for (Place p : places) {
            if (p.lambda < 0 || p.column > column) continue;
            Optional<Position> end = lambdas.get(p.lambda).getBody().getEnd();
            boolean inside = end.isEmpty() || end.get().line > line || column <= end.get().column;
            if (inside && (chosen.lambda < 0 || p.column >= chosen.column)) chosen = p;
        }
        return chosen;
    }

    /**
     * The source of the lambdas the line's own code makes, left to right ({@code x -> x * 10}): those
     * of {@link #places} but the ones nested in another of the line's, whose code is in that lambda.
     */
    List<String> lambdaTexts(int line) {
        List<LambdaExpr> lambdas = lambdas(line);
        return lambdas.stream().filter(l -> lambdas.stream().noneMatch(o -> o != l && l.isDescendantOf(o)))
                .map(LambdaExpr::toString).toList();
    }

    /** Whether a lambda of the line sits inside another of the line's: javac's numbers then follow no one source order. */
    boolean lambdasNest(int line) {
        List<LambdaExpr> lambdas = lambdas(line);
        for (LambdaExpr l : lambdas) {
            for (LambdaExpr outer : lambdas) if (outer != l && l.isDescendantOf(outer)) return true;
        }
        return false;
    }

    /** The lambdas that start on the line and have their body there, by where their bodies begin. */
    private List<LambdaExpr> lambdas(int line) {
        List<LambdaExpr> out = new ArrayList<>();
        for (LambdaExpr lambda : all) {
            Optional<Position> start = lambda.getBegin();
            Position body = bodyStart(lambda);
            if (start.isPresent() && body != null && start.get().line == line && body.line == line) out.add(lambda);
        }
        out.sort(Comparator.comparingInt(l -> bodyStart(l).column));
        return out;
    }

    private static Position bodyStart(LambdaExpr lambda) {
        Statement body = lambda.getBody();
        Optional<Position> p;
        if (body instanceof ExpressionStmt e) p = e.getExpression().getBegin();
        else if (body instanceof BlockStmt b) p = b.getStatements().isEmpty() ? Optional.empty() : b.getStatement(0).getBegin();
        else p = body.getBegin();
        return p.orElse(null);
    }
}
