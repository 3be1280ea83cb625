package dev.hotrestart.tests;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/** Finds debuggee JVMs by a unique system property in their command line, to prove none is left. */
final class Jvms {
    private Jvms() {}

    /** A fresh {@code -Dhotrestart.test.marker=...} option; pass it in vmArgs. */
    static String marker() {
        return "-Dhotrestart.test.marker=" + UUID.randomUUID();
    }

    static List<ProcessHandle> running(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)
                        || p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                .collect(Collectors.toList());
    }

    /** The one live JVM with this marker. */
    static ProcessHandle one(String marker) {
        List<ProcessHandle> found = running(marker);
        if (found.size() != 1) fail("expected one JVM with " + marker + ", found " + found.size());
        return found.get(0);
    }

    /** Waits (up to the client's wait limit) until no JVM with the marker runs; fails naming the survivors. */
    static void awaitNone(String marker) {
        for (ProcessHandle p : running(marker)) {
            try {
                p.onExit().get(DapClient.WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                p.destroyForcibly();
                fail("the debuggee JVM " + p.pid() + " (" + marker + ") is still running: an orphan");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        List<ProcessHandle> left = running(marker);
        if (!left.isEmpty()) fail("JVMs with " + marker + " still running: " + left);
    }
}
