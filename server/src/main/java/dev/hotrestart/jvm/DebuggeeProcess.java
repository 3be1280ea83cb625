package dev.hotrestart.jvm;

import dev.hotrestart.dap.UserError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
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
    private final Thread stdoutPump;
    private final Thread stderrPump;
    public final int port;

    private DebuggeeProcess(Process process, int port, InputStream stdoutRest, BiConsumer<String, String> output) {
        this.process = process;
        this.port = port;
        this.stdoutPump = pump(stdoutRest, "stdout", output);
        this.stderrPump = pump(process.getErrorStream(), "stderr", output);
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
            throw new UserError("Cannot start the debuggee (" + command.get(0) + "): " + e.getMessage()
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
            throw new UserError("The debuggee JVM did not start" + (err.isBlank() ? "." : ": " + err.strip())
                    + (first != null && !first.isBlank() ? " (" + first.strip() + ")" : "")
                    + ". Check 'vmArgs' and 'javaHome'.");
        }
        return new DebuggeeProcess(p, Integer.parseInt(m.group(1)), out, output);
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

    private static Thread pump(InputStream in, String category, BiConsumer<String, String> output) {
        Thread t = new Thread(() -> {
            char[] buf = new char[8192];
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                int n;
                while ((n = r.read(buf)) != -1) {
                    if (n > 0) output.accept(category, new String(buf, 0, n));
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "debuggee-" + category);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for the process to end and its output to be delivered; returns the exit code. */
    public int awaitExit(long timeoutMs) {
        try {
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
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

    /** Ends the debuggee at once (disconnect, terminate, adapter exit): no orphan JVM is left. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
