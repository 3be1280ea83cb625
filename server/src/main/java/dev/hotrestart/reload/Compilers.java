package dev.hotrestart.reload;

import java.nio.file.Path;
import java.util.List;

/**
 * The session's javac for reloads, made on first use (the warm-up, usually): setting javac up
 * costs about 100 ms a launch should not wait for. Practice makes its own (see {@link Rehearsal}),
 * so a reload never waits for a practice compile.
 */
final class Compilers {
    private final List<Path> classPath;
    private final Path javaHome;
    private JavaCompilerService forReloads;

    Compilers(List<Path> classPath, Path javaHome) {
        this.classPath = classPath;
        this.javaHome = javaHome;
    }

    synchronized JavaCompilerService forReloads() {
        if (forReloads == null) forReloads = fresh();
        return forReloads;
    }

    JavaCompilerService fresh() {
        return new JavaCompilerService(classPath, javaHome);
    }

    /** The session ends: javac lets go of what it holds (a worker JVM among it). */
    synchronized void close() {
        if (forReloads != null) forReloads.close();
        forReloads = null;
    }
}
