package dev.hotrestart.project;

import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JUnit Platform launcher a 'tests' launch needs: projects depend on the engines (JUnit
 * Jupiter, vintage), while the launcher comes with the build tool's test runner. It is taken in the
 * version of the project's platform engine, from the local repository beside it (fetched there by
 * the build tool when missing).
 */
public final class TestPlatform {
    private static final Pattern ENGINE = Pattern.compile("junit-platform-engine-(.+)\\.jar");

    private TestPlatform() {}

    /** The launcher jar to add to {@code classPath}; null when the class path has one already. */
    public static Path launcherFor(List<Path> classPath, BuildProject project, Progress progress) {
        Path engine = null;
        String version = null;
        for (Path p : classPath) {
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (name.startsWith("junit-platform-launcher-") || name.startsWith("junit-platform-console-standalone-")) return null;
            Matcher m = ENGINE.matcher(name);
            if (m.matches() && engine == null) {
                engine = p;
                version = m.group(1);
            }
        }
        if (engine == null) {
            throw new UserError(ErrorId.BAD_CONFIGURATION, "'tests' runs on the JUnit Platform, and the class path has no JUnit Platform "
                    + "engine (junit-platform-engine-*.jar). Add JUnit 5 (org.junit.jupiter:junit-jupiter) to the test dependencies, "
                    + "or to 'classPaths'.");
        }
        // <repo>/org/junit/platform/junit-platform-engine/<v>/junit-platform-engine-<v>.jar
        Path launcher = engine.getParent().getParent().getParent()
                .resolve("junit-platform-launcher").resolve(version).resolve("junit-platform-launcher-" + version + ".jar");
        if (!Files.isRegularFile(launcher) && project != null) {
            project.fetch("org.junit.platform:junit-platform-launcher:" + version, launcher, progress);
        }
        if (!Files.isRegularFile(launcher)) {
            throw new UserError(ErrorId.BAD_CONFIGURATION, "'tests' needs the JUnit Platform launcher " + version + " (" + launcher
                    + "), which is not there: add org.junit.platform:junit-platform-launcher to 'classPaths'.");
        }
        return launcher;
    }
}
