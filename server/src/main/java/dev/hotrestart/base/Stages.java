package dev.hotrestart.base;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a reload spends its time, for whoever measures the adapter: with the environment variable
 * {@code HOTRESTART_STAGES} set to a file, each reload appends one line to it, every mark with
 * its milliseconds since the reload began. Off (the default) a mark costs one field read.
 */
public final class Stages {
    private static final Path FILE = file(System.getenv("HOTRESTART_STAGES"));
    public static final boolean ON = FILE != null;
    private static final StringBuilder line = new StringBuilder();
    private static long origin;

    static {
        if (ON) {
            // the first clock reading and format load their classes (8 ms): not in the first reload's line
            String.format(java.util.Locale.ROOT, " %s=%.2f %s", "warm", 1.0, java.time.LocalTime.now());
        }
    }

    private Stages() {}

    private static Path file(String name) {
        try {
            return name == null || name.isEmpty() ? null : Path.of(name);
        } catch (RuntimeException e) {
            return null; // not a path: nothing is measured
        }
    }

    /** When the client's last message was read whole (before it is parsed and dispatched; normally the reload's request). */
    private static volatile long arrived;

    /** The client's message has been read, not yet parsed: the next {@link #begin} says how long ago. */
    public static void arrived() {
        if (ON) arrived = System.nanoTime();
    }

    /** A reload (or what else is measured) begins. */
    public static void begin(String what) {
        if (!ON) return;
        synchronized (line) {
            origin = System.nanoTime();
            line.setLength(0);
            line.append(what).append(" at=").append(java.time.LocalTime.now());
            long read = arrived;
            if (read != 0) line.append(String.format(java.util.Locale.ROOT, " sinceRead=%.2f", (origin - read) / 1e6));
        }
    }

    public static void mark(String stage) {
        if (!ON) return;
        synchronized (line) {
            if (origin == 0) return;
            line.append(String.format(java.util.Locale.ROOT, " %s=%.2f", stage, (System.nanoTime() - origin) / 1e6));
        }
    }

    /** A line of its own, for what happens beside the reloads (practice). */
    public static void note(String what) {
        if (!ON) return;
        write(what + " at=" + java.time.LocalTime.now() + "\n");
    }

    /** What {@link #begin} began has ended: its line is written. */
    public static void end(String stage) {
        if (!ON) return;
        String out;
        synchronized (line) {
            if (origin == 0) return;
            mark(stage);
            origin = 0;
            out = line.append('\n').toString();
        }
        write(out);
    }

    private static void write(String out) {
        try {
            Files.writeString(FILE, out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException ignored) {
            // measuring only
        }
    }
}
