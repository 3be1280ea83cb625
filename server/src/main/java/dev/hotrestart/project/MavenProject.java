package dev.hotrestart.project;

import dev.hotrestart.base.CacheFolder;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Maven project: its modules, read from the pom files, and the class path Maven resolves for
 * one of them ({@code dependency:build-classpath}, offline first), kept in the cache folder until
 * a pom.xml of the project changes.
 */
public final class MavenProject implements BuildProject {
    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<]+?)\\s*</module>");
    /** Maven's output lines that say nothing about the failure. */
    private static final Pattern NOISE = Pattern.compile(
            "\\[ERROR]\\s*(?:-> \\[Help 1]|To see the full stack trace.*|Re-run Maven using.*|For more information about the errors.*|\\[Help 1].*|)$");

    private final Path root;
    /** The root and every module under it, root first. */
    private final List<Path> modules;

    private MavenProject(Path root) {
        this.root = root;
        this.modules = new ArrayList<>();
        collect(root);
    }

    static MavenProject in(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml")) ? new MavenProject(dir.toAbsolutePath().normalize()) : null;
    }

    private void collect(Path module) {
        modules.add(module);
        try {
            Matcher m = MODULE.matcher(Files.readString(module.resolve("pom.xml")));
            while (m.find()) {
                Path sub = module.resolve(m.group(1)).normalize();
                if (sub.toString().endsWith(".xml")) sub = sub.getParent();
                if (Files.isRegularFile(sub.resolve("pom.xml")) && !modules.contains(sub)) collect(sub);
            }
        } catch (IOException e) {
            // an unreadable pom: Maven says what is wrong with it when asked
        }
    }

    @Override
    public Path buildFile() {
        return root.resolve("pom.xml");
    }

    @Override
    public List<Path> sourceRoots(Scope scope) {
        List<Path> out = new ArrayList<>();
        for (Path m : modules) {
            for (String d : scope == Scope.TEST ? List.of("src/main/java", "src/test/java") : List.of("src/main/java")) {
                if (Files.isDirectory(m.resolve(d))) out.add(m.resolve(d));
            }
        }
        return out;
    }

    /** The module whose sources hold the class; the root when none does (Maven then says what is missing). */
    Path moduleOf(String className) {
        String top = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
        String file = top.replace('.', '/') + ".java";
        for (int i = modules.size() - 1; i >= 0; i--) {
            Path m = modules.get(i);
            if (Files.isRegularFile(m.resolve("src/main/java").resolve(file)) || Files.isRegularFile(m.resolve("src/test/java").resolve(file))) {
                return m;
            }
        }
        return root;
    }

    @Override
    public ClassPath classPath(Scope scope, String className, Progress progress) {
        long t0 = System.nanoTime();
        Path module = moduleOf(className);
        String stamp = stamp(scope);
        Path cached = cacheFile(module, scope);
        List<Path> hit = read(cached, stamp);
        String unbuilt = hit == null ? null : unbuilt(hit, builtAt(cached));
        if (hit != null && unbuilt == null) return new ClassPath(hit, false, (System.nanoTime() - t0) / 1_000_000, null, null);

        List<Path> entries = new ArrayList<>();
        if (scope == Scope.TEST) entries.add(module.resolve("target/test-classes"));
        entries.add(module.resolve("target/classes"));
        String pom = root.relativize(module.resolve("pom.xml")).toString();
        progress.start(hit == null ? "Compiling " + pom + " and resolving its class path with Maven"
                : "Compiling " + pom + " with Maven (" + unbuilt + ")");
        String outcome = "failed";
        long startedAt = System.currentTimeMillis(); // sources saved from here on count as newer than this compile
        try {
            String answer = ask(module, scope, hit == null);
            if (hit != null) {
                entries = hit;
            } else {
                for (String e : answer.split(File.pathSeparator)) {
                    if (!e.isBlank()) entries.add(Paths.get(e.trim()));
                }
            }
            outcome = "done";
        } finally {
            progress.end(outcome);
        }
        String notKept = hit != null ? null : write(cached, stamp, entries);
        if (cached != null) {
            try {
                Files.writeString(builtFile(cached), Long.toString(startedAt));
            } catch (IOException e) {
                // not kept: the next launch compares with the class files alone
            }
        }
        return new ClassPath(entries, true, (System.nanoTime() - t0) / 1_000_000, notKept, unbuilt);
    }

    /** Where the time of the last compile this adapter had Maven make for the cached class path is kept. */
    private static Path builtFile(Path cached) {
        return cached.resolveSibling(cached.getFileName() + ".built");
    }

    /** When Maven last compiled for this cached class path (0: unknown). */
    private static long builtAt(Path cached) {
        try {
            long at = cached == null ? 0 : Long.parseLong(Files.readString(builtFile(cached)).trim());
            return at > System.currentTimeMillis() ? 0 : at; // a clock set back: not trusted
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Why the project's classes on the class path must be compiled before the program runs: an
     * output folder of one of its modules (target/classes, target/test-classes) that is missing,
     * or older than that module's sources; null when every one is up to date. A compile Maven made
     * for this launch's class path at {@code builtAt} counts as up to date for the sources older
     * than it, whatever it wrote (sources it excludes would otherwise compile every launch).
     */
    private String unbuilt(List<Path> classPath, long builtAt) {
        for (Path e : classPath) {
            if (!e.startsWith(root) || e.getParent() == null || e.getParent().getFileName() == null
                    || !e.getParent().getFileName().toString().equals("target")) continue;
            String name = e.getFileName().toString();
            String folder = name.equals("classes") ? "src/main/java" : name.equals("test-classes") ? "src/test/java" : null;
            if (folder == null) continue; // a jar under target/, say
            Path sources = e.getParent().getParent().resolve(folder);
            if (!Files.isDirectory(sources)) continue;
            long source = newest(sources, ".java");
            if (source == 0) continue;
            if (!Files.isDirectory(e)) return root.relativize(e) + " does not exist";
            if (source > builtAt && source > newest(e, ".class")) return "sources changed since " + root.relativize(e) + " was built";
        }
        return null;
    }

    /** The newest modification time of the files under {@code dir} whose names end with {@code suffix}; 0 for none. */
    private static long newest(Path dir, String suffix) {
        long[] newest = {0};
        try {
            Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                    if (f.getFileName().toString().endsWith(suffix)) newest[0] = Math.max(newest[0], a.lastModifiedTime().toMillis());
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // unreadable: taken as not newer
        }
        return newest[0];
    }

    @Override
    public void fetch(String coordinates, Path expected, Progress progress) {
        if (Files.isRegularFile(expected)) return;
        String mvn = mavenExecutable();
        progress.start("Fetching " + coordinates + " with Maven");
        try {
            List<String> cmd = new ArrayList<>(List.of(mvn, "-B", "-q", "-o", "-f", root.resolve("pom.xml").toString(),
                    "dependency:get", "-Dartifact=" + coordinates, "-Dtransitive=false"));
            Run run = run(cmd);
            if (run.code != 0 && run.output.contains("offline")) {
                cmd.remove("-o");
                run = run(cmd);
            }
            if (run.code != 0 || !Files.isRegularFile(expected)) {
                throw new UserError(ErrorId.PROJECT_CLASS_PATH, "Maven could not fetch " + coordinates + " (exit code " + run.code + "):\n"
                        + lastLines(run.output, 15) + "\nAdd it to the project's test dependencies, or to 'classPaths'.");
            }
        } catch (IOException e) {
            throw new UserError(ErrorId.PROJECT_CLASS_PATH, "Running Maven (" + mvn + ") failed: " + e.getMessage());
        } finally {
            progress.end("done");
        }
    }

    /**
     * Runs Maven, offline first (the usual case: the project was built here); online only when
     * offline cannot do it. It compiles the module (and, in a multi-module project, the modules it
     * needs), and with {@code classPath} also writes the module's class path, which it returns.
     */
    private String ask(Path module, Scope scope, boolean classPath) {
        String mvn = mavenExecutable();
        Path out;
        try {
            out = Files.createTempFile("hotrestart-classpath-", ".txt");
        } catch (IOException e) {
            throw new UserError(ErrorId.PROJECT_CLASS_PATH, "Cannot write a temp file for Maven's answer: " + e.getMessage());
        }
        try {
            List<String> cmd = new ArrayList<>(List.of(mvn, "-B", "-q", "-o", "-f", root.resolve("pom.xml").toString()));
            if (!module.equals(root)) {
                // -am: the modules it needs are in the reactor, so Maven finds their classes without an install;
                // the module itself comes last and writes the file last. Maven 3 takes a module's classes from
                // the reactor only when the build compiles them, which the phase does anyway.
                cmd.addAll(List.of("-pl", root.relativize(module).toString(), "-am"));
            }
            // the program runs the compiled classes: a launch compiles what changed (up to date, it costs a second)
            cmd.add(scope == Scope.TEST ? "test-compile" : "compile");
            if (classPath) cmd.addAll(List.of("dependency:build-classpath", "-Dmdep.outputFile=" + out, "-Dmdep.includeScope=" + scope.name));
            Run run = run(cmd);
            if (run.code != 0 && run.output.contains("offline")) {
                cmd.remove("-o");
                run = run(cmd);
            }
            if (run.code != 0) {
                List<String> shown = cmd.stream().filter(a -> !a.startsWith("-Dmdep.outputFile=")).toList();
                throw new UserError(ErrorId.PROJECT_CLASS_PATH, "Maven could not " + (classPath ? "compile and give the class path of " : "compile ")
                        + module.resolve("pom.xml") + " (" + String.join(" ", shown) + ": exit code " + run.code + "):\n"
                        + lastLines(run.output, 15) + "\nFix the project (the program runs its compiled classes), or set 'classPaths'.");
            }
            return classPath ? Files.readString(out, StandardCharsets.UTF_8).trim() : "";
        } catch (IOException e) {
            throw new UserError(ErrorId.PROJECT_CLASS_PATH, "Running Maven (" + mvn + ") failed: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // a temp file left over
            }
        }
    }

    private record Run(int code, String output) {}

    private Run run(List<String> cmd) throws IOException {
        return run(cmd, root);
    }

    private static Run run(List<String> cmd, Path dir) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File(isWindows() ? "NUL" : "/dev/null"))).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return new Run(p.waitFor(), text);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** Maven's own words about the failure: its last lines, without the boilerplate about -e and -X. */
    static String lastLines(String output, int n) {
        List<String> lines = new ArrayList<>();
        for (String l : output.split("\\R")) {
            String plain = l.replaceAll("\u001B\\[[;\\d]*m", "").stripTrailing();
            if (!plain.isBlank() && !NOISE.matcher(plain).matches()) lines.add(plain);
        }
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** mvn on the PATH, else in MAVEN_HOME or M2_HOME. */
    String mavenExecutable() {
        String found = findMaven();
        if (found != null) return found;
        throw new UserError(ErrorId.PROJECT_CLASS_PATH, "No Maven found to ask for the class path of the project in " + root
                + ": put mvn on the PATH or set MAVEN_HOME, or set 'classPaths' in the launch configuration.");
    }

    /**
     * Fetches a library's sources jar into the local Maven repository ({@code dependency:get}, offline
     * first: a jar fetched before is found at once), outside any project. Throws a UserError with
     * Maven's own words when it cannot.
     */
    public static void fetchSources(String coordinates) {
        String mvn = findMaven();
        if (mvn == null) throw new UserError(ErrorId.SOURCE_NOT_FOUND, "no Maven found (put mvn on the PATH or set MAVEN_HOME)");
        try {
            Path dir = Files.createTempDirectory("hotrestart-sources-");
            try {
                List<String> cmd = new ArrayList<>(List.of(mvn, "-B", "-q", "-o", "dependency:get", "-Dartifact=" + coordinates + ":jar:sources",
                        "-Dtransitive=false"));
                Run run = run(cmd, dir);
                if (run.code != 0) {
                    cmd.remove("-o");
                    run = run(cmd, dir);
                }
                if (run.code != 0) {
                    throw new UserError(ErrorId.SOURCE_NOT_FOUND, "Maven could not fetch them (exit code " + run.code + "):\n" + lastLines(run.output, 8));
                }
            } finally {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UserError(ErrorId.SOURCE_NOT_FOUND, "running Maven (" + mvn + ") failed: " + e.getMessage());
        }
    }

    private static String findMaven() {
        String name = isWindows() ? "mvn.cmd" : "mvn";
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, name))) return Paths.get(dir, name).toString();
            }
        }
        for (String var : List.of("MAVEN_HOME", "M2_HOME")) {
            String home = System.getenv(var);
            if (home != null && !home.isEmpty() && Files.isExecutable(Paths.get(home, "bin", name))) {
                return Paths.get(home, "bin", name).toString();
            }
        }
        return null;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }

    /** What the cached answer depends on: every pom of the project (a sibling's dependencies count too). */
    private String stamp(Scope scope) {
        StringBuilder sb = new StringBuilder(scope.name);
        for (Path m : modules) {
            Path pom = m.resolve("pom.xml");
            try {
                sb.append('|').append(pom).append(':').append(Files.size(pom)).append(':').append(Files.getLastModifiedTime(pom).toMillis());
            } catch (IOException e) {
                sb.append('|').append(pom).append(":gone");
            }
        }
        return sb.toString();
    }

    private static Path cacheFile(Path module, Scope scope) {
        Path dir = CacheFolder.path();
        if (dir == null) return null;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((module + "|" + scope.name).getBytes(StandardCharsets.UTF_8));
            return dir.resolve("classpath").resolve(HexFormat.of().formatHex(d, 0, 10) + ".txt");
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** The cached class path, or null when there is none or the poms changed since. */
    private static List<Path> read(Path file, String stamp) {
        if (file == null || !Files.isRegularFile(file)) return null;
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(stamp)) return null;
            List<Path> out = new ArrayList<>();
            for (String l : lines.subList(1, lines.size())) out.add(Paths.get(l));
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    /** Keeps the answer; null when kept, else why not. */
    private static String write(Path file, String stamp, List<Path> entries) {
        if (file == null) return "there is no cache folder (no $XDG_CACHE_HOME or home folder)";
        try {
            Files.createDirectories(file.getParent());
            StringBuilder sb = new StringBuilder(stamp).append('\n');
            for (Path p : entries) sb.append(p).append('\n');
            Path tmp = Files.createTempFile(file.getParent(), "classpath-", ".part");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return null;
        } catch (IOException e) {
            // no cache: the next launch asks Maven again
            return "the cache folder " + file.getParent().getParent() + " cannot be written (" + e + ")";
        }
    }
}
