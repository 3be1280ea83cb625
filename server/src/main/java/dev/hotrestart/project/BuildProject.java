package dev.hotrestart.project;

import java.nio.file.Path;
import java.util.List;

/**
 * A project whose build file says what its class path is. Maven's is the one we read today; a
 * Gradle project would be another implementation, found by {@link #in} from its build file.
 */
public interface BuildProject {
    /** The project whose build file is in {@code dir}, or null when there is none. */
    static BuildProject in(Path dir) {
        return MavenProject.in(dir);
    }

    /** The build file, for messages. */
    Path buildFile();

    /** The folders of the project's Java sources, every module's: main ones, and test ones for {@link Scope#TEST}. */
    List<Path> sourceRoots(Scope scope);

    /**
     * The class path to run {@code className} (a main class, or a test class) with: that of the
     * module whose sources hold the class, compiled classes first, then the dependencies of the
     * scope. Answered from the cache while the build files stay as they are.
     */
    ClassPath classPath(Scope scope, String className, Progress progress);

    /**
     * Has the build tool fetch one artifact ({@code group:artifact:version}) into its local
     * repository, where {@code expected} will then be: for a jar the project does not depend on,
     * that the adapter puts beside its class path (the JUnit Platform launcher).
     */
    void fetch(String coordinates, Path expected, Progress progress);
}
