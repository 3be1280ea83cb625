package dev.hotrestart.session;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.ExceptionEvent;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.event.MethodEntryEvent;
import com.sun.jdi.event.MethodExitEvent;
import com.sun.jdi.event.StepEvent;
import com.sun.jdi.event.ThreadDeathEvent;
import com.sun.jdi.event.ThreadStartEvent;
import com.sun.jdi.event.WatchpointEvent;
import com.sun.jdi.event.VMStartEvent;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.StepRequest;
import dev.hotrestart.base.AfterUnlock;
import dev.hotrestart.base.ClassIndex;
import dev.hotrestart.base.MethodLabel;
import dev.hotrestart.base.SourceLocator;
import dev.hotrestart.base.Stages;
import dev.hotrestart.eval.BreakpointRule;
import dev.hotrestart.eval.Debuggee;
import dev.hotrestart.eval.Evaluator;
import dev.hotrestart.jvm.EventLoop;
import dev.hotrestart.jvm.Requests;
import dev.hotrestart.reload.Rehearsal;
import dev.hotrestart.reload.ReplacedFrames;
import dev.hotrestart.reload.SourceSnapshots;
import dev.hotrestart.wrap.EscapeDetector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the JVM reports, on the JDI event thread: classes loading, breakpoints, steps, exceptions
 * (escapes from wrapped methods among them), threads starting and ending. Each event set is
 * handled under the session's lock; the answer says whether the JVM may run on.
 */
public final class JdiEvents implements EventLoop.Handler {
    private static final Logger LOG = Logger.getLogger(JdiEvents.class.getName());
    private static final String ENTRY = "hotrestart.entry";
    private static final String HOOK = "hotrestart.hook";
    static final String HOOK_CLASS = "dev.hotrestart.agent.Hook";

    private final ThreadStops stops;
    private final ClientEvents events;
    private final RunControl run;
    private final BreakpointTable breakpoints;
    private final ExceptionFilters exceptionFilters;
    private final FrameSources frameSources;
    private final ClassIndex index;
    private final Runnable onDisconnect;
    private VirtualMachine vm;
    private Debuggee debuggee;
    private SourceSnapshots snapshots;
    private Rehearsal rehearsal;
    private ReplacedFrames replaced;
    private EscapeDetector escapes;
    /** Escapes are reported by the agent's hook (true) or found from exception events at the throw site. */
    private boolean handlerMode;
    private boolean hintShown;

    JdiEvents(ThreadStops stops, ClientEvents events, RunControl run, BreakpointTable breakpoints, ExceptionFilters exceptionFilters,
              FrameSources frameSources, ClassIndex index, Runnable onDisconnect) {
        this.stops = stops;
        this.events = events;
        this.run = run;
        this.breakpoints = breakpoints;
        this.exceptionFilters = exceptionFilters;
        this.frameSources = frameSources;
        this.index = index;
        this.onDisconnect = onDisconnect;
    }

    void connected(VirtualMachine vm, Debuggee debuggee, SourceSnapshots snapshots, Rehearsal rehearsal, ReplacedFrames replaced,
                   EscapeDetector escapes, boolean handlerMode) {
        this.vm = vm;
        this.debuggee = debuggee;
        this.snapshots = snapshots;
        this.rehearsal = rehearsal;
        this.replaced = replaced;
        this.escapes = escapes;
        this.handlerMode = handlerMode;
        if (handlerMode) {
            ClassPrepareRequest hook = vm.eventRequestManager().createClassPrepareRequest();
            hook.addClassFilter(HOOK_CLASS);
            Requests.suspendingThread(hook, HOOK); // the hook's breakpoint must be set before its first call
            for (ReferenceType t : vm.classesByName(HOOK_CLASS)) hookBreakpoint(t);
        }
    }

    /** Stops in the main class's main when it loads ("stopOnEntry"). */
    void stopOnEntry(String mainClass) {
        ClassPrepareRequest r = vm.eventRequestManager().createClassPrepareRequest();
        r.addClassFilter(mainClass);
        Requests.suspendingThread(r, ENTRY);
    }

