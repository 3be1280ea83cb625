package dev.hotrestart.base;

import java.util.ArrayList;
import java.util.List;

/**
 * Actions that must happen only once the response of the request being handled is on the wire:
 * sending {@code initialized}, resuming a thread, a {@code stopped} event after a restart.
 * Requests are handled on the protocol reader thread, which also writes their responses, so a
 * thread-local list suffices; the protocol layer runs it right after each response.
 */
public final class AfterResponse {
    private static final ThreadLocal<List<Runnable>> PENDING = ThreadLocal.withInitial(ArrayList::new);

    private AfterResponse() {}

    /** Runs {@code action} after the response to the request this thread is handling. */
    public static void run(Runnable action) {
        PENDING.get().add(action);
    }

    /** What was queued on this thread, taken off the queue. */
    public static List<Runnable> take() {
        List<Runnable> pending = PENDING.get();
        if (pending.isEmpty()) return List.of();
        List<Runnable> out = new ArrayList<>(pending);
        pending.clear();
        return out;
    }
}
