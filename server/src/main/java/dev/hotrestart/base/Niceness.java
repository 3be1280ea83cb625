package dev.hotrestart.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Background work of the adapter that must not take the cores from the program it debugs: on
 * Linux the calling thread gets nice value 19, so the kernel runs the program's threads first
 * whenever both want a core. Best effort: where there is no {@code /proc/thread-self} or no
 * {@code renice}, nothing changes. A nice value cannot be lowered again without privileges, so
 * only threads that do nothing else are given it, and nothing another thread waits for may run on
 * them.
 */
public final class Niceness {
    private Niceness() {}

    /** The calling thread yields the cores to everything else for as long as it lives. */
    public static void lowerThisThread() {
        Path self = Path.of("/proc/thread-self");
        try {
            if (!Files.exists(self)) return;
            String tid = Files.readSymbolicLink(self).getFileName().toString();
            Process p = new ProcessBuilder("renice", "-n", "19", "-p", tid)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroy();
        } catch (IOException | RuntimeException e) {
            // no renice here: the thread keeps its priority
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
