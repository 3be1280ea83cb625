package dev.hotrestart.session;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.MethodEntryEvent;
import com.sun.jdi.event.MethodExitEvent;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.MethodEntryRequest;
import com.sun.jdi.request.MethodExitRequest;
import com.sun.jdi.request.StepRequest;
import dev.hotrestart.base.AfterResponse;
import dev.hotrestart.base.MethodLabel;
import dev.hotrestart.base.Stages;
import dev.hotrestart.base.UserError;
import dev.hotrestart.eval.Returned;
import dev.hotrestart.jvm.DebuggeeProcess;
import dev.hotrestart.jvm.Requests;
import dev.hotrestart.reload.Rehearsal;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.ContinueResponse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stopping and running threads: the {@code stopped} event with what goes with it, continue, the
 * steps (with a stepOut's return value), pause, and resuming once a response is out.
 */
public final class RunControl {
    private static final Logger LOG = Logger.getLogger(RunControl.class.getName());
    private static final String RETURN = "hotrestart.return";

    /** Continue on an escape re-runs the restart target (see {@link HotRestart#continueAtEscape}). */
    interface EscapeContinue {
        void rerun(ThreadReference t, Stop stop);
    }

    private final ThreadStops stops;
    private final ClientEvents events;
    private VirtualMachine vm;
    private DebuggeeProcess process;
    private Rehearsal rehearsal;
    private boolean continuePropagates;
    private EscapeContinue atEscape;
    private StepFilters filters = StepFilters.DEFAULT;
    /** The filters' class patterns, "$JDK" spelled out: given to every step request. */
    private List<String> stepExclusions = StepFilters.DEFAULT.exclusions();
    /** "suspendAll": a stop stops the program, continue runs all of it. */
    private boolean suspendAll;
    /** The JVM is suspended as a whole (VirtualMachine.suspend) and waits for the resume that undoes it. */
    private boolean allSuspended;

    RunControl(ThreadStops stops, ClientEvents events) {
        this.stops = stops;
        this.events = events;
    }

    /** {@code process}: null when attached; {@code continuePropagates}: "continueAction": "propagate". */
    void connected(VirtualMachine vm, DebuggeeProcess process, Rehearsal rehearsal, boolean continuePropagates, EscapeContinue atEscape,
                   StepFilters filters, boolean suspendAll) {
        this.vm = vm;
        this.process = process;
        this.rehearsal = rehearsal;
        this.continuePropagates = continuePropagates;
        this.atEscape = atEscape;
        this.filters = filters;
        this.stepExclusions = filters.exclusions();
        this.suspendAll = suspendAll;
    }

    /** Compares looks at the JVM's threads (Java 21+, see ThreadWatch); null when the JVM reports them. */
    private ThreadWatch threadWatch;

    void watchThreads(ThreadWatch watch) {
        this.threadWatch = watch;
    }

    StepFilters stepFilters() {
        return filters;
    }

    // ---------------------------------------------------------------- stopping

    /** The thread stopped: the client is told, after what the program printed before it stopped. */
    void stopped(ThreadReference thread, Stop stop, Integer[] hitIds, String text, String description) {
        if (process != null) process.flush();
        if (threadWatch != null) threadWatch.look(); // the client knows every thread the stop may list
        endTargetStep(thread); // a step to a target ends with any stop: the line ran out, or a breakpoint came first
        stop = endReturnWatch(thread, stop);
        if (rehearsal != null) rehearsal.threadStopped();
        stops.stopped(thread, stop);
        if (suspendAll) suspendEveryThread(thread);
        Stages.mark("decided");
        events.stopped(thread, stop.reason(), hitIds, text, description);
        Stages.end("sent");
        // a reload may come next: it is practised while the user edits
        if (rehearsal != null && stop.isEscape()) rehearsal.editExpected(stop.targetMethod());
    }

    /** The thread runs on: what the client knew of its frames and values is stale. */
    void forget(ThreadReference t) {
        Stop stop = stops.forget(t);
        if (stop == null) return;
        if (rehearsal != null) rehearsal.threadResumed(); // not while the program runs
        allowCollection(stop.returned());
    }

    /**
     * "suspendAll": the whole program stops with the thread. It is done once the stop is decided,
     * not by the JVM's SUSPEND_ALL policy on every request: a breakpoint whose condition is false,
     * the agent's hook on a propagated exception or a step through a bridge then freeze nothing,
     * and an event in another thread cannot freeze a thread running an evaluation's method call.
     */
    private void suspendEveryThread(ThreadReference t) {
        try {
            if (!allSuspended) {
                vm.suspend();
                allSuspended = true;
            }
            // every thread is suspended exactly once while the program stands: an evaluation's
            // method call resumes its thread once (it would wait on a second suspension), and
            // one VirtualMachine.resume runs them all again
            if (t.suspendCount() > 1) t.resume();
        } catch (ObjectCollectedException | VMDisconnectedException ignored) {
            // gone
        }
    }

    /**
     * "suspendAll": the whole program runs on: every stopped thread, and those that stood still
     * with them. Each thread is brought to one suspension while all stand, then one resume of the
     * JVM lets them go together: no thread runs before another is resumed, so none can stop
     * again in between and be resumed by mistake.
     */
    private void resumeEveryThread(ThreadReference also) {
        Set<ThreadReference> stopped = new HashSet<>(stops.stops().keySet());
        stopped.add(also);
        for (ThreadReference s : stopped) forget(s);
        AfterResponse.run(() -> {
            synchronized (stops) {
                for (ThreadReference s : stopped) {
                    try {
                        for (int n = s.suspendCount(); n > 1; n--) s.resume();
                    } catch (ObjectCollectedException | VMDisconnectedException ignored) {
                        // gone
                    }
                }
                try {
                    if (allSuspended) {
                        allSuspended = false;
                        vm.resume();
                    } else {
                        // the JVM's resume would also take one from threads whose events wait to be handled
                        for (ThreadReference s : stopped) s.resume();
                    }
                } catch (ObjectCollectedException | VMDisconnectedException ignored) {
                    // gone
                }
            }
        });
    }

    // ---------------------------------------------------------------- running

    public ContinueResponse continue_(ContinueArguments args) {
        ThreadReference t = stops.thread(args.getThreadId());
        Stop stop = stops.stop(t);
        ContinueResponse r = new ContinueResponse();
        // as DAP has it: singleThread resumes the one thread, the others stay as they are
        boolean all = suspendAll && !Boolean.TRUE.equals(args.getSingleThread());
        r.setAllThreadsContinued(all);
        if (stop != null && stop.isEscape() && !continuePropagates) {
            try {
                atEscape.rerun(t, stop);
            } catch (UserError e) {
                // the thread stays stopped where it was; clients that took it for running on
                // 'continue' (nvim-dap, VS Code) learn so from the stop told again after the error
                AfterResponse.run(() -> {
                    synchronized (stops) {
                        if (stops.stop(t) == stop) events.stopped(t, stop.reason(), null,
                                MethodLabel.simple(stop.exception().referenceType().name()), StopDescription.escape(stop.targetMethod()));
                    }
                });
                throw e;
            }
            return r;
        }
        if (stop != null && stop.isEscape()) stops.propagate(stop.exception());
        if (all) {
            resumeEveryThread(t);
            return r;
        }
        forget(t);
        AfterResponse.run(() -> {
            synchronized (stops) {
                resumeFully(t);
            }
        });
        return r;
    }

    /** Resumes a thread after a custom request, and tells the client, which does not know it runs (nvim-dap and others keep showing it stopped otherwise). */
    void resumeAndTell(ThreadReference t) {
        if (suspendAll) {
            // the method runs on as after continue: with the whole program (continue on an escape comes here)
            AfterResponse.run(() -> events.continued(t));
            resumeEveryThread(t);
            return;
        }
        forget(t);
        AfterResponse.run(() -> {
            synchronized (stops) {
                events.continued(t);
                resumeFully(t);
            }
        });
    }

    /** Steps into the method the thread re-enters after a restart popped it: it stops there, reason "restart". */
    void enterAgain(ThreadReference t) {
        stops.restarting(t);
        AfterResponse.run(() -> {
            synchronized (stops) {
                Stages.mark("respond");
                step(t, StepRequest.STEP_INTO, StepRequest.STEP_LINE);
                Stages.mark("stepSet");
                resumeFully(t);
                Stages.mark("resumed");
            }
        });
    }

    /** Tags the one-shot breakpoint where a method the agent's handler calls again stops ({@link #enterAgainAt}). */
    static final String RESTART = "hotrestart.restart";

    /**
     * The agent's handler calls {@code method} again (its frame could not be popped): the thread
     * stops at the first line of the method's newest version, reason "restart".
     */
    void enterAgainAt(ThreadReference t, Method method) {
        Location first = null;
        for (Method m : method.declaringType().methodsByName(method.name(), method.signature())) {
            try {
                for (Location l : m.allLineLocations()) if (first == null || l.codeIndex() < first.codeIndex()) first = l;
            } catch (AbsentInformationException e) {
                first = m.location();
            }
        }
        if (first != null) {
            BreakpointRequest r = vm.eventRequestManager().createBreakpointRequest(first);
            r.addThreadFilter(t);
            Requests.suspendingThread(r, RESTART);
        }
        AfterResponse.run(() -> {
            synchronized (stops) {
                resumeFully(t);
            }
        });
    }

    /**
     * Resumes a thread suspended by an event and perhaps by pause. The count is read once: a
     * loop on suspendCount() would also undo the suspension of the next event it runs into.
     */
    static void resumeFully(ThreadReference t) {
        try {
            for (int n = t.suspendCount(); n > 0; n--) t.resume();
        } catch (ObjectCollectedException | VMDisconnectedException ignored) {
            // gone
        }
    }

    /** next, stepIn, stepOut: {@code depth} is JDI's StepRequest depth. */
    public void step(Integer threadId, int depth, boolean singleThread) {
        ThreadReference t = stops.suspendedThread(threadId);
        // as DAP has it: the other threads run during the step unless the client asks otherwise
        boolean all = suspendAll && !singleThread;
        Stop stop = stops.stop(t);
        if (stop != null && stop.exception() != null) stops.propagate(stop.exception());
        boolean inHook = stop != null && stop.hidden() > 0;
        boolean watchReturn = depth == StepRequest.STEP_OUT && !inHook;
        forget(t);
        AfterResponse.run(() -> {
            synchronized (stops) {
                if (inHook) {
                    // the agent's hidden hook is on top: leave it first, silently, so the step
                    // starts in the wrapped method and follows the exception from there
                    stops.stepAfterLeaving(t, depth);
                    step(t, StepRequest.STEP_OUT, StepRequest.STEP_LINE);
                } else {
                    if (watchReturn) watchReturn(t);
                    step(t, depth, StepRequest.STEP_LINE);
                }
                if (!all) resumeFully(t);
            }
        });
        if (all) resumeEveryThread(t);
    }

    // ---------------------------------------------------------------- step into a target

    /** The targets the client was last offered (stepInTargets), by id. */
    private final java.util.Map<Integer, StepTargets.Target> stepTargets = new java.util.HashMap<>();
    private int nextTargetId = 1;
    static final String TARGET = "hotrestart.stepTarget";
    private static final String TARGET_THREAD = "hotrestart.stepTargetThread";
    private static final String TARGET_CALLER = "hotrestart.stepTargetCaller";
    private static final String TARGET_BEHIND = "hotrestart.stepTargetBehind";
    private static final String TARGET_BRIDGE = "hotrestart.stepTargetBridge";
    private static final String TARGET_DEPTH = "hotrestart.stepTargetDepth";

    /** Gives the targets ids for the client; the ids of an earlier offer no longer count. */
    List<Integer> offer(List<StepTargets.Target> targets) {
        stepTargets.clear();
        List<Integer> ids = new ArrayList<>();
        for (StepTargets.Target t : targets) {
            int id = nextTargetId++;
            stepTargets.put(id, t);
            ids.add(id);
        }
        return ids;
    }

    /**
     * stepIn, with the target the user picked ({@code targetId}, from stepInTargets): the line is
     * stepped over while the thread's method entries are watched; the step stops in the target when
     * the call at its code index makes it (for an interface method, in the implementation that
     * runs; through a bridge or a lambda's proxy, in the method behind it), in a lambda's body
     * wherever it runs, or, when the line ends without that call, where the step over ends.
     * Without a target, or with one not offered, a plain stepIn.
     */
    public void stepIn(Integer threadId, Integer targetId, boolean singleThread) {
        StepTargets.Target target = targetId == null ? null : stepTargets.get(targetId);
        if (target == null) {
            step(threadId, StepRequest.STEP_INTO, singleThread);
            return;
        }
        ThreadReference t = stops.suspendedThread(threadId);
        Stop stop = stops.stop(t);
        int hidden = stop == null ? 0 : stop.hidden();
        Method caller;
        int depth;
        try {
            caller = t.frame(hidden).location().method(); // the frame the user sees on top
            depth = t.frameCount() - hidden;              // the target is entered one frame deeper
        } catch (com.sun.jdi.IncompatibleThreadStateException e) {
            throw ThreadStops.running(t);
        }
        // watched before the step resumes the thread (after the response): it cannot pass the call unseen
        MethodEntryRequest r = targetWatch(t, target);
        ReferenceType declaring = declaringType(target);
        if (declaring != null) r.addClassFilter(declaring); // and its subtypes: the implementations that run
        r.putProperty(TARGET_CALLER, caller);
        r.putProperty(TARGET_DEPTH, depth);
        Requests.suspendingThread(r, null);
        step(threadId, StepRequest.STEP_OVER, singleThread);
    }

    /**
     * The type that declares the method the target calls, as the JVM resolves it from the owner javac
     * named ({@code List.stream()} is {@code Collection}'s): every method that can run for the call is
     * in it or a subtype. Null when the owner is not loaded yet (then every entry is looked at).
     */
    private ReferenceType declaringType(StepTargets.Target target) {
        List<ReferenceType> owner = vm.classesByName(target.owner().replace('/', '.'));
        if (owner.size() != 1) return null;
        if (target.lambda() && target.name().startsWith("lambda$")) return owner.get(0);
        for (Method m : owner.get(0).visibleMethods()) {
            if (m.name().equals(target.name()) && m.signature().equals(target.descriptor())) return m.declaringType();
        }
        return target.name().equals("<init>") ? owner.get(0) : null;
    }

    private MethodEntryRequest targetWatch(ThreadReference t, StepTargets.Target target) {
        MethodEntryRequest r = vm.eventRequestManager().createMethodEntryRequest();
        r.addThreadFilter(t);
        r.putProperty(TARGET, target);
        r.putProperty(TARGET_THREAD, t);
        return r;
    }

    /** The thread entered a method while stepping to a target: true when it is the target (the step then stops there). */
    boolean enteredTarget(MethodEntryEvent e) {
        StepTargets.Target target = (StepTargets.Target) e.request().getProperty(TARGET);
        ThreadReference t = e.thread();
        Method m = e.method();
        try {
            if (e.request().getProperty(TARGET_BEHIND) instanceof Integer depth) {
                // in the bridge or proxy the call entered: the method it calls is the one, not what the JVM runs to load it
                if (t.frameCount() != depth + 1 || m.isStaticInitializer() || isClassLoading(m)) return false;
                if (e.request().getProperty(TARGET_BRIDGE) != null && !m.name().equals(target.name())) return false;
            } else if (target.lambda() && target.name().startsWith("lambda$")) {
                if (!m.name().equals(target.name()) || !m.declaringType().name().equals(target.owner().replace('/', '.'))) return false;
            } else if (target.lambda()) {
                // a method reference (List::size): the method of that name that runs for it
                if (!m.name().equals(target.name()) || m.argumentTypeNames().size() != target.arity()) return false;
            } else {
                // the call of the line at that code index, from the user's frame: not the class loading or
                // initialization the JVM runs there first, not a deeper call of the same method
                if (!m.name().equals(target.name()) || t.frameCount() != (Integer) e.request().getProperty(TARGET_DEPTH) + 1) return false;
                Location from = t.frame(1).location();
                if (!from.method().equals(e.request().getProperty(TARGET_CALLER)) || from.codeIndex() != target.codeIndex()) return false;
                boolean bridge = m.isBridge() || (m.isSynthetic() && !m.name().startsWith("lambda$"));
                if (bridge || m.declaringType().name().contains("$$Lambda")) {
                    MethodEntryRequest behind = targetWatch(t, target); // no class filter: the method behind may be anywhere
                    behind.putProperty(TARGET_BEHIND, t.frameCount());
                    if (bridge) behind.putProperty(TARGET_BRIDGE, Boolean.TRUE);
                    vm.eventRequestManager().deleteEventRequest(e.request());
                    Requests.suspendingThread(behind, null);
                    return false;
                }
            }
        } catch (com.sun.jdi.IncompatibleThreadStateException | IndexOutOfBoundsException ex) {
            return false;
        }
        endTargetStep(t);
        deleteSteps(t); // the step over the line
        return true;
    }

    private static boolean isClassLoading(Method m) {
        String type = m.declaringType().name();
        return type.equals("java.lang.ClassLoader") || type.startsWith("jdk.internal.loader.") || m.name().equals("loadClass");
    }

    /** The thread stopped: a step to a target it was making ends (the line ran out, or a breakpoint came first). */
    void endTargetStep(ThreadReference t) {
        EventRequestManager erm = vm.eventRequestManager();
        for (MethodEntryRequest r : new ArrayList<>(erm.methodEntryRequests())) {
            if (r.getProperty(TARGET) != null && t.equals(r.getProperty(TARGET_THREAD))) erm.deleteEventRequest(r);
        }
    }

    private void deleteSteps(ThreadReference t) {
        EventRequestManager erm = vm.eventRequestManager();
        for (StepRequest old : new ArrayList<>(erm.stepRequests())) {
            if (old.thread().equals(t)) erm.deleteEventRequest(old);
        }
    }

    /** One step request for the thread (any older one is deleted); it expires after one event. */
    void step(ThreadReference t, int depth, int size) {
        deleteSteps(t);
        EventRequestManager erm = vm.eventRequestManager();
        StepRequest r = erm.createStepRequest(t, size, depth);
        for (String ex : stepExclusions) r.addClassExclusionFilter(ex);
        r.addCountFilter(1);
        Requests.suspendingThread(r, null);
    }

    public void pause(Integer threadId) {
        ThreadReference t = stops.thread(threadId);
        if (t.isSuspended() && stops.stop(t) != null) return;
        if (!suspendAll) {
            t.suspend();
        } else if (!allSuspended) {
            vm.suspend(); // the thread's one suspension, as every other's
            allSuspended = true;
        }
        AfterResponse.run(() -> {
            synchronized (stops) {
                stopped(t, Stop.plain("pause"), null, null, null);
            }
        });
    }

    // ---------------------------------------------------------------- a stepOut's return value

    /** The top frame's method and the stack's height while it runs: its exit is the one a stepOut leaves. */
    private record ReturnWatch(Method method, int frames) {}

    /** Watches the top frame's method return, so the stop after a stepOut can offer the value as $return. */
    private void watchReturn(ThreadReference t) {
        if (!vm.canGetMethodReturnValues()) return;
        try {
            Method m = t.frame(0).location().method();
            MethodExitRequest r = vm.eventRequestManager().createMethodExitRequest();
            r.addThreadFilter(t);
            r.addClassFilter(m.declaringType());
            r.putProperty(RETURN, new ReturnWatch(m, t.frameCount()));
            Requests.suspendingThread(r, null);
            stops.watchingReturn(t, r);
        } catch (IncompatibleThreadStateException | RuntimeException e) {
            LOG.log(Level.FINE, "cannot watch for the return value", e);
        }
    }

    void methodExited(MethodExitEvent e) {
        if (!(e.request().getProperty(RETURN) instanceof ReturnWatch w) || !e.method().equals(w.method())) return;
        try {
            if (e.thread().frameCount() != w.frames()) return; // a recursive call of the same method
        } catch (IncompatibleThreadStateException err) {
            return;
        }
        Value v = e.returnValue();
        if (v instanceof ObjectReference o) o.disableCollection(); // until the thread runs on
        stops.returned(e.thread(), new Returned(e.method(), v));
        vm.eventRequestManager().deleteEventRequest(e.request());
        stops.takeReturnWatch(e.thread());
    }

    /** The thread stopped: a pending return watch is over; a step stop keeps what the stepOut returned. */
    private Stop endReturnWatch(ThreadReference t, Stop stop) {
        MethodExitRequest r = stops.takeReturnWatch(t);
        if (r != null) vm.eventRequestManager().deleteEventRequest(r);
        Returned value = stops.takeReturned(t);
        if (value != null && stop.reason().equals("step")) return stop.withReturned(value);
        allowCollection(value);
        return stop;
    }

    private static void allowCollection(Returned r) {
        if (r == null || !(r.value() instanceof ObjectReference o)) return;
        try {
            o.enableCollection();
        } catch (RuntimeException ignored) {
            // collected or disconnected
        }
    }
}
