package dev.hotrestart.jvm;

import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.event.ExceptionEvent;
import com.sun.jdi.request.EventRequest;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that takes events off the VM's queue, as jdb does. Each event set is handed
 * to the handler; the set's threads are resumed when the handler says nothing stopped.
 *
 * <p>While a thread runs a method for an evaluation, its breakpoints and steps must not stop
 * it (the evaluation would wait for itself): those events are resumed at once, and other events
 * wait until no call runs, so the loop never blocks on a session busy with the evaluation.
 */
public final class EventLoop {
    private static final Logger LOG = Logger.getLogger(EventLoop.class.getName());

    public interface Handler {
        /** Returns true when the set's suspended threads should be resumed. */
        boolean handle(EventSet set);

        void disconnected();

        /** True while the thread runs a method for an evaluation. */
        boolean isCalling(ThreadReference t);

        boolean anyCalls();

        /** A breakpoint or step on a thread busy with an evaluation was passed over. Called without the session's lock. */
        void skippedDuringCall(LocatableEvent e);
    }

    /** An event set waiting for calls to end; {@code resumed} when its thread already runs on. */
    private record Waiting(EventSet set, boolean resumed) {}

    private final VirtualMachine vm;
    private final Handler handler;
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private Thread thread;

    private EventLoop(VirtualMachine vm, Handler handler) {
        this.vm = vm;
        this.handler = handler;
    }

    public static EventLoop start(VirtualMachine vm, Handler handler) {
        EventLoop loop = new EventLoop(vm, handler);
        loop.thread = new Thread(loop::run, "jdi-events");
        loop.thread.setDaemon(true);
        loop.thread.start();
        return loop;
    }

    private void run() {
        try {
            while (true) {
                if (!waiting.isEmpty() && !handler.anyCalls()) {
                    Waiting w = waiting.poll();
                    dispatch(w.set(), w.resumed());
                    continue;
                }
                EventSet set = waiting.isEmpty() ? vm.eventQueue().remove() : vm.eventQueue().remove(20);
                if (set == null) continue;
                if (handler.anyCalls() || !waiting.isEmpty()) {
                    sortDuringCall(set);
                } else {
                    dispatch(set, false);
                }
            }
        } catch (InterruptedException | VMDisconnectedException e) {
            // the VM is gone
        } finally {
            handler.disconnected();
        }
    }

    private void dispatch(EventSet set, boolean resumed) {
        boolean resume;
        try {
            resume = handler.handle(set);
        } catch (VMDisconnectedException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event handling failed for " + set, e);
            resume = true;
        }
        if (resume && !resumed) set.resume();
    }

    /**
     * A set that came while a call runs: on the calling thread it is resumed now (a class it
     * loaded is still handled later); anything else waits for the calls to end.
     */
    private void sortDuringCall(EventSet set) {
        ThreadReference t = callingThreadOf(set);
        if (t == null) {
            waiting.add(new Waiting(set, false));
            return;
        }
        boolean prepared = false;
        for (Event e : set) {
            if (e instanceof ClassPrepareEvent) prepared = true;
            else if (e instanceof LocatableEvent le && !(e instanceof ExceptionEvent)) handler.skippedDuringCall(le);
        }
        set.resume();
        if (prepared) waiting.add(new Waiting(set, true));
    }

    /** The thread the set suspended, when it is busy with a call; else null. */
    private ThreadReference callingThreadOf(EventSet set) {
        if (set.suspendPolicy() != EventRequest.SUSPEND_EVENT_THREAD) return null;
        ThreadReference t = null;
        for (Event e : set) {
            ThreadReference et = e instanceof LocatableEvent le ? le.thread() : e instanceof ClassPrepareEvent cp ? cp.thread() : null;
            if (et == null || (t != null && !t.equals(et))) return null;
            t = et;
        }
        return t != null && handler.isCalling(t) ? t : null;
    }

    /**
     * Waits for a call's result. On the loop's own thread (a breakpoint condition calls a
     * method) it keeps taking events meanwhile, or the call could never pass a breakpoint; the
     * call's end wakes that wait at once (a condition may make several calls per hit).
     */
    public <V> V await(CompletableFuture<V> call, long timeoutMs) throws InterruptedException, ExecutionException, TimeoutException {
        if (Thread.currentThread() != thread) return call.get(timeoutMs, TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Thread me = thread;
        Object lock = new Object();
        boolean[] inRemove = {false};
        call.whenComplete((v, x) -> {
            synchronized (lock) {
                if (inRemove[0]) me.interrupt();
            }
        });
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            EventSet set = null;
            synchronized (lock) {
                if (call.isDone()) break;
                if (left <= 0) throw new TimeoutException();
                inRemove[0] = true;
            }
            try {
                set = vm.eventQueue().remove(left);
            } catch (InterruptedException woken) {
                // the call ended
            } finally {
                synchronized (lock) {
                    inRemove[0] = false;
                }
                Thread.interrupted();
            }
            if (set != null) sortDuringCall(set);
        }
        return call.get();
    }
}
