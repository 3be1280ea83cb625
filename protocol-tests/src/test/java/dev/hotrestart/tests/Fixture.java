package dev.hotrestart.tests;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sample program from {@code protocol-tests/fixtures/NAME}, copied to a fresh folder (so a
 * test can edit it like a user would) and compiled with -g against the annotations jar.
 */
public final class Fixture {
    public final Path root;
    public final Path src;
    public final Path classes;

    private Fixture(Path root) {
        this.root = root;
        this.src = root.resolve("src/main/java");
        this.classes = root.resolve("target/classes");
    }

    static Path fixturesDir() {
        return Path.of(System.getProperty("hotrestart.fixtures", "fixtures")).toAbsolutePath();
    }

    static Path annotationsJar() {
        return Path.of(System.getProperty("hotrestart.annotations.jar")).toAbsolutePath();
    }

    /** The JDK that runs debuggees in this test run (17 by default, 25 in the second pass). */
    static Path debuggeeJavaHome() {
        return Path.of(System.getProperty("debuggee.java.home", System.getProperty("java.home")));
    }

    /** The Java 25 JDK the second test pass and the virtual-thread benchmark use (the pom's jdk25.home). */
    static Path jdk25() {
        return Path.of(System.getProperty("hotrestart.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    }

    static int debuggeeFeature() {
        try {
            for (String l : Files.readAllLines(debuggeeJavaHome().resolve("release"))) {
                if (l.startsWith("JAVA_VERSION=")) {
                    String v = l.substring(14, l.length() - 1);
                    return Integer.parseInt(v.split("[.\"]")[0]);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        return Runtime.version().feature();
    }

    public static Fixture of(String name) {
        return of(name, 17, null);
    }

    private static final java.util.Map<String, Fixture> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /** One compiled copy per test run, for tests that never edit it (saves a compile per test class). */
    public static Fixture shared(String name) {
        return SHARED.computeIfAbsent(name, Fixture::of);
    }

    /** Every copy made in this test JVM; deleted when it exits, so runs leave nothing in the temp folder. */
    private static final List<Path> MADE = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> MADE.forEach(Fixture::deleteTree), "fixture-cleanup"));
    }

    /** Deletes a folder and what it holds, as far as it can. */
    static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // already gone, or a debuggee still holds it: the temp folder's own cleanup gets it
        }
    }

    /** A fresh temp folder for one copy, deleted when the test JVM exits. */
    private static Path newRoot(String name) throws IOException {
        return tempDir("hotrestart-fixture-" + name + "-");
    }

    /** A fresh temp folder for a test or a benchmark, deleted (with what it holds) when the test JVM exits. */
    static Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        MADE.add(dir);
        return dir;
    }

    /** A fixture written by the test: source files by path under src/main/java, compiled. */
    public static Fixture generated(String name, Map<String, String> sources) {
        try {
            Fixture f = new Fixture(newRoot(name));
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Files.createDirectories(f.file(e.getKey()).getParent());
                Files.writeString(f.file(e.getKey()), e.getValue());
            }
            f.compile(17, null);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies and compiles; {@code jdk} (may be null) is the JDK whose javac compiles it. */
    public static Fixture of(String name, int release, Path jdk) {
        try {
            Path root = newRoot(name);
            Path from = fixturesDir().resolve(name);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path to = root.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(to);
                    else Files.copy(p, to);
                }
            }
            Fixture f = new Fixture(root);
            f.compile(release, jdk);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void compile(int release, Path jdk) throws IOException {
        Files.createDirectories(classes);
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> sources.add(p.toString()));
        }
        List<String> args = new ArrayList<>(List.of("-g", "-nowarn", "--release", Integer.toString(release),
                "-cp", annotationsJar().toString(), "-d", classes.toString()));
        args.addAll(sources);
        if (jdk == null) {
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = javac.run(null, null, err, args.toArray(new String[0]));
            assertEquals(0, rc, "fixture does not compile: " + err.toString(StandardCharsets.UTF_8));
        } else {
            List<String> cmd = new ArrayList<>();
            cmd.add(jdk.resolve("bin/javac").toString());
            cmd.addAll(args);
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, p.waitFor(), "fixture does not compile: " + text);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }
    }

    /**
     * A copy of a Maven project under fixtures/, each module compiled by javac as Maven would
     * (src/main/java to target/classes, src/test/java to target/test-classes) against this test
     * JVM's class path (Gson, JUnit), so that no Maven build is needed to set it up.
     */
    public static Fixture maven(String name, String... modules) {
        try {
            Path root = newRoot(name);
            Path from = fixturesDir().resolve(name);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path to = root.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(to);
                    else Files.copy(p, to);
                }
            }
            List<String> cp = new ArrayList<>(List.of(System.getProperty("java.class.path")));
            for (String m : modules) {
                for (String[] dirs : new String[][] {{"src/main/java", "target/classes"}, {"src/test/java", "target/test-classes"}}) {
                    Path srcDir = root.resolve(m).resolve(dirs[0]);
                    if (!Files.isDirectory(srcDir)) continue;
                    Path out = root.resolve(m).resolve(dirs[1]);
                    List<String> args = new ArrayList<>(List.of("-g", "-nowarn", "--release", "17", "-cp",
                            String.join(java.io.File.pathSeparator, cp), "-d", out.toString()));
                    try (Stream<Path> files = Files.walk(srcDir)) {
                        files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
                    }
                    ByteArrayOutputStream err = new ByteArrayOutputStream();
                    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, err, args.toArray(new String[0]));
                    assertEquals(0, rc, "fixture does not compile: " + err.toString(StandardCharsets.UTF_8));
                    cp.add(out.toString());
                }
            }
            return new Fixture(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file(String relative) {
        return src.resolve(relative);
    }

    public String read(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Edits a source file as a user would: replaces one exact piece of text. */
    public void edit(String relative, String from, String to) {
        String text = read(relative);
        assertTrue(text.contains(from), "fixture " + relative + " has no '" + from + "'");
        write(relative, text.replace(from, to));
    }

    public void write(String relative, String text) {
        try {
            Files.writeString(file(relative), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-based line of the first line containing the marker text. */
    public int line(String relative, String marker) {
        String[] lines = read(relative).split("\n", -1);
        for (int i = 0; i < lines.length; i++) if (lines[i].contains(marker)) return i + 1;
        throw new AssertionError("no '" + marker + "' in " + relative);
    }

    public String classPath() {
        return classes + java.io.File.pathSeparator + annotationsJar();
    }

    /** Runs {@code mainClass} with plain {@code java} of the debuggee JDK, no debugger: the limit in the benchmarks. What it printed. */
    public String plainJava(List<String> vmArgs, String mainClass, String... args) throws IOException, InterruptedException {
        return plainJava(debuggeeJavaHome(), vmArgs, mainClass, args);
    }

    /** As {@link #plainJava(List, String, String...)}, on the JDK in {@code jdk}. */
    public String plainJava(Path jdk, List<String> vmArgs, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jdk.resolve("bin/java").toString()));
        cmd.addAll(vmArgs);
        cmd.addAll(List.of("-cp", classPath(), mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
