package dev.hotrestart.session;

import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import dev.hotrestart.agent.WrapPolicy;
import dev.hotrestart.base.ClassIndex;
import dev.hotrestart.base.SourceLocator;
import dev.hotrestart.eval.Debuggee;
import dev.hotrestart.jvm.DebuggeeProcess;
import dev.hotrestart.jvm.EventLoop;
import dev.hotrestart.reload.ReloadCycle;
import dev.hotrestart.reload.SourceSnapshots;
import dev.hotrestart.wrap.ClassFiles;
import dev.hotrestart.wrap.EscapeDetector;
import dev.hotrestart.wrap.WrapRules;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.ExceptionBreakpointsFilter;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.StepInTarget;
import org.eclipse.lsp4j.debug.StepInTargetsArguments;
import org.eclipse.lsp4j.debug.StepInTargetsResponse;
import org.eclipse.lsp4j.debug.ThreadsResponse;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.Supplier;

/**
 * One debug session: the request families the protocol layer calls, wired together, and the
 * session's lock ({@link ThreadStops}). The families exist from {@code initialize} on; what they
 * need of the JVM is handed to each when the session connects to one (launch or attach).
 */
public final class DebugSession {
    private final ThreadStops stops;
    private final ClientEvents events;
    private final ClassIndex index = new ClassIndex();
    private final BreakpointTable breakpointTable;
    private final Breakpoints breakpoints;
    private final FunctionBreakpoints functionBreakpoints;
    private final DataBreakpoints dataBreakpoints;
    private final FrameSources frameSources;
    private final StartUp startUp;
    private final BreakpointRequests breakpointRequests;
    private final ExceptionFilters exceptionFilters = new ExceptionFilters();
    private final RunControl run;
    private final JdiEvents jdiEvents;
    private final StackTraces stacks;
    private final Evaluation evaluation;
    private final VariableRequests variableRequests;
    private final HotRestart hotRestart;
    private final Variables variables = new Variables();
    private SourceLocator sources = new SourceLocator(List.of());
    /** Set once connected; the session's end closes it. */
    private ReloadCycle reloads;
    private ThreadWatch threadWatch;

    /** {@code hoverCalls}: hover evaluations may call methods (the adapter's --hover-calls). */
    public DebugSession(HotRestartClient client, InitializeRequestArguments clientInfo, boolean hoverCalls) {
        stops = new ThreadStops(variables);
        ClientColumns columns = ClientColumns.of(clientInfo);
        events = new ClientEvents(client, stops, Boolean.TRUE.equals(clientInfo.getSupportsInvalidatedEvent()), columns);
        breakpointTable = new BreakpointTable(events::breakpointChanged);
        breakpoints = new Breakpoints(index, sources, breakpointTable);
        frameSources = new FrameSources(sources);
        functionBreakpoints = new FunctionBreakpoints(breakpointTable, frameSources::of);
        dataBreakpoints = new DataBreakpoints(breakpointTable, variables);
        breakpointTable.add(breakpoints);
        breakpointTable.conditions = breakpoints.compiled;
        breakpointTable.lineBreakpointAt = breakpoints::hasBreakpointAt;
        breakpointTable.add(functionBreakpoints);
        breakpointTable.lineBreakpointsSet = functionBreakpoints::lineBreakpointsSet;
        breakpointTable.functionBreakpointAt = functionBreakpoints::hasBreakpointAt;
        breakpointTable.functionBreakpointsSet = breakpoints::refreshConditions;
        breakpointTable.add(dataBreakpoints);
        startUp = new StartUp(stops, events, clientInfo, new Wiring());
        breakpointRequests = new BreakpointRequests(breakpoints, exceptionFilters, columns);
        run = new RunControl(stops, events);
        jdiEvents = new JdiEvents(stops, events, run, breakpointTable, exceptionFilters, frameSources, index, startUp::disconnected);
        stacks = new StackTraces(stops, frameSources, columns);
        evaluation = new Evaluation(stops, variables, clientInfo, hoverCalls);
        variableRequests = new VariableRequests(stops, variables, evaluation);
        hotRestart = new HotRestart(stops, events, run, stacks);
    }

    /** Runs a request under the session's lock. */
    public <T> T locked(Supplier<T> request) {
        return stops.locked(request);
    }

    public StartUp startUp() {
        return startUp;
    }

    public BreakpointRequests breakpoints() {
        return breakpointRequests;
    }

    public FunctionBreakpoints functionBreakpoints() {
        return functionBreakpoints;
    }

    public DataBreakpoints dataBreakpoints() {
        return dataBreakpoints;
    }