    @Override
    public boolean handle(EventSet set) {
        // what follows a stop, once the client has been told, runs after the lock is let go
        return AfterUnlock.handle(() -> handleLocked(set));
    }

    private boolean handleLocked(EventSet set) {
        synchronized (stops) {
            boolean resume = true;
            List<Hit> hits = new ArrayList<>();
            if (debuggee != null && set.suspendPolicy() != EventRequest.SUSPEND_NONE) {
                for (Event e : set) {
                    if (e instanceof LocatableEvent le) debuggee.eventOn(le.thread());
                    else if (e instanceof ClassPrepareEvent cp) debuggee.eventOn(cp.thread());
                }
            }
            ObjectReference decided = null;
            ThreadReference entered = null; // the thread entered the target of its step
            for (Event e : set) {
                if (e instanceof VMStartEvent) {
                    // A launched VM waits (suspend=y) until configurationDone resumes it, so the
                    // client's breakpoints are in place before any of the program runs.
                    resume = false;
                } else if (e instanceof ClassPrepareEvent cp && ExceptionFilters.watchesTypes(e.request())) {
                    exceptionFilters.classPrepared(cp.referenceType());
                } else if (e instanceof ClassPrepareEvent cp) {
                    classLoaded(cp.referenceType());
                    breakpoints.classPrepared(cp.referenceType());
                    if (Boolean.TRUE.equals(e.request().getProperty(ENTRY))) entryBreakpoint(cp.referenceType());
                    if (Boolean.TRUE.equals(e.request().getProperty(HOOK))) hookBreakpoint(cp.referenceType());
                } else if (e instanceof BreakpointEvent bp) {
                    resume &= !breakpointHit(bp, hits);
                } else if (e instanceof WatchpointEvent w) {
                    clientHit(w, hits);
                } else if (e instanceof MethodEntryEvent me && me.request().getProperty(RunControl.TARGET) != null) {
                    if (run.enteredTarget(me)) {
                        entered = me.thread();
                        resume = false;
                    }
                } else if (e instanceof MethodExitEvent mx) {
                    run.methodExited(mx);
                } else if (e instanceof StepEvent st) {
                    resume &= !stepped(st);
                } else if (e instanceof ExceptionEvent ex) {
                    // requests for a type and its subclass, or for every exception beside them,
                    // report one throw together: it is decided once
                    if (ex.exception().equals(decided)) continue;
                    decided = ex.exception();
                    resume &= !exceptionThrown(ex);
                } else if (e instanceof ThreadStartEvent ts) {
                    events.thread(ts.thread(), "started");
                } else if (e instanceof ThreadDeathEvent td) {
                    events.thread(td.thread(), "exited");
                    threadEnded(td.thread());
                }
            }
            if (!hits.isEmpty()) {
                stopAt(hits); // a breakpoint at the target's first line: one stop, the breakpoint's
                resume = false;
            } else if (entered != null) {
                run.stopped(entered, Stop.plain("step"), null, null, null);
            }
            return resume;
        }
    }

    /** A thread ended (the client was told): what the session kept of it goes. */
    void threadEnded(ThreadReference t) {
        run.endTargetStep(t);
        run.forget(t);
        if (replaced != null) replaced.threadEnded(t);
        stops.threadEnded(t);
    }

    /** A class is loaded (or was before we connected): indexed by source, its source read as it was compiled. */
    void classLoaded(ReferenceType t) {
        index.add(t);
        if (snapshots == null) return;
        snapshots.classPrepared(t);
        if (rehearsal != null) rehearsal.classLoaded(t, SourceLocator.keyOf(t));
    }

    private void entryBreakpoint(ReferenceType type) {
        for (Method m : type.methodsByName("main")) {
            Location loc = m.location();
            if (loc == null) continue;
            Requests.suspendingThread(vm.eventRequestManager().createBreakpointRequest(loc), ENTRY);
        }
    }

    private void hookBreakpoint(ReferenceType hook) {
        for (Method m : hook.methodsByName("escaped")) {
            Requests.suspendingThread(vm.eventRequestManager().createBreakpointRequest(m.location()), HOOK);
        }
    }

