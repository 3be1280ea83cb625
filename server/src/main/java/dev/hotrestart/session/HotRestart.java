package dev.hotrestart.session;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Method;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import dev.hotrestart.base.AfterResponse;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.MethodLabel;
import dev.hotrestart.base.Stages;
import dev.hotrestart.base.UserError;
import dev.hotrestart.reload.CompileFailure;
import dev.hotrestart.reload.ReloadCycle;
import dev.hotrestart.reload.ReloadPlan;
import dev.hotrestart.reload.Restarter;
import dev.hotrestart.wrap.WrapRules;

import java.nio.file.Paths;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The hot restart requests: restartFrame, restartFrameWithReload, reloadClass, propagateException,
 * and continue on an escape. The reload itself is the reload package's; this class finds the
 * frame, tells the client, and runs the thread on.
 */
public final class HotRestart {
    private final ThreadStops stops;
    private final ClientEvents events;
    private final RunControl run;
    private final StackTraces stacks;
    private ReloadCycle reloads;
    private WrapRules wrapRules;
    private boolean reloadOnContinue;

    HotRestart(ThreadStops stops, ClientEvents events, RunControl run, StackTraces stacks) {
        this.stops = stops;
        this.events = events;
        this.run = run;
        this.stacks = stacks;
    }

    void connected(ReloadCycle reloads, WrapRules wrapRules, boolean reloadOnContinue) {
        this.reloads = reloads;
        this.wrapRules = wrapRules;
        this.reloadOnContinue = reloadOnContinue;
    }

    public void restartFrame(Integer frameId) {
        ThreadStops.FrameRef ref = stops.frame(frameId);
        restart(ref.thread(), ref.depth(), null, false);
    }

    /** {@code frameId} or else {@code threadId} (or else the one thread stopped on an escape) names the frame. */
    public Map<String, Object> restartFrameWithReload(Integer frameId, Integer threadId, String scope, boolean resume) {
        Stages.begin("reload");
        String s = scope == null ? "method" : scope;
        if (!s.equals("method") && !s.equals("class")) {
            throw new UserError(ErrorId.BAD_REQUEST, "'scope' must be \"method\" or \"class\", got \"" + s + "\".");
        }
        if (frameId != null) {
            ThreadStops.FrameRef ref = stops.frame(frameId);
            return restart(ref.thread(), ref.depth(), s, resume);
        }
        ThreadReference t = threadId != null ? stops.suspendedThread(threadId) : onlyEscapedThread();
        Stop stop = stops.stop(t);
        if (stop == null || !stop.isEscape()) {
            throw new UserError(ErrorId.NOT_STOPPED_THERE, "Thread \"" + t.name()
                    + "\" has no restart target (no exception escaped a wrapped method); pass a frameId.");
        }
        return restart(t, stop.targetDepth(), s, resume);
    }

    /** continue on an escape: the restart target runs again, with the user's edits unless 'reloadOnContinue' is false. */
    void continueAtEscape(ThreadReference t, Stop stop) {
        restart(t, stop.targetDepth(), reloadOnContinue ? "method" : null, true);
    }

