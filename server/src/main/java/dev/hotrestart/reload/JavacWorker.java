package dev.hotrestart.reload;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A javac that stays alive in another JVM: the debuggee's JDK, when its classes are newer than
 * this adapter's JDK can compile. The adapter starts it once per session ({@link #start}) and
 * sends it one file at a time over its stdin; it answers with the class files or the errors on
 * its stdout. A javac process per reload would pay the JVM's start and a cold javac each time
 * (most of a second); this one keeps javac's context pooled and its code compiled by the JIT.
 * It runs from the adapter's own jar (compiled for Java 17), ends when its stdin closes, and
 * needs nothing but the JDK.
 */
public final class JavacWorker {
    private JavacWorker() {}

    /** The worker's side: reads the class path, then compiles each request until stdin closes. */
    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(System.out));
        System.setOut(System.err); // stdout is the channel: nothing else may write to it
        List<Path> classPath = new ArrayList<>();
        int n;
        try {
            n = in.readInt();
        } catch (EOFException e) {
            return;
        }
        for (int i = 0; i < n; i++) classPath.add(Paths.get(readString(in)));
        JavaCompilerService javac = new JavaCompilerService(classPath, null);
        while (true) {
            String fileName;
            try {
                fileName = readString(in);
            } catch (EOFException e) {
                return; // the adapter is gone
            }
            String source = readString(in);
            int release = in.readInt();
            JavaCompilerService.Outcome outcome;
            try {
                outcome = javac.compileHere(fileName, source, release);
            } catch (RuntimeException e) {
                outcome = new JavaCompilerService.Outcome(null, List.of(new JavaCompilerService.Error(-1, -1, "javac failed: " + e)));
            }
            write(out, outcome);
            out.flush();
        }
    }

    private static void write(DataOutputStream out, JavaCompilerService.Outcome o) throws IOException {
        out.writeBoolean(o.classes() != null);
        if (o.classes() != null) {
            out.writeInt(o.classes().size());
            for (Map.Entry<String, byte[]> e : o.classes().entrySet()) {
                writeString(out, e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        } else {
            out.writeInt(o.errors().size());
            for (JavaCompilerService.Error e : o.errors()) {
                out.writeLong(e.line());
                out.writeLong(e.column());
                writeString(out, e.message());
            }
        }
    }

    private static JavaCompilerService.Outcome read(DataInputStream in) throws IOException {
        boolean ok = in.readBoolean();
        int n = in.readInt();
        if (ok) {
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = readString(in);
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                classes.put(name, b);
            }
            return new JavaCompilerService.Outcome(classes, List.of());
        }
        List<JavaCompilerService.Error> errors = new ArrayList<>();
        for (int i = 0; i < n; i++) errors.add(new JavaCompilerService.Error(in.readLong(), in.readLong(), readString(in)));
        return new JavaCompilerService.Outcome(null, errors);
    }

    /** Strings of any length (a class path exceeds writeUTF's 64 KB). */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The adapter's side: one worker process. */
    static final class Client implements Closeable {
        private final Process process;
        private final DataOutputStream out;
        private final DataInputStream in;

        private Client(Process process) {
            this.process = process;
            this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
            this.in = new DataInputStream(new BufferedInputStream(process.getInputStream()));
        }

        /** Starts a worker on {@code javaHome}'s java, from the jar (or folder) this class came from. */
        static Client start(Path javaHome, List<Path> classPath) throws IOException {
            Path java = javaHome.resolve("bin").resolve("java");
            Path own;
            try {
                own = Paths.get(JavacWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (URISyntaxException | RuntimeException e) {
                throw new IOException("cannot tell where the adapter's classes are: " + e);
            }
            if (!Files.isExecutable(java) || !Files.exists(own)) throw new IOException("no " + java + " or " + own);
            Process p = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "--add-exports", "jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
                    "-cp", own.toString(), JavacWorker.class.getName())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Client c = new Client(p);
            try {
                c.out.writeInt(classPath.size());
                for (Path entry : classPath) writeString(c.out, entry.toString());
                c.out.flush();
            } catch (IOException e) {
                c.close();
                throw e;
            }
            return c;
        }

        JavaCompilerService.Outcome compile(String fileName, String source, int release) throws IOException {
            writeString(out, fileName);
            writeString(out, source);
            out.writeInt(release);
            out.flush();
            return read(in);
        }

        @Override
        public void close() {
            try {
                out.close(); // the worker ends at the end of its input
            } catch (IOException ignored) {
                // gone already
            }
            process.destroy();
        }
    }
}