    /**
     * The agent's hook was called: an exception is leaving the wrapped method in frame 1. The
     * hook frame stays hidden; the exception's stack trace keeps the frames that are gone.
     */
    private boolean hookHit(BreakpointEvent e) {
        ThreadReference t = e.thread();
        try {
            StackFrame hookFrame = t.frame(0);
            List<Value> args = hookFrame.getArgumentValues();
            if (args.isEmpty() || !(args.get(0) instanceof ObjectReference ex)) return false;
            if (stops.isPropagating(ex) || escapes.isPropagated(ex.referenceType())) return false;
            // a method a compiled condition called: the condition's catch takes it, and says the condition threw
            if (breakpoints.conditions != null && breakpoints.conditions.insideTest(t, 1)) return false;
            Method wrapped = replaced.currentVersion(t, 1, t.frame(1).location());
            escaped(t, Stop.escape(ex, List.of(1), List.of(wrapped), 1));
            return true;
        } catch (IncompatibleThreadStateException | IndexOutOfBoundsException err) {
            return false;
        }
    }

    private void escaped(ThreadReference t, Stop stop) {
        run.stopped(t, stop, null, MethodLabel.simple(stop.exception().referenceType().name()),
                StopDescription.escape(stop.targetMethod()));
        if (hintShown) return;
        hintShown = true;
        // (the exception's message takes round trips to the program: not before the client's next request; when the
        // thread has run on meanwhile, the hint waits for the next escape)
        int resumes = rehearsal != null ? rehearsal.resumes() : 0;
        AfterUnlock.run(() -> {
            try {
                if (rehearsal == null || rehearsal.resumes() == resumes) {
                    events.output("console", "hotrestart: " + escapeDescription(stop) + ". Fix the method and continue to run it "
                            + "again with your edits (or use restartFrameWithReload; propagateException lets it go on).\n");
                    return;
                }
            } catch (RuntimeException gone) {
                // the exception or the program is gone
            }
            hintShown = false;
        });
    }

    /** The stop's sentence: {@code <Class>: <message> escaped <Type.method(params)>}. */
    static String escapeDescription(Stop stop) {
        return ExceptionInfo.message(stop.exception(), null) + " escaped " + MethodLabel.of(stop.targetMethod());
    }

    /** The adapter's own breakpoints stop here; the client's are noted in {@code hits}, to stop once for all of them. */
    private boolean breakpointHit(BreakpointEvent e, List<Hit> hits) {
        if (Boolean.TRUE.equals(e.request().getProperty(HOOK))) return hookHit(e);
        if (Boolean.TRUE.equals(e.request().getProperty(RunControl.RESTART))) {
            vm.eventRequestManager().deleteEventRequest(e.request());
            run.stopped(e.thread(), Stop.plain("restart"), null, null, null);
            if (rehearsal != null) rehearsal.editExpected(e.location().method());
            return true;
        }
        if (Boolean.TRUE.equals(e.request().getProperty(ENTRY))) {
            run.stopped(e.thread(), Stop.plain("entry"), null, null, null);
            vm.eventRequestManager().deleteEventRequest(e.request()); // after the event: a round trip fewer before it
            return true;
        }
        clientHit(e, hits);
        return false;
    }

    /** A hit of a client's breakpoint that stops the thread, with what the stop says; {@code hidden}: the agent's hook on top. */
    private record Hit(ClientBreakpoint breakpoint, LocatableEvent event, ClientBreakpoint.Said said, int hidden) {}