    public RunControl run() {
        return run;
    }

    public StackTraces stacks() {
        return stacks;
    }

    /**
     * The calls the frame's line makes, for the user to pick the one to step into: read from the
     * method's bytecode as the JVM runs it, lambdas labelled with their source.
     */
    public StepInTargetsResponse stepInTargets(StepInTargetsArguments args) {
        ThreadStops.FrameRef ref = stops.requiredFrame(args == null ? null : args.getFrameId(), "stepInTargets needs");
        Stop stop = stops.stop(ref.thread());
        List<StepTargets.Target> found = List.of();
        if (ref.depth() == (stop == null ? 0 : stop.hidden())) { // a step goes from the top frame the user sees: only its line has targets
            com.sun.jdi.Location loc;
            try {
                loc = ref.thread().frame(ref.depth()).location();
            } catch (com.sun.jdi.IncompatibleThreadStateException e) {
                throw ThreadStops.running(ref.thread());
            }
            int line = loc.lineNumber();
            java.nio.file.Path file = sources.find(SourceLocator.keyOf(loc.declaringType()));
            String text = file == null ? null : Breakpoints.readText(file);
            found = StepTargets.of(loc.method(), line, loc.codeIndex(), reloads == null ? null : reloads.bytesOf(loc.declaringType()),
                    text == null ? List.of() : LinePositions.of(text).lambdaTexts(line));
        }
        List<Integer> ids = run.offer(found);
        StepInTarget[] out = new StepInTarget[found.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new StepInTarget();
            out[i].setId(ids.get(i));
            out[i].setLabel(found.get(i).label());
        }
        StepInTargetsResponse r = new StepInTargetsResponse();
        r.setTargets(out);
        return r;
    }

    /** The program's threads; the client has been told of each (see ThreadWatch) before it reads the list. */
    public ThreadsResponse threads() {
        if (threadWatch != null) threadWatch.look();
        return stacks.threads();
    }

    public VariableRequests variables() {
        return variableRequests;
    }

    public Evaluation evaluation() {
        return evaluation;
    }

    public HotRestart hotRestart() {
        return hotRestart;
    }

    /** What the adapter can do: only what works. */
    public static Capabilities capabilities() {
        Capabilities c = new Capabilities();
        c.setSupportsConfigurationDoneRequest(true);
        c.setSupportsTerminateRequest(true);
        c.setSupportsRestartFrame(true);
        c.setSupportsSingleThreadExecutionRequests(true); // with "suspendAll": step or continue one thread
        c.setSupportsExceptionInfoRequest(true);
        c.setSupportTerminateDebuggee(true);
        c.setSupportsDelayedStackTraceLoading(true);
        c.setSupportsEvaluateForHovers(true);
        c.setSupportsSetVariable(true);
        c.setSupportsConditionalBreakpoints(true);
        c.setSupportsHitConditionalBreakpoints(true);
        c.setSupportsLogPoints(true);
        c.setSupportsFunctionBreakpoints(true);
        c.setSupportsBreakpointLocationsRequest(true); // a line's own code and its lambdas, for column breakpoints
        c.setSupportsStepInTargetsRequest(true);
        c.setSupportsDataBreakpoints(true);
        c.setSupportsSetExpression(true);
        c.setSupportsValueFormattingOptions(true);
        c.setSupportsCompletionsRequest(true);
        c.setCompletionTriggerCharacters(new String[]{"."});
        c.setExceptionBreakpointFilters(new ExceptionBreakpointsFilter[]{
                filter(ExceptionFilters.CAUGHT, "Caught Exceptions",
                        "Stops where an exception is thrown that will be caught (not those the JDK throws and catches itself)."),
                filter(ExceptionFilters.UNCAUGHT, "Uncaught Exceptions", "Stops where an exception is thrown that nothing catches.")});
        c.setSupportsExceptionFilterOptions(true);
        return c;
    }

    private static ExceptionBreakpointsFilter filter(String name, String label, String description) {
        ExceptionBreakpointsFilter f = new ExceptionBreakpointsFilter();
        f.setFilter(name);
        f.setLabel(label);
        f.setDescription(description);
        f.setDefault_(false);
        f.setSupportsCondition(true);
        f.setConditionDescription("Exception types, comma-separated, subclasses included; !Type leaves one out. "
                + "E.g. IOException, !FileNotFoundException");
        return f;
    }

    /** How the session's parts are set up for a JVM: each family gets what it uses of it. */
    private final class Wiring implements StartUp.Wiring {
        @Override
        public void sourcesAre(SourceLocator s) {
            sources = s;
            breakpoints.useSources(s);
            frameSources.connected(s, null);
        }

