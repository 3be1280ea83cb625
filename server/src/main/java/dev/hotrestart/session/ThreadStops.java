package dev.hotrestart.session;

import com.sun.jdi.ObjectReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.request.MethodExitRequest;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.IdTable;
import dev.hotrestart.base.UserError;
import dev.hotrestart.eval.Returned;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the adapter knows of the program's threads: why each is stopped, what it will do next
 * (a restart, a step out of the hidden hook, a stepOut's return value), and the ids the client
 * knows threads and frames by.
 * <p>
 * <b>This object is the session's lock.</b> Requests arrive on the protocol reader thread and
 * JDI events on the event thread: a request is handled inside {@link #locked}, an event set and
 * every action run after a response synchronize on this object. Nothing here is guarded
 * otherwise, so touch it only under the lock.
 */
public final class ThreadStops {
    /** A frame as the client knows it: (thread, depth), since JDI's frames die on every resume. */
    public record FrameRef(ThreadReference thread, int depth) {
        // written out: a record's own equals and hashCode go through method handles, which cost
        // about 30 µs a call until the JIT has them, and a 1,000-frame trace makes 1,000 of these
        @Override
        public boolean equals(Object o) {
            return o instanceof FrameRef r && r.depth == depth && r.thread.equals(thread);
        }

        @Override
        public int hashCode() {
            return thread.hashCode() * 31 + depth;
        }
    }

    /** One thread's state beyond what JDI knows. */
    private static final class PerThread {
        /** Why it is stopped, as the client was told; null while it runs. */
        Stop stop;
        /** It was popped for a restart: its next step stop is reported as reason "restart". */
        boolean restarting;
        /** It steps out of a frame the user is not shown first (the agent's hidden hook, a skipped constructor); then the step the user asked for (a StepRequest depth). */
        Integer stepAfterLeaving;
        /** A stepOut watches its method return. */
        MethodExitRequest returnWatch;
        /** What that method returned, until the step stops. */
        Returned returned;

        boolean idle() {
            return stop == null && !restarting && stepAfterLeaving == null && returnWatch == null && returned == null;
        }
    }

    private final IdTable<ThreadReference> threadIds = new IdTable<>();
    private final IdTable<FrameRef> frameIds = new IdTable<>();
    private final Map<ThreadReference, PerThread> threads = new HashMap<>();
    /** Exceptions let go on (continue, a step, propagateException): they stop nowhere again. */
    private final Set<ObjectReference> propagating = new HashSet<>();
    private final Variables variables;

    ThreadStops(Variables variables) {
        this.variables = variables;
    }

    /** Runs {@code work} under the session's lock. */
    public <T> T locked(Supplier<T> work) {
        synchronized (this) {
            return work.get();
        }
    }

    // ---------------------------------------------------------------- ids

    public int id(ThreadReference t) {
        return threadIds.id(t);
    }

    public ThreadReference thread(Integer id) {
        ThreadReference t = id == null ? null : threadIds.get(id);
        if (t == null) {
            throw new UserError(ErrorId.STALE_REFERENCE, "No thread with id " + id + ": it ended, or the id is stale. Ask for 'threads' again.");
        }
        return t;
    }

    public ThreadReference suspendedThread(Integer id) {
        ThreadReference t = thread(id);
        if (!t.isSuspended()) throw running(t);
        return t;
    }

    /** The error for a request that needs the thread suspended. */
    public static UserError running(ThreadReference t) {
        return new UserError(ErrorId.THREAD_RUNNING, "Thread \"" + t.name() + "\" is running; pause it first.");
    }

    public int frameId(ThreadReference t, int depth) {
        return frameIds.id(new FrameRef(t, depth));
    }

    public FrameRef frame(Integer frameId) {
        FrameRef ref = frameId == null ? null : frameIds.get(frameId);
        if (ref == null || !ref.thread().isSuspended()) {
            throw new UserError(ErrorId.STALE_REFERENCE, "Frame " + frameId + " is no longer valid: the thread ran on. Ask for the stack again.");
        }
        return ref;
    }

    /** The frame a request names, which it needs ({@code what} says for what). */
    public FrameRef requiredFrame(Integer frameId, String what) {
        if (frameId == null) throw new UserError(ErrorId.STALE_REFERENCE, what + " a stopped frame: select one in the call stack.");
        return frame(frameId);
    }

    // ---------------------------------------------------------------- stops

    public Stop stop(ThreadReference t) {
        PerThread p = threads.get(t);
        return p == null ? null : p.stop;
    }

    public void stopped(ThreadReference t, Stop stop) {
        state(t).stop = stop;
    }

    /** The stopped threads with why each stopped. */
    public Map<ThreadReference, Stop> stops() {
        Map<ThreadReference, Stop> out = new HashMap<>();
        threads.forEach((t, p) -> {
            if (p.stop != null) out.put(t, p.stop);
        });
        return out;
    }

    /** The thread runs on: what the client knew of its frames and values is stale. Returns the stop it had, or null. */
    public Stop forget(ThreadReference t) {
        PerThread p = threads.get(t);
        Stop stop = p == null ? null : p.stop;
        if (p != null) {
            p.stop = null;
            if (p.idle()) threads.remove(t);
        }
        forgetFrames(t);
        return stop;
    }

    /** The thread's frames changed under the same stop: their ids and the values read from them are stale. */
    public void forgetFrames(ThreadReference t) {
        frameIds.removeIf(f -> f.thread().equals(t));
        variables.drop(t);
    }

    /** The threads that have ids and nothing going on here (not stopped, not stepping, not restarting). */
    public List<ThreadReference> idleWithIds() {
        List<ThreadReference> out = new java.util.ArrayList<>();
        for (ThreadReference t : threadIds.values()) if (!threads.containsKey(t)) out.add(t);
        return out;
    }

    /** The thread is gone, after {@link #forget} (see RunControl.forget, which does what a resume does too). */
    public void threadEnded(ThreadReference t) {
        threads.remove(t);
        threadIds.removeIf(x -> x.equals(t));
    }

    // ---------------------------------------------------------------- what a thread does next

    public void restarting(ThreadReference t) {
        state(t).restarting = true;
    }

    /** Whether the thread was popped for a restart (and is no longer marked so). */
    public boolean takeRestarting(ThreadReference t) {
        PerThread p = threads.get(t);
        if (p == null || !p.restarting) return false;
        p.restarting = false;
        return true;
    }

    public void stepAfterLeaving(ThreadReference t, int depth) {
        state(t).stepAfterLeaving = depth;
    }

    public Integer takeStepAfterLeaving(ThreadReference t) {
        return take(t, p -> p.stepAfterLeaving, p -> p.stepAfterLeaving = null);
    }

    public void watchingReturn(ThreadReference t, MethodExitRequest r) {
        state(t).returnWatch = r;
    }

    public MethodExitRequest takeReturnWatch(ThreadReference t) {
        return take(t, p -> p.returnWatch, p -> p.returnWatch = null);
    }

    public void returned(ThreadReference t, Returned value) {
        state(t).returned = value;
    }

    public Returned takeReturned(ThreadReference t) {
        return take(t, p -> p.returned, p -> p.returned = null);
    }

    /** Reads one of the thread's pending facts and clears it. */
    private <V> V take(ThreadReference t, Function<PerThread, V> read, Consumer<PerThread> clear) {
        PerThread p = threads.get(t);
        if (p == null) return null;
        V v = read.apply(p);
        clear.accept(p);
        return v;
    }

    // ---------------------------------------------------------------- exceptions let go on

    public void propagate(ObjectReference exception) {
        propagating.add(exception);
    }

    public void stopPropagating(ObjectReference exception) {
        propagating.remove(exception);
    }

    public boolean isPropagating(ObjectReference exception) {
        return propagating.contains(exception);
    }

    private PerThread state(ThreadReference t) {
        return threads.computeIfAbsent(t, k -> new PerThread());
    }
}
