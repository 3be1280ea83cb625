package dev.hotrestart.base;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Work that follows a stop the client has been told of, and that the client's next request need
 * not wait for: the JDI event thread handles an event set holding the session's lock, which every
 * request takes, so what it does after the {@code stopped} event (a hint in the debug console,
 * preparing the reload practice) would hold up the reload or the stack trace the client asks for
 * at once. Queued on the event thread while it handles a set, run once it lets go of the lock;
 * on any other thread, or outside a set, run at once.
 */
public final class AfterUnlock {
    private static final Logger LOG = Logger.getLogger(AfterUnlock.class.getName());
    private static final ThreadLocal<List<Runnable>> PENDING = new ThreadLocal<>();

    private AfterUnlock() {}

    /** Runs {@code action} once the lock is let go, or now (see the class). */
    public static void run(Runnable action) {
        List<Runnable> pending = PENDING.get();
        if (pending == null) {
            action.run();
        } else {
            pending.add(action);
        }
    }

    /** Runs {@code locked} (the caller takes the lock inside it), then what it queued, in order. */
    public static boolean handle(BooleanSupplier locked) {
        List<Runnable> pending = new ArrayList<>();
        List<Runnable> outer = PENDING.get();
        PENDING.set(pending);
        boolean result;
        try {
            result = locked.getAsBoolean();
        } finally {
            PENDING.set(outer);
        }
        for (Runnable r : pending) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "after a stop", e); // (the thread ran on, or the program ended, meanwhile)
            }
        }
        return result;
    }
}
