package dev.hotrestart.session;

import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the client of the program's threads that start and end (DAP's {@code thread} event).
 * <p>
 * Before Java 21 the JVM reports each (JDI's thread start and death requests, in {@link StartUp}).
 * From Java 21 on, a program may start a million virtual threads, and a JDWP event for each costs
 * it most of its time (20,000 trivial ones took 5× as long). JDI's platform-threads-only filter
 * would leave them out, but the JDI of the Java 17 that runs the adapter lacks it. So on those
 * JVMs nothing is requested: the platform threads are compared with the last look instead, twice a
 * second while the session lasts and before every stop (so a stop never lists a thread the client
 * was not told of, nor keeps one that ended). Virtual threads are never announced; one that stops
 * is listed by {@code threads} while it is stopped, and its id is dropped once it has ended.
 */
final class ThreadWatch {
    private static final Logger LOG = Logger.getLogger(ThreadWatch.class.getName());
    private static final long PERIOD_MS = 500;

    private final VirtualMachine vm;
    private final ThreadStops stops;
    private final ClientEvents events;
    private final Consumer<ThreadReference> ended;
    private final Set<ThreadReference> known;
    private volatile boolean stopped;

    private ThreadWatch(VirtualMachine vm, ThreadStops stops, ClientEvents events, Consumer<ThreadReference> ended) {
        this.vm = vm;
        this.stops = stops;
        this.events = events;
        this.ended = ended;
        this.known = new HashSet<>(vm.allThreads());
    }

    /** Whether the JVM reports thread starts and ends as events: true before Java 21, which has no virtual threads. */
    static boolean byEvents(VirtualMachine vm) {
        return feature(vm.version()) < 21;
    }

    static int feature(String version) {
        try {
            return Runtime.Version.parse(version).feature();
        } catch (IllegalArgumentException e) {
            return version.startsWith("1.") ? 8 : 0; // 1.8.0_392: Java 8
        }
    }

    /** Watches the JVM's threads by comparing looks, on a daemon thread; null when the JVM reports them itself. */
    static ThreadWatch start(VirtualMachine vm, ThreadStops stops, ClientEvents events, Consumer<ThreadReference> ended) {
        if (byEvents(vm)) return null;
        ThreadWatch w = new ThreadWatch(vm, stops, events, ended);
        Thread t = new Thread(w::run, "thread-watch");
        t.setDaemon(true);
        t.start();
        return w;
    }

    private void run() {
        while (!stopped) {
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            look();
        }
    }

    /**
     * Compares the JVM's platform threads with the last look and tells the client what changed.
     * Under the session's lock, as the JVM's events are handled (a stop calls it holding that lock).
     */
    void look() {
        synchronized (stops) {
            lookLocked();
        }
    }

    private void lookLocked() {
        if (stopped) return;
        List<ThreadReference> now;
        try {
            now = vm.allThreads();
        } catch (VMDisconnectedException e) {
            stopped = true;
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "listing threads", e);
            return;
        }
        Set<ThreadReference> seen = new HashSet<>(now);
        for (ThreadReference t : now) {
            if (known.add(t)) events.thread(t, "started");
        }
        for (var it = known.iterator(); it.hasNext(); ) {
            ThreadReference t = it.next();
            if (seen.contains(t)) continue;
            it.remove();
            events.thread(t, "exited");
            ended.accept(t);
        }
        // a virtual thread that stopped got an id; it ends without an event and is never in allThreads
        List<ThreadReference> withIds = stops.idleWithIds();
        withIds.removeIf(t -> seen.contains(t) || known.contains(t));
        int n = Math.min(withIds.size(), MAX_ASKED);
        for (int i = 0; i < n; i++) {
            ThreadReference t = withIds.get((nextAsked + i) % withIds.size());
            if (hasEnded(t)) ended.accept(t);
        }
        nextAsked = withIds.isEmpty() ? 0 : (nextAsked + n) % withIds.size();
    }

    /** How many threads with ids and no platform thread's place one look asks about, at most (a round trip each); the next look goes on from there. */
    private static final int MAX_ASKED = 16;
    private int nextAsked;

    private static boolean hasEnded(ThreadReference t) {
        try {
            return t.status() == ThreadReference.THREAD_STATUS_ZOMBIE;
        } catch (com.sun.jdi.ObjectCollectedException e) {
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    void stop() {
        stopped = true;
    }
}