    /**
     * Restarts the frame ({@code scope} null: without a reload); a failure is also written to the
     * debug console, and leaves the thread stopped where it was.
     */
    private Map<String, Object> restart(ThreadReference t, int depth, String scope, boolean resume) {
        Restarter.Restarted done = toConsole(scope != null, () -> {
            Method method;
            try {
                // all frames: the restart checks them next, and JDI keeps them while the thread stays suspended (one request)
                method = stacks.methodAt(t, depth, t.frames().get(depth).location());
            } catch (IncompatibleThreadStateException e) {
                throw ThreadStops.running(t);
            }
            Stop stop = stops.stop(t);
            boolean hookOnTop = stop != null && stop.hidden() > 0 && stop.isEscape() && depth == stop.targetDepth();
            return reloads.restarter().restart(t, depth, method, scope, stoppedThreads(t, depth + 1),
                    w -> events.output("console", "hotrestart: " + w + "\n"), hookOnTop);
        });
        Stop stop = stops.stop(t);
        if (stop != null && stop.exception() != null) stops.stopPropagating(stop.exception());
        if (resume) {
            run.resumeAndTell(t);
        } else if (done.popped()) {
            run.forget(t);
            run.enterAgain(t);
        } else {
            run.forget(t);
            run.enterAgainAt(t, done.method());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reloaded", done.reloaded());
        body.put("restarted", MethodLabel.of(done.method()));
        return body;
    }

    /** The stopped threads, each with its shallowest frame that a restart of {@code popped} at {@code from - 1} leaves. */
    private Map<ThreadReference, Integer> stoppedThreads(ThreadReference popped, int from) {
        Map<ThreadReference, Integer> out = new HashMap<>();
        for (ThreadReference s : stops.stops().keySet()) out.put(s, s.equals(popped) ? from : 0);
        return out;
    }

    private ThreadReference onlyEscapedThread() {
        ThreadReference found = null;
        for (Map.Entry<ThreadReference, Stop> e : stops.stops().entrySet()) {
            if (!e.getValue().isEscape()) continue;
            if (found != null) {
                throw new UserError(ErrorId.NOT_STOPPED_THERE, "Several threads are stopped on escaped exceptions; pass threadId or frameId.");
            }
            found = e.getKey();
        }
        if (found == null) throw new UserError(ErrorId.NOT_STOPPED_THERE, "No thread is stopped on an escaped exception; pass threadId or frameId.");
        return found;
    }

    /** Applies every change of a file's (or a class's) loaded classes; nothing is popped. */
    public Map<String, Object> reloadClass(String sourcePath, String className) {
        List<String> reloaded = toConsole(true, () -> {
            ReloadPlan plan;
            if (sourcePath != null) plan = reloads.planner().planFile(Paths.get(sourcePath).toAbsolutePath().normalize());
            else if (className != null) plan = reloads.planner().planClass(className);
            else throw new UserError(ErrorId.BAD_REQUEST, "reloadClass needs source.path (the edited file) or className.");
            return reloads.swapper().apply(plan, stoppedThreads(null, 0));
        });
        // Frame ids (thread and depth) stay valid; what the frames show changed (obsolete code)
        AfterResponse.run(events::stacksInvalidated);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reloaded", reloaded);
        return body;
    }

    /**
     * Every failure of a reload or restart also goes to the debug console, where the user looks
     * for it, and as structured diagnostics to editors that show compile errors; a reload that
     * succeeds clears them. {@code reload}: the work reloads (a restart without one says nothing).
     */
    private <T> T toConsole(boolean reload, Supplier<T> work) {
        T done;
        try {
            done = work.get();
        } catch (UserError e) {
            Stages.end("failed"); // (when timed) no stop ends this reload
            events.failure(e.getMessage());
            if (reload) events.reloadDiagnostics(e instanceof CompileFailure c ? c.diagnostics() : List.of(), e);
            throw e;
        }
        if (reload) events.reloadDiagnostics(List.of(), null);
        return done;
    }

    /**
     * hot_restart's "quit one level": the next wrapped frame further out that the exception
     * escapes becomes the restart target; when none is left, the exception goes on.
     */
    public Map<String, Object> propagateException(Integer threadId) {
        ThreadReference t = threadId != null ? stops.thread(threadId) : onlyEscapedThread();
        Stop stop = stops.stop(t);
        if (stop == null || !stop.isEscape()) {
            throw new UserError(ErrorId.NOT_STOPPED_THERE, "Thread \"" + t.name() + "\" is not stopped on an escaped exception.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (stop.hidden() > 0) {
            // the handler rethrows; the next wrapped method out that it leaves calls the hook again
            String next = null;
            try {
                List<StackFrame> frames = t.frames();
                for (int i = stop.targetDepth() + 1; i < frames.size() && next == null; i++) {
                    Method m = frames.get(i).location().method();
                    if (wrapRules.isWrapped(m)) next = MethodLabel.of(m);
                }
            } catch (IncompatibleThreadStateException e) {
                throw ThreadStops.running(t);
            }
            if (next == null) stops.propagate(stop.exception());
            body.put("target", next);
            run.resumeAndTell(t);
            return body;
        }
        if (stop.target() + 1 < stop.wrappedDepths().size()) {
            Stop outer = stop.outward();
            stops.stopped(t, outer);
            stops.forgetFrames(t);
            body.put("target", MethodLabel.of(outer.targetMethod()));
            AfterResponse.run(() -> {
                synchronized (stops) {
                    run.stopped(t, outer, null, MethodLabel.simple(outer.exception().referenceType().name()),
                            StopDescription.escape(outer.targetMethod()));
                }
            });
        } else {
            stops.propagate(stop.exception());
            run.resumeAndTell(t);
            body.put("target", null);
        }
        return body;
    }
}