    /** A line, function or data breakpoint was hit: its condition, hit count and log message decide whether it stops. */
    private void clientHit(LocatableEvent e, List<Hit> hits) {
        ClientBreakpoint b = breakpoints.byRequest(e.request());
        if (b == null) return;
        // a condition compiled into the program held (or threw) and called the agent's hook with its marker
        boolean viaHook = e.request().getProperty(CompiledConditions.MARK) != null;
        int marker = b.marker();
        int mark = viaHook ? CompiledConditions.markOf(e.thread()) : -1;
        if (viaHook && (marker < 0 || (mark != marker && mark != marker + 1) || !breakpoints.conditions.calledFrom(e.thread(), b.siteKey(), b.site()))) return;
        int hidden = viaHook ? 1 : 0;
        Location at = e.location();
        if (hidden > 0) {
            try {
                at = e.thread().frame(hidden).location();
            } catch (IncompatibleThreadStateException | IndexOutOfBoundsException err) {
                return;
            }
        }
        // a breakpoint's own location may be where a test starts: only the frames below it count there
        if (breakpoints.conditions != null && breakpoints.conditions.insideTest(e.thread(), e instanceof BreakpointEvent ? 1 + hidden : 0)) {
            skipped(e, at, "it was testing a breakpoint condition compiled into the program");
            return;
        }
        boolean threw = viaHook ? mark == marker + 1 : e.request().getProperty(CompiledConditions.THREW) != null;
        boolean held = viaHook ? mark == marker : Boolean.TRUE.equals(e.request().getProperty(CompiledConditions.HELD));
        String description = null;
        BreakpointRule rule = b.rule;
        if (rule != null) {
            rule.passedOver(ClientBreakpoint.passedOver(e.request()));
            BreakpointRule.Decision d = threw ? conditionThrew(rule, e.thread(), hidden, marker)
                    : rule.decide(() -> new Evaluator(debuggee, e.thread(), hidden, Evaluator.Mode.CALLS, null).prefetch(rule.locals()), held);
            b.counted(vm.eventRequestManager(), e.request());
            if (d.log() != null) events.output(d.log() + "\n", frameSources.of(at), at.lineNumber());
            if (d.conditionError() != null) breakpoints.unverify(b, d.conditionError());
            if (!d.stop()) return;
            if (d.problem() != null) {
                events.failure(d.problem()); // the whole sentence; the stop's description has room for a few words
                description = d.conditionError() != null ? StopDescription.CONDITION_FAILED : StopDescription.conditionThrew(d.thrown());
            }
        }
        ClientBreakpoint.Said said = b.said(e, at);
        hits.add(new Hit(b, e, description == null ? said : new ClientBreakpoint.Said(description, said.console()), hidden));
    }

    /** A condition compiled into the program threw there: what it threw is in the catch's local, in the frame at {@code depth}. */
    private static BreakpointRule.Decision conditionThrew(BreakpointRule rule, ThreadReference thread, int depth, int marker) {
        String type = "java.lang.Throwable", message = null;
        try {
            com.sun.jdi.StackFrame f = thread.frame(depth);
            com.sun.jdi.LocalVariable v = f.visibleVariableByName(dev.hotrestart.reload.ConditionSites.thrownLocal(marker));
            if (v != null && f.getValue(v) instanceof ObjectReference thrown) {
                type = thrown.referenceType().name();
                com.sun.jdi.Field detail = thrown.referenceType().fieldByName("detailMessage");
                if (detail != null && thrown.getValue(detail) instanceof com.sun.jdi.StringReference text) message = text.value();
            }
        } catch (IncompatibleThreadStateException | AbsentInformationException | RuntimeException ignored) {
            // the stop still says the condition threw
        }
        return rule.threw(type, message);
    }

