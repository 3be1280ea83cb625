package dev.hotrestart.reload;

import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

import java.util.List;

/**
 * The edited file does not compile: every diagnostic, whole, at the line and column of the file
 * as the user saved it. The message lists them as {@code path:line:col: message}, with javac's
 * further lines ({@code symbol:}, {@code location:}) indented below their diagnostic.
 */
public final class CompileFailure extends UserError {
    /** One error; {@code line} and {@code column} are 1-based, 0 when unknown; {@code message} may span lines. */
    public record Diagnostic(String path, int line, int column, String message) {}

    private final List<Diagnostic> diagnostics;

    public CompileFailure(List<Diagnostic> diagnostics) {
        super(ErrorId.COMPILE_ERROR, text(diagnostics));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private static String text(List<Diagnostic> diagnostics) {
        StringBuilder b = new StringBuilder("The edit does not compile; nothing was changed:");
        for (Diagnostic d : diagnostics) {
            b.append('\n').append(d.path());
            if (d.line() > 0) b.append(':').append(d.line());
            if (d.line() > 0 && d.column() > 0) b.append(':').append(d.column());
            String[] lines = d.message().split("\n");
            b.append(": ").append(lines[0].strip());
            for (int i = 1; i < lines.length; i++) if (!lines[i].isBlank()) b.append("\n    ").append(lines[i].strip());
        }
        return b.toString();
    }
}
