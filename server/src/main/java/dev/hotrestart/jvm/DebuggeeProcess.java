package dev.hotrestart.jvm;

import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A debuggee JVM we started: its process, its JDWP port (read from its first output line)
 * and the pumps that turn its stdout and stderr into output events, losing nothing at exit.
 */
public final class DebuggeeProcess {
    private static final Pattern LISTENING = Pattern.compile("Listening for transport dt_socket at address: (\\d+)");

    private final Process process;
    private final Pump stdout;
    private final Pump stderr;
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private final Path cwd;
    /** The debugger ended it (disconnect, terminate): its exit code is no news to the user. */
    private volatile boolean killedHere;
    public final int port;

    private DebuggeeProcess(Process process, int port, Path cwd, InputStream stdoutRest, BiConsumer<String, String> output) {
        this.process = process;
        this.cwd = cwd;
        this.port = port;
        this.stdout = new Pump(stdoutRest, "stdout", output, process);
        this.stderr = new Pump(process.getErrorStream(), "stderr", output, process);
        this.stdoutPump = start(stdout, "stdout");
        this.stderrPump = start(stderr, "stderr");
    }

    /** Starts {@code command} (whose JDWP option has {@code server=y,suspend=y,address=127.0.0.1:0}). */
    public static DebuggeeProcess start(List<String> command, java.nio.file.Path cwd, Map<String, String> env,
                                        BiConsumer<String, String> output) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UserError(ErrorId.LAUNCH_FAILED, "Cannot start the debuggee (" + command.get(0) + "): " + e.getMessage()
                    + ". Check 'javaHome' and 'cwd'.");
        }
        try {
            p.getOutputStream().close(); // the debug console has no input: reading System.in sees its end
        } catch (IOException ignored) {
            // nothing to close
        }
        InputStream out = p.getInputStream();
        String first;
        try {
            first = readLine(out);
        } catch (IOException e) {
            first = null;
        }
        Matcher m = first == null ? null : LISTENING.matcher(first);
        if (m == null || !m.find()) {
            String err = drain(p);
            p.destroyForcibly();
            throw new UserError(ErrorId.LAUNCH_FAILED, "The debuggee JVM did not start" + (err.isBlank() ? "." : ": " + err.strip())
                    + (first != null && !first.isBlank() ? " (" + first.strip() + ")" : "")
                    + ". Check 'vmArgs' and 'javaHome'.");
        }
        return new DebuggeeProcess(p, Integer.parseInt(m.group(1)), cwd, out, output);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') b.write(c);
        if (c == -1 && b.size() == 0) return null;
        return b.toString(StandardCharsets.UTF_8);
    }

    private static String drain(Process p) {
        try {
            p.waitFor(5, TimeUnit.SECONDS);
            return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /**
     * Turns one of the process's streams into output events. It never blocks in a read: it takes
     * what the pipe holds, so {@link #flush} can deliver everything the program wrote before an
     * event that stops it, ahead of the stop.
     */
    private static final class Pump implements Runnable {
        private final InputStream in;
        private final String category;
        private final BiConsumer<String, String> output;
        private final Process process;
        private byte[] carry = new byte[0]; // the start of a UTF-8 character split between reads
        private boolean ended;

        Pump(InputStream in, String category, BiConsumer<String, String> output, Process process) {
            this.in = in;
            this.category = category;
            this.output = output;
            this.process = process;
        }

        @Override
        public void run() {
            long idleMs = 1;
            while (!ended) {
                boolean got = drain();
                if (got) {
                    idleMs = 1;
                    continue;
                }
                if (!process.isAlive()) {
                    drain(); // what the process wrote last
                    synchronized (this) {
                        ended = true;
                    }
                    break;
                }
                try {
                    Thread.sleep(idleMs);
                } catch (InterruptedException e) {
                    return;
                }
                idleMs = Math.min(idleMs * 2, 16);
            }
        }

        /** Delivers what the pipe holds now; true when there was something. */
        synchronized boolean drain() {
            if (ended) return false;
            try {
                int n = in.available();
                if (n <= 0) return false;
                byte[] bytes = new byte[carry.length + n];
                System.arraycopy(carry, 0, bytes, 0, carry.length);
                int read = in.read(bytes, carry.length, n);
                if (read <= 0) return false;
                int len = carry.length + read;
                int whole = wholeUtf8(bytes, len);
                carry = java.util.Arrays.copyOfRange(bytes, whole, len);
                if (whole > 0) output.accept(category, new String(bytes, 0, whole, StandardCharsets.UTF_8));
                return true;
            } catch (IOException e) {
                ended = true; // the process is gone
                return false;
            }
        }
    }

    /** The length of the longest prefix that ends on a whole UTF-8 character. */
    static int wholeUtf8(byte[] b, int len) {
        for (int back = 1; back <= Math.min(3, len); back++) {
            int c = b[len - back] & 0xFF;
            if ((c & 0xC0) == 0x80) continue; // a continuation byte: look further back
            int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return need > back ? len - back : len;
        }
        return len;
    }

    private Thread start(Pump pump, String category) {
        Thread t = new Thread(pump, "debuggee-" + category);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Delivers the output the program wrote so far, before an event that stops it is reported. */
    /** The program's process, for what the system tells of it (its CPU use). */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public void flush() {
        stdout.drain();
        stderr.drain();
    }

    /** Waits for the process to end and its output to be delivered; returns the exit code. */
    public int awaitExit(long timeoutMs) {
        try {
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                killedHere = true; // the debugger ends it: its exit code is no news
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
            stdoutPump.join(2000);
            stderrPump.join(2000);
            return process.exitValue();
        } catch (InterruptedException | IllegalThreadStateException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * What the user should read when the JVM did not end by itself (a crash, a signal from outside
     * the debugger), from its exit code (128 + the signal on Linux and macOS) and the crash report
     * it left; null when it ended normally, with its own code, or because the debugger ended it.
     */
    public String endNote(int code) {
        if (killedHere || code <= 128 || code > 128 + 31) return null;
        String report = "hs_err_pid" + process.pid() + ".log";
        Path written = null;
        for (Path dir : List.of(cwd, Path.of(System.getProperty("java.io.tmpdir")))) {
            if (Files.isRegularFile(dir.resolve(report))) {
                written = dir.resolve(report);
                break;
            }
        }
        if (written != null) {
            return "hotrestart: the program's JVM crashed (exit code " + code + "). Its crash report: " + written + "\n";
        }
        String how = switch (code - 128) {
            case 6 -> "as from SIGABRT: the JVM aborted, which is how it ends on a fatal error (its output above says why and where its report is)";
            case 9 -> "as from SIGKILL: killed from outside the debugger (kill -9, or the system's out-of-memory killer: see dmesg)";
            case 15 -> "as from SIGTERM: asked to end from outside the debugger";
            case 11, 7, 4, 8 -> "as from signal " + (code - 128) + ": the JVM crashed in native code";
            default -> "as from signal " + (code - 128) + ", sent from outside the debugger";
        };
        return "hotrestart: the program ended with exit code " + code + ", " + how + ".\n";
    }

    /** Ends the debuggee at once (disconnect, terminate, adapter exit): no orphan JVM is left. */
    public void kill() {
        killedHere = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
