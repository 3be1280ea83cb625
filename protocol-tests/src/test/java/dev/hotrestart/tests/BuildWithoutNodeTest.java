package dev.hotrestart.tests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A checkout builds with a JDK and Maven alone, as the README promises: without npm on the PATH
 * the VS Code extension is skipped with one line, and the adapter's jar is built. CI installs
 * Node, so this is the one build without it: Maven on a copy of the checkout, the adapter's
 * modules and the extension's, offline when this build is (10-20 s).
 */
class BuildWithoutNodeTest {
    static final String NOTE = "hotrestart: npm not found, the VS Code extension is not built";

    @Test
    void theAdapterBuildsWithoutNode() throws Exception {
        assumeTrue(Fixture.debuggeeJavaHome().equals(Path.of(System.getProperty("java.home"))),
                "the build does not depend on the debuggee: once, in the first pass");
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path copy = Fixture.tempDir("hotrestart-checkout-");
        copyCheckout(root, copy);

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-B", "-Dmaven.test.skip=true", "package", "-pl", "vscode-extension", "-am"));
        if (Boolean.getBoolean("hotrestart.maven.offline")) cmd.add("-o");
        String repo = System.getProperty("hotrestart.maven.repo", "");
        if (!repo.isBlank()) cmd.add("-Dmaven.repo.local=" + repo);
        Path log = copy.resolve("build.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(copy.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PATH", pathWithout(Set.of("node", "nodejs", "npm", "npx", "corepack")).toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);

        assertEquals(1, out.split(NOTE, -1).length - 1, "the note, once: " + out);
        Path jar = copy.resolve("server/target/hotrestart-server.jar");
        Process version = new ProcessBuilder(DapClient.javaExe(), "-jar", jar.toString(), "--version").redirectErrorStream(true).start();
        assertTrue(new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).startsWith("hotrestart "));
        assertFalse(Files.exists(copy.resolve("vscode-extension/out")), "nothing of the extension was built");
    }

    /** The files a clone would have, with the changes not committed yet: git's tracked and untracked, not ignored. */
    static void copyCheckout(Path root, Path to) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String files = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, git.waitFor(), "git ls-files in " + root);
        for (String f : files.split("\0")) {
            Path from = root.resolve(f);
            if (f.isEmpty() || !Files.isRegularFile(from)) continue; // deleted, not committed yet
            Path dest = to.resolve(f);
            Files.createDirectories(dest.getParent());
            Files.copy(from, dest, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** A folder of links to every program on the PATH but these: a PATH without them. */
    static Path pathWithout(Set<String> left) throws IOException {
        Path bin = Fixture.tempDir("hotrestart-path-");
        Set<String> seen = new HashSet<>(left);
        for (String dir : System.getenv("PATH").split(java.io.File.pathSeparator)) {
            if (dir.isEmpty() || !Files.isDirectory(Path.of(dir))) continue;
            try (var entries = Files.list(Path.of(dir))) {
                for (Path e : (Iterable<Path>) entries::iterator) {
                    if (seen.add(e.getFileName().toString())) Files.createSymbolicLink(bin.resolve(e.getFileName()), e);
                }
            } catch (IOException unreadable) {
                // not a folder we can list: nothing from it
            }
        }
        return bin;
    }
}