    /**
     * One stop for every client breakpoint that stopped the thread at once (a line and a function
     * breakpoint at a method's first line): the reason and words of the one set first (the JVM
     * reports them in no set order), every one's id.
     */
    private void stopAt(List<Hit> hits) {
        hits.sort(Comparator.comparingInt(h -> h.breakpoint().id));
        Hit first = hits.get(0);
        Integer[] ids = new Integer[hits.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = hits.get(i).breakpoint().id;
        for (Hit h : hits) if (h.said().console() != null) events.output("console", h.said().console());
        Stop stop = first.hidden() > 0 ? Stop.underHook(first.breakpoint().reason(), first.hidden()) : Stop.plain(first.breakpoint().reason());
        run.stopped(first.event().thread(), stop, ids, null, first.said().description());
    }

    private boolean stepped(StepEvent e) {
        // the request has run out (count 1); a new step replaces it, a stop deletes it once the
        // client has been told: a round trip to the JVM fewer before the `stopped` event
        Integer then = stops.takeStepAfterLeaving(e.thread());
        if (then != null) {
            run.step(e.thread(), then, StepRequest.STEP_LINE); // out of the hook: now the user's step
            return false;
        }
        boolean restart = stops.takeRestarting(e.thread());
        StepFilters filters = run.stepFilters();
        // (after a restart the method is read once the client has been told: a reload cleared
        // what JDI knew of the class's methods, and reading them again takes a round trip)
        if (!restart && filters.skipsSynthetic(e.location().method())) {
            // step on through compiler-made bridges and accessors
            run.step(e.thread(), StepRequest.STEP_INTO, StepRequest.STEP_LINE);
            return false;
        }
        if (!restart && e.request() instanceof StepRequest sr && sr.depth() == StepRequest.STEP_INTO && filters.skipsEntryOf(e.location())) {
            // out of the constructor or initializer, silently, then on with the step into from
            // the middle of the caller's line: it stops in the next call there or on the next line
            stops.stepAfterLeaving(e.thread(), StepRequest.STEP_INTO);
            run.step(e.thread(), StepRequest.STEP_OUT, StepRequest.STEP_LINE);
            return false;
        }
        Stages.mark("stepEvent");
        run.stopped(e.thread(), Stop.plain(restart ? "restart" : "step"), null, null, null);
        // (the method read under the lock: JDI's cache of the class's methods is not read beside a redefinition)
        if (restart && rehearsal != null) rehearsal.editExpected(e.location().method());
        vm.eventRequestManager().deleteEventRequest(e.request());
        return true;
    }

    private boolean exceptionThrown(ExceptionEvent e) {
        ObjectReference ex = e.exception();
        if (stops.isPropagating(ex)) return false;
        if (breakpoints.conditions != null && breakpoints.conditions.insideTest(e.thread(), 0)) {
            return false; // thrown inside a condition compiled into the program, which catches it: not the program's
        }
        EscapeDetector.Escape escape;
        try {
            escape = handlerMode ? null : escapes.check(e);
        } catch (IncompatibleThreadStateException | RuntimeException err) {
            LOG.log(Level.FINE, "escape check failed", err);
            escape = null;
        }
        if (escape != null) {
            escaped(e.thread(), Stop.escape(ex, escape.wrappedDepths(), escape.wrappedMethods(), 0));
            return true;
        }
        boolean uncaught = e.catchLocation() == null;
        if (exceptionFilters.stops(e)) {
            run.stopped(e.thread(), Stop.exceptionBreakpoint(ex, uncaught), null,
                    MethodLabel.simple(ex.referenceType().name()), StopDescription.exceptionBreakpoint(ex.referenceType().name(), uncaught));
            return true;
        }
        return false;
    }

    @Override
    public boolean isCalling(ThreadReference t) {
        return debuggee != null && debuggee.isCalling(t);
    }

    @Override
    public boolean anyCalls() {
        return debuggee != null && debuggee.anyCalls();
    }

    /** Breakpoints already said to have been passed over during an evaluation: said once each, not on every pass. */
    private final Set<Object> skipsTold = ConcurrentHashMap.newKeySet();

    /** Says once per breakpoint that it did not stop: its thread was running a method for an evaluation. */
    @Override
    public void skippedDuringCall(LocatableEvent e) {
        if (e instanceof BreakpointEvent) skipped(e, e.location(), "it was running a method for an evaluation");
    }

    private void skipped(LocatableEvent e, Location loc, String why) {
        if (e.request().getProperty(ClientBreakpoint.BP_ID) == null) return;
        if (!skipsTold.add(e.request().getProperty(ClientBreakpoint.BP_ID))) return;
        String file;
        try {
            file = loc.sourceName();
        } catch (AbsentInformationException err) {
            file = loc.declaringType().name();
        }
        events.output("console", "hotrestart: the breakpoint at " + file + ":" + loc.lineNumber() + " did not stop thread \""
                + e.thread().name() + "\": " + why + ".\n");
    }

    @Override
    public void disconnected() {
        onDisconnect.run();
    }
}
