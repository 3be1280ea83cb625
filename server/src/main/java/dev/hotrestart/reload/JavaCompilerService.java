package dev.hotrestart.reload;

import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;

/**
 * Compiles one source text to class files in memory. One javac and its file manager stay
 * alive for the session (a warm compile is a few ms; the first is hundreds). When the
 * debuggee's classes are newer than this JDK can write, the debuggee JDK's javac runs instead.
 */
public final class JavaCompilerService {
    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    private final StandardJavaFileManager standard;
    private final List<Path> classPath;
    private final Path debuggeeJavaHome;
    private static final int OWN_RELEASE = Runtime.version().feature();

    /** Where the compile under way writes its classes and its diagnostics. */
    private Map<String, ByteArrayOutputStream> sink;
    private DiagnosticCollector<JavaFileObject> diagnostics;
    private final JavaFileManager memory;
    private TaskPool pool;
    /**
     * The file the pooled context compiled last. A context that compiled one file from source and
     * then compiles another that uses its classes does not find them any more ("cannot find
     * symbol" for a class on the class path), so a compile of another file gets a fresh context.
     */
    private String pooledFile;

    public JavaCompilerService(List<Path> classPath, Path debuggeeJavaHome) {
        if (javac == null) throw new UserError(ErrorId.COMPILER_UNAVAILABLE, "This Java runtime has no compiler (java.compiler module); run hotrestart with a full JDK 17+.");
        this.standard = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        this.classPath = classPath;
        this.debuggeeJavaHome = debuggeeJavaHome;
        // One file manager for the session: a pooled javac context keeps the first one it is given.
        this.memory = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                Map<String, ByteArrayOutputStream> into = sink;
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        into.put(className, b);
                        return b;
                    }
                };
            }
        };
        this.pool = new TaskPool();
        QuickJit.apply();
    }

    /**
     * javac's own pool of compiler contexts (what jshell uses) when the runtime lets us reach it
     * (the server jar's manifest exports it): a warm compile then skips setting up javac's symbol
     * tables, several times faster. Otherwise a fresh task per compile.
     */
    private final class TaskPool {
        private final Object pool;
        private final java.lang.reflect.Method getTask;
        private final Class<?> worker;

        TaskPool() {
            Object p = null;
            java.lang.reflect.Method g = null;
            Class<?> w = null;
            try {
                Class<?> c = Class.forName("com.sun.tools.javac.api.JavacTaskPool");
                w = Class.forName("com.sun.tools.javac.api.JavacTaskPool$Worker");
                p = c.getConstructor(int.class).newInstance(1);
                g = c.getMethod("getTask", java.io.Writer.class, JavaFileManager.class, javax.tools.DiagnosticListener.class,
                        Iterable.class, Iterable.class, Iterable.class, w);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                p = null;
            }
            this.pool = p;
            this.getTask = g;
            this.worker = w;
        }

        boolean call(List<String> options, JavaFileObject unit) {
            javax.tools.DiagnosticListener<JavaFileObject> listener = d -> diagnostics.report(d);
            if (pool != null) {
                Object work = java.lang.reflect.Proxy.newProxyInstance(worker.getClassLoader(), new Class<?>[]{worker},
                        (proxy, method, args) -> method.getName().equals("withTask")
                                ? ((javax.tools.JavaCompiler.CompilationTask) args[0]).call() : null);
                try {
                    return (Boolean) getTask.invoke(pool, null, memory, listener, options, null, List.of(unit), work);
                } catch (ReflectiveOperationException e) {
                    // fall through to a plain task
                }
            }
            return javac.getTask(null, memory, listener, options, null, List.of(unit)).call();
        }
    }

    /** Whether classes for this Java release compile in this JVM (else the debuggee JDK's javac does, in its worker JVM). */
    static boolean inProcess(int release) {
        return release <= OWN_RELEASE;
    }

    /** Lets go of the class path's open jars, and ends the worker JVM if one runs. */
    public synchronized void close() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
        try {
            standard.close();
        } catch (IOException ignored) {
            // nothing more to let go of
        }
    }

    /** Compiles a throwaway class so the first real reload is fast. */
    public void warmUp() {
        try {
            compile("Warm.java", "class Warm { int f(int x) { return x + 1; } }", OWN_RELEASE, l -> l, "Warm.java");
        } catch (RuntimeException ignored) {
            // warming is best effort
        }
    }

    /** What a compile gave: the class files, or (classes null) the errors. */
    record Outcome(Map<String, byte[]> classes, List<Error> errors) {}

    /** One javac error, at a line and column of the compiled text (-1 when it has none). */
    record Error(long line, long column, String message) {}

    /** The debuggee JDK's javac, kept alive for the session (null until needed, or when it cannot start). */
    private JavacWorker.Client worker;
    private int workerFailures;

    /**
     * Compiles {@code source}; errors name {@code displayPath} and lines mapped by {@code lineMap}
     * (the spliced text's lines to the edited file's).
     */
    public synchronized Map<String, byte[]> compile(String fileName, String source, int release,
                                                    IntUnaryOperator lineMap, String displayPath) {
        Outcome o = inProcess(release) ? compileHere(fileName, source, release) : compileInDebuggeeJdk(fileName, source, release);
        if (o == null) return compileExternally(fileName, source, release, lineMap, displayPath);
        if (o.classes() != null) return o.classes();
        List<CompileFailure.Diagnostic> found = new ArrayList<>();
        for (Error e : o.errors()) {
            int line = e.line() > 0 ? lineMap.applyAsInt((int) e.line()) : 0;
            found.add(new CompileFailure.Diagnostic(displayPath, line, e.line() > 0 ? (int) e.column() : 0, e.message()));
        }
        throw new CompileFailure(found, classPath);
    }

    /** Compiles in this JVM; {@code release} is at most this JDK's. */
    synchronized Outcome compileHere(String fileName, String source, int release) {
        if (pooledFile != null && !pooledFile.equals(fileName)) pool = new TaskPool();
        pooledFile = fileName;
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> out = new LinkedHashMap<>();
        sink = out;
        diagnostics = diags;
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("mem:///" + fileName), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = new ArrayList<>(List.of("-g", "-proc:none", "-implicit:none", "-Xlint:none", "-nowarn"));
        if (release < OWN_RELEASE) {
            // --release reads the older platform's API signatures: only pay for that when needed
            options.add("--release");
            options.add(Integer.toString(release));
        }
        if (!classPath.isEmpty()) {
            options.add("-classpath");
            options.add(joinPath());
        }
        if (!pool.call(options, unit)) {
            List<Error> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) continue;
                errors.add(new Error(d.getLineNumber(), d.getColumnNumber(), d.getMessage(Locale.ROOT))); // whole: symbol:, location:
            }
            return new Outcome(null, errors);
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        out.forEach((k, v) -> classes.put(k, v.toByteArray()));
        return new Outcome(classes, List.of());
    }

    /**
     * Compiles with the debuggee JDK's javac in a worker JVM kept for the session
     * ({@link JavacWorker}); null when no worker can run, and a javac process per compile does it.
     */
    private Outcome compileInDebuggeeJdk(String fileName, String source, int release) {
        if (debuggeeJavaHome == null || workerFailures >= 2) return null;
        try {
            if (worker == null) worker = JavacWorker.Client.start(debuggeeJavaHome, classPath);
            return worker.compile(fileName, source, release);
        } catch (IOException e) {
            workerFailures++; // twice, and the session keeps to a javac process per compile
            if (worker != null) worker.close();
            worker = null;
            return null;
        }
    }

    private Map<String, byte[]> compileExternally(String fileName, String source, int release,
                                                  IntUnaryOperator lineMap, String displayPath) {
        Path javacExe = debuggeeJavaHome.resolve("bin").resolve("javac");
        if (!Files.isExecutable(javacExe)) {
            throw new UserError(ErrorId.COMPILER_UNAVAILABLE, "The debuggee's classes are Java " + release + ", newer than this adapter's JDK " + OWN_RELEASE
                    + ", and 'javaHome' (" + debuggeeJavaHome + ") has no javac. Set 'javaHome' to the debuggee's JDK.");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("hotrestart-javac");
            Path src = dir.resolve("src");
            Path outDir = dir.resolve("out");
            Files.createDirectories(src);
            Files.createDirectories(outDir);
            Path file = src.resolve(fileName);
            Files.writeString(file, source, StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(List.of(javacExe.toString(), "-g", "-proc:none", "-implicit:none", "-nowarn",
                    "-encoding", "UTF-8", "--release", Integer.toString(release), "-d", outDir.toString()));
            if (!classPath.isEmpty()) {
                cmd.add("-classpath");
                cmd.add(joinPath());
            }
            cmd.add(file.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
            if (p.exitValue() != 0) throw new CompileFailure(printedErrors(text, fileName, lineMap, displayPath), classPath);
            Map<String, byte[]> classes = new LinkedHashMap<>();
            try (Stream<Path> files = Files.walk(outDir)) {
                for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    String rel = outDir.relativize(f).toString();
                    classes.put(rel.substring(0, rel.length() - 6).replace('/', '.'), Files.readAllBytes(f));
                }
            }
            return classes;
        } catch (IOException | InterruptedException e) {
            throw new UserError(ErrorId.COMPILER_UNAVAILABLE, "Cannot run " + javacExe + ": " + e.getMessage());
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    /**
     * The errors javac printed: each {@code File.java:N: error: text} line, with the {@code symbol:},
     * {@code location:} (and like) lines after it; the source line and caret it quotes are left out.
     */
    static List<CompileFailure.Diagnostic> printedErrors(String text, String fileName, IntUnaryOperator lineMap, String displayPath) {
        List<CompileFailure.Diagnostic> out = new ArrayList<>();
        java.util.regex.Pattern error = java.util.regex.Pattern.compile("^.*?" + java.util.regex.Pattern.quote(fileName) + ":(\\d+): error: (.*)$");
        java.util.regex.Pattern detail = java.util.regex.Pattern.compile("^\\s+\\w[\\w ]*:\\s.*$");
        int line = 0;
        StringBuilder message = null;
        for (String l : text.split("\\R")) {
            java.util.regex.Matcher m = error.matcher(l);
            if (m.matches()) {
                if (message != null) out.add(new CompileFailure.Diagnostic(displayPath, line, 0, message.toString()));
                line = lineMap.applyAsInt(Integer.parseInt(m.group(1)));
                message = new StringBuilder(m.group(2));
            } else if (message != null && detail.matcher(l).matches()) {
                message.append('\n').append(l.strip());
            }
        }
        if (message != null) out.add(new CompileFailure.Diagnostic(displayPath, line, 0, message.toString()));
        return out;
    }

    private String joinPath() {
        StringBuilder b = new StringBuilder();
        for (Path p : classPath) {
            if (b.length() > 0) b.append(java.io.File.pathSeparator);
            b.append(p);
        }
        return b.toString();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // temp
                }
            });
        } catch (IOException ignored) {
            // temp
        }
    }
}