        @Override
        public void connected(VirtualMachine vm, Config cfg, DebuggeeProcess process, List<Path> classPath, boolean handlerMode,
                              List<ReferenceType> loadedBefore) {
            ClassFiles classFiles = new ClassFiles(classPath);
            dev.hotrestart.base.ArchiveSources archives = new dev.hotrestart.base.ArchiveSources(classPath, Paths.get(cfg.javaHome()), vm.version());
            if (cfg.bool(Attribute.FETCH_SOURCES)) {
                archives.fetchWith(dev.hotrestart.project.MavenProject::fetchSources, (coordinates, failure) -> {
                    if (failure != null) {
                        events.output("console", "hotrestart: the sources of " + coordinates + " could not be fetched: " + failure + "\n");
                        return;
                    }
                    stops.locked(() -> {
                        frameSources.forgetSources();
                        return null;
                    });
                    events.output("console", "hotrestart: fetched the sources of " + coordinates + " with Maven; its frames show them now.\n");
                    events.stacksInvalidated();
                });
            }
            sources.archives(archives);
            WrapRules wrapRules = new WrapRules(cfg.list(Attribute.WRAP), cfg.list(Attribute.NO_WRAP), classFiles);
            SourceSnapshots snapshots = new SourceSnapshots(sources);
            reloads = ReloadCycle.of(vm, sources, snapshots, classFiles, classPath, Paths.get(cfg.javaHome()), index, wrapRules,
                    breakpointTable::redefined, handlerMode);
            EscapeDetector escapes = new EscapeDetector(wrapRules, cfg.list(Attribute.PROPAGATED_EXCEPTIONS),
                    reloads.frames()::currentVersion, reloads::bytesOf);
            Debuggee debuggee = new Debuggee(vm, cfg.integer(Attribute.EVALUATE_TIMEOUT), t -> sources.find(SourceLocator.keyOf(t)));
            variables.callThrough(debuggee);
            reloads.swapper().callThrough(debuggee::callStatic);
            frameSources.connected(sources, reloads.frames());
            run.connected(vm, process, reloads.rehearsal(), "propagate".equals(cfg.string(Attribute.CONTINUE_ACTION)),
                    hotRestart::continueAtEscape, StepFilters.of(cfg.raw(Attribute.STEP_FILTERS)), cfg.bool(Attribute.SUSPEND_ALL));
            events.suspendAll(cfg.bool(Attribute.SUSPEND_ALL));
            exceptionFilters.connected(vm, handlerMode);
            jdiEvents.connected(vm, debuggee, snapshots, reloads.rehearsal(), reloads.frames(), escapes, handlerMode);
            threadWatch = ThreadWatch.start(vm, stops, events, jdiEvents::threadEnded);
            run.watchThreads(threadWatch);
            stacks.connected(vm, reloads.frames(), debuggee);
            evaluation.connected(debuggee);
            hotRestart.connected(reloads, wrapRules, cfg.bool(Attribute.RELOAD_ON_CONTINUE));
            for (ReferenceType t : loadedBefore) {
                // the platform's classes have no sources here; asking each its source name costs a round trip
                if (t.isPrepared() && !WrapPolicy.neverWrapped(t.name())) jdiEvents.classLoaded(t);
            }
            reloads.planner().conditionCode(breakpoints.compiled);
            breakpoints.compiled.applier(new ConditionSwap(vm, reloads, index));
            breakpoints.compiled.hookReachable(type -> {
                for (ReferenceType hook : vm.classesByName(CompiledConditions.HOOK)) {
                    if (hook.classLoader() == null || hook.classLoader().equals(type.classLoader())) return true;
                }
                return false;
            });
            breakpointTable.attach(vm, (rule, loc) -> rule.check(debuggee, loc));
            boolean waitsOnEntry = cfg.launch && cfg.bool(Attribute.STOP_ON_ENTRY);
            if (waitsOnEntry) jdiEvents.stopOnEntry(LaunchCommand.mainClassName(cfg.string(Attribute.MAIN_CLASS)));
            debuggee.waitForCallsWith(EventLoop.start(vm, jdiEvents)::await);
            // stopped on entry, the program waits for the user anyway: warm up then, not while it starts
            reloads.rehearsal().connected(waitsOnEntry, process == null ? null : process.handle());
        }

        @Override
        public void ending() {
            if (reloads != null) reloads.rehearsal().ended();
            if (threadWatch != null) threadWatch.stop();
        }
    }
}
