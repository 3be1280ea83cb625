package dev.hotrestart.reload;

import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

import java.nio.file.Files;
import java.nio.file.Path;
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
        this(diagnostics, List.of());
    }

    /**
     * javac's errors against a class path of which {@code classPath} are the entries: when some
     * are not on this machine (an attached JVM's own class path, from another host) and javac
     * missed a class or member, the message says so first, as the likely cause, and how to give
     * the right one.
     */
    public CompileFailure(List<Diagnostic> diagnostics, List<Path> classPath) {
        super(ErrorId.COMPILE_ERROR, text(diagnostics, missingSymbols(diagnostics) ? absent(classPath) : List.of()));
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Whether javac could not find a class, package or member: what a class path missing here causes. */
    private static boolean missingSymbols(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            String m = d.message();
            if (m.contains("cannot find symbol") || m.contains("does not exist") || m.contains("cannot access")) return true;
        }
        return false;
    }

    /** The first three of the entries, then an ellipsis. */
    public static String names(List<Path> entries) {
        return String.join(", ", entries.stream().limit(3).map(Path::toString).toList()) + (entries.size() > 3 ? ", …" : "");
    }

    /** The class path entries that are not on this machine. */
    public static List<Path> absent(List<Path> classPath) {
        return classPath.stream().filter(p -> !Files.exists(p)).toList();
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private static String text(List<Diagnostic> diagnostics, List<Path> absent) {
        StringBuilder b = new StringBuilder();
        if (absent.isEmpty()) {
            b.append("The edit does not compile; nothing was changed:");
        } else {
            b.append("The edit does not compile against the class path on this machine, which lacks ").append(absent.size())
                    .append(absent.size() == 1 ? " entry" : " entries").append(" of the program's (").append(names(absent))
                    .append("): the program may run on another machine. Set 'classPaths' to ")
                    .append("your build's output here (its classes folder and the jars it needs); nothing was changed:");
        }
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
