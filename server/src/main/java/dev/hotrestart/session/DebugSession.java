package dev.hotrestart.session;

import com.sun.jdi.*;
import com.sun.jdi.StackFrame;
import com.sun.jdi.event.*;
import com.sun.jdi.request.*;
import dev.hotrestart.dap.Attribute;
import dev.hotrestart.dap.DapConnection;
import dev.hotrestart.dap.HotRestartProtocol.ReloadClassArguments;
import dev.hotrestart.dap.HotRestartProtocol.RestartFrameWithReloadArguments;
import dev.hotrestart.dap.UserError;
import dev.hotrestart.eval.BreakpointRule;
import dev.hotrestart.eval.Completions;
import dev.hotrestart.eval.Debuggee;
import dev.hotrestart.eval.Evaluator;
import dev.hotrestart.agent.WrapPolicy;
import dev.hotrestart.jvm.AgentAttach;
import dev.hotrestart.jvm.AgentJar;
import dev.hotrestart.jvm.DebuggeeProcess;
import dev.hotrestart.jvm.EventLoop;
import dev.hotrestart.jvm.JvmConnector;
import dev.hotrestart.reload.Reloader;
import dev.hotrestart.reload.SourceSnapshots;
import dev.hotrestart.wrap.ClassFiles;
import dev.hotrestart.wrap.EscapeDetector;
import dev.hotrestart.wrap.WrapRules;
import org.eclipse.lsp4j.debug.*;
import org.eclipse.lsp4j.debug.Thread;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.*;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One debug session: what is suspended and why, the id tables, and the requests that act on
 * the VM. Requests arrive on the protocol reader thread and events on the JDI event thread;
 * both hold this object's lock while they work.
 */
public final class DebugSession implements EventLoop.Handler {
    private static final Logger LOG = Logger.getLogger(DebugSession.class.getName());
    private static final String[] STEP_EXCLUDES = {"java.*", "javax.*", "jdk.*", "sun.*", "com.sun.*", "org.ietf.*", "org.w3c.*", "org.xml.*"};
    private static final String ENTRY = "hotrestart.entry";
    private static final String HOOK = "hotrestart.hook";
    private static final String HOOK_CLASS = "dev.hotrestart.agent.Hook";
    private static final String AGENT_CLASS = "dev.hotrestart.agent.Agent";
    private static final String RETURN = "hotrestart.return";

    private final IDebugProtocolClient client;
    private final InitializeRequestArguments clientInfo;
    private Config config;
    private VirtualMachine vm;
    private DebuggeeProcess process;
    private boolean configurationDone;
    private boolean ended;
    private boolean hintShown;
    private boolean catchCaught, catchUncaught;

    private final IdTable<ThreadReference> threadIds = new IdTable<>();
    private final IdTable<FrameRef> frameIds = new IdTable<>();
    private final Variables variables = new Variables();
    private final ClassIndex index = new ClassIndex();
    private SourceLocator sources = new SourceLocator(List.of());
    private final Breakpoints breakpoints;
    private final Map<ThreadReference, Stop> stops = new HashMap<>();
    private final Set<ObjectReference> propagating = new HashSet<>();
    private final Set<ThreadReference> restarting = new HashSet<>();
    /** Threads stepping out of the hidden hook first, with the step the user asked for next. */
    private final Map<ThreadReference, Integer> afterHook = new HashMap<>();
    private final Map<ThreadReference, MethodExitRequest> returnWatches = new HashMap<>();
    private final Map<ThreadReference, Evaluator.Returned> returned = new HashMap<>();
    private ExceptionRequest exceptionRequest;
    private WrapRules wrapRules;
    private EscapeDetector escapes;
    /** Escapes are reported by the agent's hook (true) or found from exception events at the throw site. */
    private boolean handlerMode;
    private boolean startedSuspended;
    private SourceSnapshots snapshots;
    private Reloader reloader;
    private Debuggee debuggee;

    private final boolean hoverCalls;

    record FrameRef(ThreadReference thread, int depth) {
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

    /** {@code hoverCalls}: hover evaluations may call methods (the adapter's --hover-calls). */
    public DebugSession(IDebugProtocolClient client, InitializeRequestArguments clientInfo, boolean hoverCalls) {
        this.client = client;
        this.clientInfo = clientInfo;
        this.hoverCalls = hoverCalls;
        this.breakpoints = new Breakpoints(index, sources, this::breakpointChanged);
    }

    /** What the adapter can do: only what works. */
    public static Capabilities capabilities() {
        Capabilities c = new Capabilities();
        c.setSupportsConfigurationDoneRequest(true);
        c.setSupportsTerminateRequest(true);
        c.setSupportsRestartFrame(true);
        c.setSupportsExceptionInfoRequest(true);
        c.setSupportTerminateDebuggee(true);
        c.setSupportsDelayedStackTraceLoading(true);
        c.setSupportsEvaluateForHovers(true);
        c.setSupportsSetVariable(true);
        c.setSupportsConditionalBreakpoints(true);
        c.setSupportsHitConditionalBreakpoints(true);
        c.setSupportsLogPoints(true);
        c.setSupportsSetExpression(true);
        c.setSupportsCompletionsRequest(true);
        c.setCompletionTriggerCharacters(new String[]{"."});
        ExceptionBreakpointsFilter caught = new ExceptionBreakpointsFilter();
        caught.setFilter("caught");
        caught.setLabel("Caught Exceptions");
        caught.setDefault_(false);
        ExceptionBreakpointsFilter uncaught = new ExceptionBreakpointsFilter();
        uncaught.setFilter("uncaught");
        uncaught.setLabel("Uncaught Exceptions");
        uncaught.setDefault_(false);
        c.setExceptionBreakpointFilters(new ExceptionBreakpointsFilter[]{caught, uncaught});
        return c;
    }

    // ---------------------------------------------------------------- launch, attach, end

    public synchronized void launch(Map<String, Object> args) {
        if (vm != null) throw new UserError("This session already runs a program; start a new session for another.");
        Config cfg = new Config(args, true);
        configure(cfg);
        String javaHome = cfg.has(Attribute.JAVA_HOME) ? cfg.string(Attribute.JAVA_HOME) : System.getProperty("java.home");
        Path javaExe = Paths.get(javaHome, "bin", "java");
        if (!Files.isExecutable(javaExe)) {
            throw new UserError("'javaHome' " + javaHome + " has no bin/java: point it at a JDK folder (the one that holds bin/ and lib/).");
        }
        Path cwd = cfg.cwd();
        if (!Files.isDirectory(cwd)) throw new UserError("'cwd' " + cwd + " is not a folder.");
        List<Path> cp = cfg.classPaths();
        for (Path p : cp) {
            if (!Files.exists(p)) throw new UserError("Class path entry " + p + " does not exist. Fix 'classPaths' (build the project first?).");
        }
        String mainClass = cfg.string(Attribute.MAIN_CLASS);
        if (!cfg.has(Attribute.MODULE_PATHS) && !mainClass.contains("/") && !cp.isEmpty()
                && ClassFiles.find(cp, mainClass) == null) {
            throw new UserError("Main class " + mainClass + " was not found on the class path " + cp
                    + ". Check 'mainClass' (fully qualified, e.g. com.acme.App) and 'classPaths'.");
        }
        boolean terminal = "integratedTerminal".equals(cfg.string(Attribute.CONSOLE))
                && Boolean.TRUE.equals(clientInfo.getSupportsRunInTerminalRequest());
        JvmConnector.Listener listener = terminal ? new JvmConnector.Listener() : null;
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExe.toString());
        cmd.add(terminal ? "-agentlib:jdwp=transport=dt_socket,server=n,suspend=y,address=" + listener.address
                : "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0");
        handlerMode = "handler".equals(cfg.string(Attribute.STOP_AT));
        if (handlerMode) {
            String agent = AgentJar.path() + "=" + WrapPolicy.encode(cfg.list(Attribute.WRAP), cfg.list(Attribute.NO_WRAP));
            // -javaagent adds java.instrument to the root modules, which turns off the archived
            // module graph (CDS): about 60 ms more JVM start. A class path program has that module
            // anyway, so load the same agent as a plain JVMTI library; a module launch (or one that
            // limits modules) keeps -javaagent, which makes sure the module is there.
            boolean limited = cfg.list(Attribute.VM_ARGS).stream().anyMatch(a -> a.startsWith("--limit-modules"));
            cmd.add(mainClass.contains("/") || limited ? "-javaagent:" + agent : "-agentlib:instrument=" + agent);
        }
        cmd.addAll(cfg.list(Attribute.VM_ARGS));
        if (!cp.isEmpty()) {
            cmd.add("-cp");
            cmd.add(join(cp));
        }
        List<String> mp = cfg.list(Attribute.MODULE_PATHS);
        if (!mp.isEmpty()) {
            cmd.add("--module-path");
            cmd.add(String.join(java.io.File.pathSeparator, mp));
        }
        if (mainClass.contains("/")) cmd.add("-m");
        cmd.add(mainClass);
        cmd.addAll(cfg.list(Attribute.ARGS));
        LOG.fine(() -> "launching " + cmd);
        if (terminal) {
            RunInTerminalRequestArguments rit = new RunInTerminalRequestArguments();
            rit.setKind(RunInTerminalRequestArgumentsKind.INTEGRATED);
            rit.setTitle(mainClass);
            rit.setCwd(cwd.toString());
            rit.setArgs(cmd.toArray(new String[0]));
            Map<String, String> env = cfg.env();
            if (!env.isEmpty()) rit.setEnv(new HashMap<>(env));
            // The answer arrives on the reader thread, which is busy with this request: don't wait for it.
            client.runInTerminal(rit);
            connected(listener.accept(30_000), cfg);
        } else {
            process = DebuggeeProcess.start(cmd, cwd, cfg.env(), this::output);
            Runtime.getRuntime().addShutdownHook(new java.lang.Thread(process::kill));
            connected(JvmConnector.attach("127.0.0.1", process.port, 10_000), cfg);
        }
        if (cfg.bool(Attribute.STOP_ON_ENTRY)) stopOnEntry(mainClass.contains("/") ? mainClass.substring(mainClass.indexOf('/') + 1) : mainClass);
    }

    public synchronized void attach(Map<String, Object> args) {
        if (vm != null) throw new UserError("This session is already attached.");
        Config cfg = new Config(args, false);
        configure(cfg);
        int timeout = cfg.integer(Attribute.TIMEOUT);
        String host = cfg.string(Attribute.HOST_NAME);
        int port = cfg.integer(Attribute.PORT);
        // found before connecting: JDWP forgets its listening address once a debugger connects
        attachTarget = "handler".equals(cfg.string(Attribute.STOP_AT)) ? AgentAttach.locate(host, port, timeout) : null;
        connected(JvmConnector.attach(host, port, timeout), cfg);
    }

    /** Attach only: the local process behind the JDWP port, for loading the agent. */
    private AgentAttach.Target attachTarget;

    private void configure(Config cfg) {
        this.config = cfg;
        this.sources = new SourceLocator(cfg.sourcePaths());
        this.breakpoints.useSources(sources);
    }

    private void connected(VirtualMachine vm, Config cfg) {
        this.vm = vm;
        // The classes loaded before our class prepare request are looked at below. A launched JVM
        // is still suspended, so none load meanwhile: fetch the list (several hundred platform
        // classes, 8-15 ms) beside the rest of the set-up. An attached JVM may run: ask after the request.
        FutureTask<List<ReferenceType>> loadedBefore = new FutureTask<>(vm::allClasses);
        if (cfg.launch) {
            java.lang.Thread fetch = new java.lang.Thread(loadedBefore, "loaded-classes");
            fetch.setDaemon(true);
            fetch.start();
        }
        // Launched JVMs wait at start for configurationDone; an attached one runs on unless it was
        // started with suspend=y. Resuming a running one would also resume threads stopped since.
        List<ThreadReference> threads = vm.allThreads();
        startedSuspended = cfg.launch || (!threads.isEmpty() && threads.stream().allMatch(ThreadReference::isSuspended));
        List<Path> classPath = new ArrayList<>(cfg.classPaths());
        if (classPath.isEmpty() && vm instanceof PathSearchingVirtualMachine psvm) {
            for (String s : psvm.classPath()) classPath.add(Paths.get(s));
        }
        ClassFiles classFiles = new ClassFiles(classPath);
        wrapRules = new WrapRules(cfg.list(Attribute.WRAP), cfg.list(Attribute.NO_WRAP), classFiles);
        // the reloader is made below: these ask it when an exception comes
        escapes = new EscapeDetector(wrapRules, cfg.list(Attribute.PROPAGATED_EXCEPTIONS),
                (t, depth, loc) -> reloader.currentVersion(t, depth, loc), type -> reloader.bytesOf(type));
        snapshots = new SourceSnapshots(sources);
        String javaHome = cfg.has(Attribute.JAVA_HOME) ? cfg.string(Attribute.JAVA_HOME) : System.getProperty("java.home");
        reloader = new Reloader(vm, sources, snapshots, classFiles, classPath, Paths.get(javaHome), index);
        debuggee = new Debuggee(vm, cfg.integer(Attribute.EVALUATE_TIMEOUT), t -> sources.find(SourceLocator.keyOf(t)));
        variables.callThrough(debuggee);
        EventRequestManager erm = vm.eventRequestManager();
        ClassPrepareRequest all = erm.createClassPrepareRequest();
        for (String ex : STEP_EXCLUDES) all.addClassExclusionFilter(ex);
        all.setSuspendPolicy(EventRequest.SUSPEND_NONE);
        all.enable();
        ThreadStartRequest ts = erm.createThreadStartRequest();
        ts.setSuspendPolicy(EventRequest.SUSPEND_NONE);
        ts.enable();
        ThreadDeathRequest td = erm.createThreadDeathRequest();
        td.setSuspendPolicy(EventRequest.SUSPEND_NONE);
        td.enable();
        if (!cfg.launch && "handler".equals(cfg.string(Attribute.STOP_AT))) handlerMode = agentInAttachedJvm(cfg);
        exceptionRequest = erm.createExceptionRequest(null, true, true);
        exceptionRequest.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        updateExceptionRequest();
        if (handlerMode) {
            ClassPrepareRequest hook = erm.createClassPrepareRequest();
            hook.addClassFilter(HOOK_CLASS);
            hook.putProperty(HOOK, Boolean.TRUE);
            hook.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD); // the hook's breakpoint must be set before its first call
            hook.enable();
            for (ReferenceType t : vm.classesByName(HOOK_CLASS)) hookBreakpoint(t);
        }
        if (!cfg.launch) loadedBefore.run();
        for (ReferenceType t : loaded(loadedBefore)) {
            // the platform's classes have no sources here; asking each its source name costs a round trip
            if (t.isPrepared() && !WrapPolicy.neverWrapped(t.name())) classLoaded(t);
        }
        breakpoints.attach(vm, (rule, loc) -> rule.check(debuggee, loc));
        debuggee.waitForCallsWith(EventLoop.start(vm, this)::await);
        reloader.warmUp();
        // stopped on entry, the program waits for the user anyway: warm up then, not while it starts
        if (!(cfg.launch && cfg.bool(Attribute.STOP_ON_ENTRY))) reloader.release();
        if (configurationDone) DapConnection.afterResponse(this::resumeAll);
    }

    private static List<ReferenceType> loaded(FutureTask<List<ReferenceType>> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new UserError("Interrupted while connecting to the JVM.");
        }
    }

    /**
     * Whether the attached JVM has the agent (so escapes stop through its hook): started with
     * -javaagent, or loaded now through the attach API when the JVM runs on this machine. Else
     * the throw-site detector finds escapes, and the user reads why.
     */
    private boolean agentInAttachedJvm(Config cfg) {
        String wanted = WrapPolicy.encode(cfg.list(Attribute.WRAP), cfg.list(Attribute.NO_WRAP));
        List<ReferenceType> agent = vm.classesByName(AGENT_CLASS);
        if (!agent.isEmpty()) {
            Field f = agent.get(0).fieldByName("arguments");
            Value v = f == null ? null : agent.get(0).getValue(f);
            if (v instanceof StringReference str && !str.value().equals(wanted)) {
                output("console", "hotrestart: the hotrestart agent in this JVM was loaded with other wrap patterns ("
                        + (str.value().isEmpty() ? "none" : str.value()) + "); those stay in force, this session's 'wrap' and "
                        + "'noWrap' apply only where the agent wraps too. Restart the JVM to change them.\n");
            }
            return true;
        }
        String failure = attachTarget.found() ? AgentAttach.load(attachTarget, wanted, cfg.integer(Attribute.TIMEOUT))
                : attachTarget.failure();
        if (failure == null) {
            output("console", "hotrestart: loaded the hotrestart agent into process " + attachTarget.pid() + " to watch wrapped methods. "
                    + "Methods running at this moment keep their old code until they return. (Java 21 and newer print a "
                    + "warning about it; -XX:+EnableDynamicAgentLoading silences it.)\n");
            return true;
        }
        output("console", "hotrestart: this JVM runs without the hotrestart agent, and it could not be loaded now: "
                + failure + ". Escaping exceptions are found at the throw site instead (programs that throw many "
                + "exceptions run slower). Start the JVM with -javaagent:hotrestart-agent.jar (`hotrestart --write-agent "
                + "FILE` writes it) for the cheap way.\n");
        return false;
    }

    private void stopOnEntry(String mainClass) {
        ClassPrepareRequest r = vm.eventRequestManager().createClassPrepareRequest();
        r.addClassFilter(mainClass);
        r.putProperty(ENTRY, Boolean.TRUE);
        r.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        r.enable();
    }

    public synchronized void configurationDone() {
        configurationDone = true;
        if (vm != null) DapConnection.afterResponse(this::resumeAll);
    }

    private void resumeAll() {
        synchronized (this) {
            try {
                if (vm != null && startedSuspended) vm.resume();
                startedSuspended = false;
            } catch (VMDisconnectedException ignored) {
                // already gone
            }
        }
    }

    public synchronized void disconnect(DisconnectArguments args) {
        boolean kill = args == null || args.getTerminateDebuggee() == null ? config == null || config.launch : args.getTerminateDebuggee();
        end(kill);
    }

    public synchronized void terminate() {
        end(true);
    }

    public synchronized void connectionClosed() {
        end(config == null || config.launch);
    }

    private void end(boolean kill) {
        if (reloader != null) reloader.close();
        if (vm != null && !ended) {
            try {
                if (kill) {
                    if (process != null) process.kill(); else vm.exit(1);
                } else {
                    vm.dispose();
                }
            } catch (VMDisconnectedException ignored) {
                // gone already
            }
        } else if (process != null) {
            process.kill();
        }
    }

    // ---------------------------------------------------------------- events

    @Override
    public boolean handle(EventSet set) {
        synchronized (this) {
            boolean resume = true;
            if (debuggee != null && set.suspendPolicy() != EventRequest.SUSPEND_NONE) {
                for (Event e : set) {
                    if (e instanceof LocatableEvent le) debuggee.eventOn(le.thread());
                    else if (e instanceof ClassPrepareEvent cp) debuggee.eventOn(cp.thread());
                }
            }
            for (Event e : set) {
                if (e instanceof VMStartEvent) {
                    // A launched VM waits (suspend=y) until configurationDone resumes it, so the
                    // client's breakpoints are in place before any of the program runs.
                    resume = false;
                } else if (e instanceof ClassPrepareEvent cp) {
                    classLoaded(cp.referenceType());
                    breakpoints.classPrepared(cp.referenceType());
                    if (Boolean.TRUE.equals(e.request().getProperty(ENTRY))) entryBreakpoint(cp.referenceType());
                    if (Boolean.TRUE.equals(e.request().getProperty(HOOK))) hookBreakpoint(cp.referenceType());
                } else if (e instanceof BreakpointEvent bp) {
                    resume &= !breakpointHit(bp);
                } else if (e instanceof MethodExitEvent mx) {
                    methodExited(mx);
                } else if (e instanceof StepEvent st) {
                    resume &= !stepped(st);
                } else if (e instanceof ExceptionEvent ex) {
                    resume &= !exceptionThrown(ex);
                } else if (e instanceof ThreadStartEvent ts) {
                    threadEvent(ts.thread(), "started");
                } else if (e instanceof ThreadDeathEvent td) {
                    threadEvent(td.thread(), "exited");
                    forget(td.thread());
                    if (reloader != null) reloader.threadEnded(td.thread());
                    threadIds.removeIf(t -> t.equals(td.thread()));
                }
            }
            return resume;
        }
    }

    private void classLoaded(ReferenceType t) {
        index.add(t);
        if (snapshots != null) {
            snapshots.classPrepared(t);
            if (reloader != null) {
                String key = SourceLocator.keyOf(t);
                if (key != null) reloader.warmWith(key, t);
            }
        }
    }

    private void entryBreakpoint(ReferenceType type) {
        for (Method m : type.methodsByName("main")) {
            Location loc = m.location();
            if (loc == null) continue;
            BreakpointRequest r = vm.eventRequestManager().createBreakpointRequest(loc);
            r.putProperty(ENTRY, Boolean.TRUE);
            r.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            r.enable();
        }
    }

    /** The throw-site detector runs only where needed: it makes every exception cost an event. */
    private void updateExceptionRequest() {
        if (exceptionRequest == null) return;
        exceptionRequest.setEnabled(!handlerMode || catchCaught || catchUncaught);
    }

    private void hookBreakpoint(ReferenceType hook) {
        for (Method m : hook.methodsByName("escaped")) {
            BreakpointRequest r = vm.eventRequestManager().createBreakpointRequest(m.location());
            r.putProperty(HOOK, Boolean.TRUE);
            r.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            r.enable();
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
            if (propagating.contains(ex) || escapes.isPropagated(ex.referenceType())) return false;
            Method wrapped = reloader.currentVersion(t, 1, t.frame(1).location());
            Stop stop = new Stop("exception", ex, List.of(1), List.of(wrapped));
            stop.hidden = 1;
            stopped(t, stop, null, Variables.simple(ex.referenceType().name()), escapeDescription(stop));
            hintOnce(stop);
            return true;
        } catch (IncompatibleThreadStateException | IndexOutOfBoundsException err) {
            return false;
        }
    }

    private void hintOnce(Stop stop) {
        if (hintShown) return;
        hintShown = true;
        output("console", "hotrestart: an exception escaped " + label(stop.targetMethod())
                + ". Fix the method and continue to run it again with your edits "
                + "(or use restartFrameWithReload; propagateException lets it go on).\n");
    }

    private boolean breakpointHit(BreakpointEvent e) {
        if (Boolean.TRUE.equals(e.request().getProperty(HOOK))) return hookHit(e);
        if (Boolean.TRUE.equals(e.request().getProperty(ENTRY))) {
            stopped(e.thread(), Stop.plain("entry"), null, null, null);
            vm.eventRequestManager().deleteEventRequest(e.request()); // after the event: a round trip fewer before it
            return true;
        }
        Breakpoints.LineBreakpoint b = breakpoints.byRequest(e.request());
        if (b == null) return false;
        String description = null;
        BreakpointRule rule = Breakpoints.ruleOf(b);
        if (rule != null) {
            rule.passedOver(Breakpoints.passedOver(e.request()));
            BreakpointRule.Decision d = rule.decide(() -> new Evaluator(debuggee, e.thread(), 0, Evaluator.Mode.CALLS, null)
                    .prefetch(rule.locals()));
            breakpoints.counted(b, e.request());
            if (d.log() != null) logpoint(d.log(), e.location());
            if (d.conditionError() != null) breakpoints.unverify(b, d.conditionError());
            if (!d.stop()) return false;
            description = d.description();
        }
        stopped(e.thread(), Stop.plain("breakpoint"), new Integer[]{Breakpoints.idOf(b)}, null, description);
        return true;
    }

    private boolean stepped(StepEvent e) {
        // the request has run out (count 1); a new step replaces it, a stop deletes it once the
        // client has been told: a round trip to the JVM fewer before the `stopped` event
        Integer then = afterHook.remove(e.thread());
        if (then != null) {
            step(e.thread(), then, StepRequest.STEP_LINE); // out of the hook: now the user's step
            return false;
        }
        Method m = e.location().method();
        boolean restart = restarting.remove(e.thread());
        if (!restart && m.isSynthetic() && !m.name().startsWith("lambda$")) {
            // step on through compiler-made bridges and accessors
            step(e.thread(), StepRequest.STEP_INTO, StepRequest.STEP_LINE);
            return false;
        }
        stopped(e.thread(), Stop.plain(restart ? "restart" : "step"), null, null, null);
        if (restart && reloader != null) reloader.practise(m);
        vm.eventRequestManager().deleteEventRequest(e.request());
        return true;
    }

    private boolean exceptionThrown(ExceptionEvent e) {
        ObjectReference ex = e.exception();
        if (propagating.contains(ex)) return false;
        EscapeDetector.Escape escape;
        try {
            escape = handlerMode ? null : escapes.check(e);
        } catch (IncompatibleThreadStateException | RuntimeException err) {
            LOG.log(Level.FINE, "escape check failed", err);
            escape = null;
        }
        if (escape != null) {
            Stop stop = new Stop("exception", ex, escape.wrappedDepths(), escape.wrappedMethods());
            stopped(e.thread(), stop, null, Variables.simple(ex.referenceType().name()), escapeDescription(stop));
            hintOnce(stop);
            return true;
        }
        boolean uncaught = e.catchLocation() == null;
        if ((uncaught && catchUncaught) || (!uncaught && catchCaught)) {
            Stop stop = new Stop("exception", ex, List.of(), List.of());
            stop.breakMode = uncaught ? ExceptionBreakMode.UNHANDLED : ExceptionBreakMode.ALWAYS;
            stopped(e.thread(), stop, null,
                    Variables.simple(ex.referenceType().name()), ExceptionInfo.message(ex, e.thread()));
            return true;
        }
        return false;
    }

    private String escapeDescription(Stop stop) {
        String msg = ExceptionInfo.message(stop.exception, null);
        return msg + " escaped " + label(stop.targetMethod());
    }

    private void stopped(ThreadReference thread, Stop stop, Integer[] hitIds, String text, String description) {
        if (process != null) process.flush(); // what the program printed before it stopped comes first
        endReturnWatch(thread, stop);
        if (reloader != null) reloader.release();
        stops.put(thread, stop);
        StoppedEventArguments a = new StoppedEventArguments();
        a.setReason(stop.reason);
        a.setThreadId(threadIds.id(thread));
        a.setAllThreadsStopped(false);
        a.setPreserveFocusHint(false);
        if (hitIds != null) a.setHitBreakpointIds(hitIds);
        if (text != null) a.setText(text);
        if (description != null) a.setDescription(description);
        client.stopped(a);
        // a reload may come next: it is practised while the user edits
        if (reloader != null && stop.isEscape()) reloader.practise(stop.targetMethod());
    }

    private void threadEvent(ThreadReference t, String reason) {
        ThreadEventArguments a = new ThreadEventArguments();
        a.setReason(reason);
        a.setThreadId(threadIds.id(t));
        client.thread(a);
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
    private final Set<Object> skipsTold = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Says once per breakpoint that it did not stop: its thread was running a method for an evaluation. */
    @Override
    public void skippedDuringCall(LocatableEvent e) {
        if (!(e instanceof BreakpointEvent) || e.request().getProperty(Breakpoints.BP_ID) == null) return;
        if (!skipsTold.add(e.request().getProperty(Breakpoints.BP_ID))) return;
        Location loc = e.location();
        String file;
        try {
            file = loc.sourceName();
        } catch (AbsentInformationException err) {
            file = loc.declaringType().name();
        }
        output("console", "hotrestart: the breakpoint at " + file + ":" + loc.lineNumber() + " did not stop thread \""
                + e.thread().name() + "\": it was running a method for an evaluation.\n");
    }

    @Override
    public void disconnected() {
        int exitCode;
        synchronized (this) {
            if (ended) return;
            ended = true;
        }
        if (process != null) {
            exitCode = process.awaitExit(5000);
            ExitedEventArguments ex = new ExitedEventArguments();
            ex.setExitCode(exitCode);
            client.exited(ex);
        }
        client.terminated(new TerminatedEventArguments());
    }

    private void output(String category, String text) {
        OutputEventArguments o = new OutputEventArguments();
        o.setCategory(category);
        o.setOutput(text);
        client.output(o);
    }

    private void breakpointChanged(Breakpoint bp) {
        BreakpointEventArguments a = new BreakpointEventArguments();
        a.setReason("changed");
        a.setBreakpoint(bp);
        client.breakpoint(a);
    }

    // ---------------------------------------------------------------- breakpoints

    public synchronized SetBreakpointsResponse setBreakpoints(SetBreakpointsArguments args) {
        Source src = args.getSource();
        if (src == null || src.getPath() == null) throw new UserError("setBreakpoints needs source.path: the file's path.");
        SourceBreakpoint[] sbs = args.getBreakpoints();
        int[] lines;
        Object[] rules = null;
        if (sbs != null) {
            lines = new int[sbs.length];
            for (int i = 0; i < sbs.length; i++) lines[i] = sbs[i].getLine();
            rules = new Object[sbs.length];
            for (int i = 0; i < sbs.length; i++) {
                try {
                    rules[i] = BreakpointRule.parse(sbs[i].getCondition(), sbs[i].getHitCondition(), sbs[i].getLogMessage());
                } catch (UserError err) {
                    rules[i] = err.getMessage(); // refused: reported on the breakpoint
                }
            }
        } else if (args.getLines() != null) {
            lines = new int[args.getLines().length];
            for (int i = 0; i < lines.length; i++) lines[i] = args.getLines()[i];
        } else {
            lines = new int[0];
        }
        SetBreakpointsResponse r = new SetBreakpointsResponse();
        r.setBreakpoints(breakpoints.set(Paths.get(src.getPath()).toAbsolutePath().normalize(), lines, rules).toArray(new Breakpoint[0]));
        return r;
    }

    public synchronized SetExceptionBreakpointsResponse setExceptionBreakpoints(SetExceptionBreakpointsArguments args) {
        List<String> filters = args.getFilters() == null ? List.of() : Arrays.asList(args.getFilters());
        catchCaught = filters.contains("caught");
        catchUncaught = filters.contains("uncaught");
        updateExceptionRequest();
        SetExceptionBreakpointsResponse r = new SetExceptionBreakpointsResponse();
        Breakpoint[] bps = new Breakpoint[filters.size()];
        for (int i = 0; i < bps.length; i++) {
            bps[i] = new Breakpoint();
            bps[i].setVerified(true);
        }
        r.setBreakpoints(bps);
        return r;
    }

    // ---------------------------------------------------------------- threads, stack, variables

    public synchronized ThreadsResponse threads() {
        List<Thread> out = new ArrayList<>();
        List<ThreadReference> all;
        try {
            all = vm == null ? List.of() : vm.allThreads();
        } catch (VMDisconnectedException e) {
            all = List.of(); // the program ended: it has no threads, which is no error
        }
        for (ThreadReference t : all) {
            Thread th = new Thread();
            th.setId(threadIds.id(t));
            String name;
            try {
                name = t.name();
            } catch (ObjectCollectedException | VMDisconnectedException e) {
                continue;
            }
            th.setName(name);
            out.add(th);
        }
        ThreadsResponse r = new ThreadsResponse();
        r.setThreads(out.toArray(new Thread[0]));
        return r;
    }

    private ThreadReference thread(Integer id) {
        ThreadReference t = id == null ? null : threadIds.get(id);
        if (t == null) throw new UserError("No thread with id " + id + ": it ended, or the id is stale. Ask for 'threads' again.");
        return t;
    }

    private ThreadReference suspendedThread(Integer id) {
        ThreadReference t = thread(id);
        if (!t.isSuspended()) throw new UserError("Thread \"" + t.name() + "\" is running; pause it first.");
        return t;
    }

    public synchronized StackTraceResponse stackTrace(StackTraceArguments args) {
        ThreadReference t = suspendedThread(args.getThreadId());
        try {
            Stop stop = stops.get(t);
            int hidden = stop == null ? 0 : stop.hidden;
            int total = t.frameCount();
            // reading the trace runs code in the thread, which invalidates frames: do it first
            if (hidden > 0 && stop.targetLine == null) escapeLine(t, stop, total);
            int start = (args.getStartFrame() == null ? 0 : Math.max(0, args.getStartFrame())) + hidden;
            int levels = args.getLevels() == null || args.getLevels() <= 0 ? total - start : Math.min(args.getLevels(), total - start);
            List<StackFrame> frames = levels > 0 ? t.frames(start, levels) : List.of();
            // the frames asked for reach the bottom (a whole trace): they tell where the first native one is
            int firstNative = start + levels == total ? start + firstNative(frames) : firstNativeDepth(t, total);
            List<org.eclipse.lsp4j.debug.StackFrame> out = new ArrayList<>();
            Map<Method, String> labels = new HashMap<>(); // a recursion names one method many times
            Map<Method, Boolean> oldCode = new HashMap<>(); // asked of the JVM once per method
            for (int i = 0; i < frames.size(); i++) {
                int depth = start + i;
                Location loc = frames.get(i).location();
                org.eclipse.lsp4j.debug.StackFrame f = new org.eclipse.lsp4j.debug.StackFrame();
                f.setId(frameIds.id(new FrameRef(t, depth)));
                boolean target = stop != null && stop.isEscape() && stop.targetDepth() == depth;
                f.setName((target ? "⟳ " : "") + labels.computeIfAbsent(methodAt(t, depth, loc), DebugSession::label));
                // where the exception left the wrapped frame (which now stands in the agent's handler)
                boolean left = target && stop.hidden > 0 && stop.targetLine > 0;
                f.setLine(left ? stop.targetLine : Math.max(loc.lineNumber(), 0));
                f.setColumn(1);
                boolean obsolete = oldCode.computeIfAbsent(loc.method(), m -> runsOldCode(loc));
                Reloader.OldFrame old = obsolete ? reloader.oldFrame(t, total - 1 - depth) : null;
                if (old != null) {
                    // the frame runs code a reload replaced: the line in the text of that version
                    if (!left) f.setLine(old.lineAt(loc.codeIndex()));
                    f.setSource(olderVersion(SourceLocator.keyOf(loc.declaringType()), old.textRef()));
                } else {
                    f.setSource(sourceOf(loc, obsolete));
                }
                f.setCanRestart(depth + 1 < total && depth + 1 < firstNative);
                if (loc.method().isNative()) f.setPresentationHint(StackFramePresentationHint.SUBTLE);
                out.add(f);
            }
            StackTraceResponse r = new StackTraceResponse();
            r.setStackFrames(out.toArray(new org.eclipse.lsp4j.debug.StackFrame[0]));
            r.setTotalFrames(total - hidden);
            return r;
        } catch (IncompatibleThreadStateException e) {
            throw new UserError("Thread \"" + t.name() + "\" is running; pause it first.");
        }
    }

    /**
     * The line where the exception left the wrapped frame. The frame itself now stands in the
     * handler the agent added; the exception's trace still has the line, at the same distance
     * from the bottom of the stack.
     */
    private void escapeLine(ThreadReference t, Stop stop, int total) {
        stop.targetLine = ExceptionInfo.traceLine(stop.exception, t, total - stop.targetDepth(), debuggee);
    }

    /** The shallowest native frame's depth (frames at or below it cannot be popped past), or total. */
    private static int firstNativeDepth(ThreadReference t, int total) throws IncompatibleThreadStateException {
        List<StackFrame> all = t.frames();
        int i = firstNative(all);
        return i < all.size() ? i : total;
    }

    /** The index of the first native frame in the list, or its size. */
    private static int firstNative(List<StackFrame> frames) {
        Method last = null;
        for (int i = 0; i < frames.size(); i++) {
            Method m = frames.get(i).location().method();
            if (m != last && m.isNative()) return i;
            last = m;
        }
        return frames.size();
    }

    private final Map<ReferenceType, Source> sourceCache = new HashMap<>();

    /** Whether the code at {@code loc} is a version a reload replaced. */
    private boolean runsOldCode(Location loc) {
        return reloader != null && reloader.mayRunObsoleteCode(loc.declaringType()) && loc.method().isObsolete();
    }

    /** The text of an older version of a file, served by reference. */
    private static Source olderVersion(String key, int ref) {
        Source s = new Source();
        s.setName(key.substring(key.lastIndexOf('/') + 1) + " (older version)");
        s.setSourceReference(ref);
        s.setPresentationHint(SourcePresentationHint.DEEMPHASIZE);
        return s;
    }

    private Source sourceOf(Location loc) {
        return sourceOf(loc, runsOldCode(loc));
    }

    private Source sourceOf(Location loc, boolean obsolete) {
        ReferenceType type = loc.declaringType();
        if (obsolete) {
            // the frame still runs the version before a reload: show that version's text
            String key = SourceLocator.keyOf(type);
            int ref = key == null ? 0 : reloader.previousVersion(key);
            if (ref > 0) return olderVersion(key, ref);
        }
        return sourceCache.computeIfAbsent(type, ty -> {
            String key = SourceLocator.keyOf(ty);
            if (key == null) return null;
            Source s = new Source();
            s.setName(key.substring(key.lastIndexOf('/') + 1));
            Path p = sources.find(key);
            if (p != null) s.setPath(p.toString());
            else s.setPresentationHint(SourcePresentationHint.DEEMPHASIZE);
            return s;
        });
    }

    public synchronized ScopesResponse scopes(ScopesArguments args) {
        FrameRef ref = frame(args.getFrameId());
        List<Scope> out = new ArrayList<>();
        Scope locals = new Scope();
        locals.setName("Locals");
        locals.setPresentationHint(ScopePresentationHint.LOCALS);
        locals.setVariablesReference(variables.ref(new Variables.Locals(ref.thread(), ref.depth())));
        out.add(locals);
        try {
            ReferenceType type = ref.thread().frame(ref.depth()).location().declaringType();
            boolean hasStatics = false;
            for (Field f : type.allFields()) hasStatics |= f.isStatic() && !f.isSynthetic();
            if (hasStatics) {
                Scope st = new Scope();
                st.setName("Static");
                st.setVariablesReference(variables.ref(new Variables.Statics(ref.thread(), type)));
                out.add(st);
            }
        } catch (IncompatibleThreadStateException e) {
            throw new UserError("The thread is running; pause it first.");
        }
        ScopesResponse r = new ScopesResponse();
        r.setScopes(out.toArray(new Scope[0]));
        return r;
    }

    private FrameRef frame(Integer frameId) {
        FrameRef ref = frameId == null ? null : frameIds.get(frameId);
        if (ref == null || !ref.thread().isSuspended()) {
            throw new UserError("Frame " + frameId + " is no longer valid: the thread ran on. Ask for the stack again.");
        }
        return ref;
    }

    public synchronized VariablesResponse variables(VariablesArguments args) {
        Variables.Container c = variables.get(args.getVariablesReference());
        if (c == null) throw new UserError("Variables reference " + args.getVariablesReference() + " is no longer valid: the thread ran on.");
        try {
            List<Variable> out = variables.children(c, args.getStart(), args.getCount());
            Stop stop = c instanceof Variables.Locals l ? stops.get(l.thread()) : null;
            if (stop != null && stop.returned != null && ((Variables.Locals) c).depth() == stop.hidden
                    && !(stop.returned.value() instanceof VoidValue)) {
                // what the stepOut's method returned, as IntelliJ shows it; evaluate it as $return
                Variable ret = variables.variable("$return", stop.returned.value(), c.thread());
                ret.setEvaluateName("$return");
                out.add(0, ret);
            }
            VariablesResponse r = new VariablesResponse();
            r.setVariables(out.toArray(new Variable[0]));
            return r;
        } catch (UserError e) {
            throw e;
        } catch (Exception e) {
            LOG.log(Level.FINE, "variables failed", e);
            throw new UserError("Cannot read these variables: " + e);
        }
    }

    public synchronized SourceResponse source(SourceArguments args) {
        Integer ref = args.getSource() != null && args.getSource().getSourceReference() != null
                ? args.getSource().getSourceReference() : Integer.valueOf(args.getSourceReference());
        String text = ref == null ? null : reloader == null ? null : reloader.sourceText(ref);
        if (text == null && args.getSource() != null && args.getSource().getPath() != null) {
            try {
                text = Files.readString(Paths.get(args.getSource().getPath()));
            } catch (Exception e) {
                text = null;
            }
        }
        if (text == null) throw new UserError("No source is available for this frame.");
        SourceResponse r = new SourceResponse();
        r.setContent(text);
        r.setMimeType("text/x-java");
        return r;
    }

    public synchronized EvaluateResponse evaluate(EvaluateArguments args) {
        FrameRef ref = args.getFrameId() == null ? null : frame(args.getFrameId());
        if (ref == null) throw new UserError("Evaluation needs a stopped frame: select one in the call stack.");
        String context = args.getContext() == null ? "watch" : args.getContext();
        // hover only reads (unless the adapter runs with --hover-calls); the console may also assign;
        // watch, clipboard and others may call methods
        Evaluator.Mode mode = context.equals("hover") && !hoverCalls ? Evaluator.Mode.READ_ONLY
                : context.equals("repl") ? Evaluator.Mode.ASSIGN : Evaluator.Mode.CALLS;
        Value v = evaluator(ref.thread(), ref.depth(), mode).evaluate(args.getExpression());
        Variable var = variables.variable(args.getExpression().trim(), v, ref.thread());
        EvaluateResponse r = new EvaluateResponse();
        r.setResult(var.getValue());
        r.setType(var.getType());
        r.setVariablesReference(var.getVariablesReference());
        r.setIndexedVariables(var.getIndexedVariables());
        return r;
    }

    private Evaluator evaluator(ThreadReference t, int depth, Evaluator.Mode mode) {
        Stop stop = stops.get(t);
        return new Evaluator(debuggee, t, depth, mode, stop == null ? null
                : new Evaluator.Specials(stop.exception, depth == stop.hidden ? stop.returned : null));
    }

    /** Assigns a Java expression's value to what another expression names (a watch, a variable's evaluateName). */
    public synchronized SetExpressionResponse setExpression(SetExpressionArguments args) {
        FrameRef ref = args.getFrameId() == null ? null : frame(args.getFrameId());
        if (ref == null) throw new UserError("setExpression needs a stopped frame: select one in the call stack.");
        Value v = evaluator(ref.thread(), ref.depth(), Evaluator.Mode.CALLS).assign(args.getExpression(), args.getValue());
        Variable var = variables.variable(args.getExpression().trim(), v, ref.thread());
        SetExpressionResponse r = new SetExpressionResponse();
        r.setValue(var.getValue());
        r.setType(var.getType());
        r.setVariablesReference(var.getVariablesReference());
        r.setIndexedVariables(var.getIndexedVariables());
        return r;
    }

    /** Proposals for the debug console at the cursor, in the frame's scope. */
    public synchronized CompletionsResponse completions(CompletionsArguments args) {
        FrameRef ref = args.getFrameId() == null ? null : frame(args.getFrameId());
        if (ref == null) throw new UserError("Completions need a stopped frame: select one in the call stack.");
        int base = Boolean.FALSE.equals(clientInfo.getColumnsStartAt1()) ? 0 : 1;
        String text = args.getText() == null ? "" : args.getText();
        int lineBase = Boolean.FALSE.equals(clientInfo.getLinesStartAt1()) ? 0 : 1;
        String[] lines = text.split("\n", -1);
        String line = args.getLine() != null && args.getLine() - lineBase >= 0 && args.getLine() - lineBase < lines.length
                ? lines[args.getLine() - lineBase] : lines[lines.length - 1];
        List<CompletionItem> out = new ArrayList<>();
        for (Completions.Candidate c : Completions.at(debuggee, ref.thread(), ref.depth(), line, args.getColumn() - base)) {
            CompletionItem item = new CompletionItem();
            item.setLabel(c.label());
            item.setText(c.text());
            item.setDetail(Variables.simple(c.detail()));
            item.setStart(c.start() + base);
            item.setLength(c.length());
            item.setType(switch (c.kind()) {
                case VARIABLE -> CompletionItemType.VARIABLE;
                case FIELD -> CompletionItemType.FIELD;
                case METHOD -> CompletionItemType.METHOD;
                case KEYWORD -> CompletionItemType.KEYWORD;
            });
            out.add(item);
        }
        CompletionsResponse r = new CompletionsResponse();
        r.setTargets(out.toArray(new CompletionItem[0]));
        return r;
    }

    /** Sets a local, field or array element shown in the Variables view to a Java expression's value. */
    public synchronized SetVariableResponse setVariable(SetVariableArguments args) {
        Variables.Container c = variables.get(args.getVariablesReference());
        if (c == null) throw new UserError("Variables reference " + args.getVariablesReference() + " is no longer valid: the thread ran on.");
        ThreadReference t = c.thread();
        Stop stop = stops.get(t);
        int depth = c instanceof Variables.Locals l ? l.depth() : stop == null ? 0 : stop.hidden;
        Evaluator ev = evaluator(t, depth, Evaluator.Mode.CALLS);
        Value v = ev.evaluate(args.getValue());
        String name = args.getName();
        try {
            Value set;
            if (c instanceof Variables.Locals) {
                StackFrame f = t.frame(depth);
                LocalVariable lv = f.visibleVariableByName(name);
                if (lv == null) throw new UserError("'" + name + "' is not a local variable of this frame.");
                set = ev.convertTo(v, lv.typeName());
                t.frame(depth).setValue(lv, set);
            } else if (c instanceof Variables.Fields || c instanceof Variables.Statics) {
                ReferenceType type = c instanceof Variables.Fields fs ? fs.object().referenceType() : ((Variables.Statics) c).type();
                String plain = name.contains(" (") ? name.substring(0, name.indexOf(" (")) : name;
                Field fd = null;
                for (Field f : type.allFields()) {
                    boolean shadowedMatch = name.equals(plain + " (" + Variables.simple(f.declaringType().name()) + ")");
                    if (f.name().equals(plain) && (fd == null || shadowedMatch)) fd = f;
                }
                if (fd == null) throw new UserError("'" + name + "' is not a field of " + Variables.simple(type.name()) + ".");
                set = ev.convertTo(v, fd.typeName());
                if (c instanceof Variables.Fields fs && !fd.isStatic()) fs.object().setValue(fd, set);
                else if (fd.declaringType() instanceof ClassType ct) ct.setValue(fd, set);
                else throw new UserError("Interface constants cannot be set.");
            } else if (c instanceof Variables.Elements el && !el.entries() && name.matches("\\[\\d+]")) {
                int i = Integer.parseInt(name.substring(1, name.length() - 1));
                set = ev.convertTo(v, ((ArrayType) el.array().type()).componentTypeName());
                el.array().setValue(i, set);
            } else {
                throw new UserError("'" + name + "' cannot be set here: only locals, fields and array elements can.");
            }
            Variable var = variables.variable(name, set, t);
            SetVariableResponse r = new SetVariableResponse();
            r.setValue(var.getValue());
            r.setType(var.getType());
            r.setVariablesReference(var.getVariablesReference());
            r.setIndexedVariables(var.getIndexedVariables());
            return r;
        } catch (IncompatibleThreadStateException e) {
            throw new UserError("The thread is running; pause it first.");
        } catch (AbsentInformationException e) {
            throw new UserError("This frame's class has no local variable table (compile with -g).");
        } catch (InvalidTypeException | ClassNotLoadedException e) {
            throw new UserError("Cannot set '" + name + "': " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError("Cannot set '" + name + "': " + e.getMessage() + " (final fields cannot be changed).");
        }
    }

    /** A logpoint's message: to the debug console, with where it came from; the thread goes on. */
    private void logpoint(String text, Location loc) {
        OutputEventArguments o = new OutputEventArguments();
        o.setCategory("console");
        o.setOutput(text + "\n");
        o.setSource(sourceOf(loc));
        o.setLine(loc.lineNumber());
        client.output(o);
    }

    public synchronized ExceptionInfoResponse exceptionInfo(Integer threadId) {
        ThreadReference t = thread(threadId);
        Stop stop = stops.get(t);
        ObjectReference ex = stop != null && stop.exception != null ? stop.exception : null;
        if (ex == null) throw new UserError("Thread \"" + t.name() + "\" is not stopped on an exception.");
        return ExceptionInfo.of(ex, t, stop.isEscape() ? escapeDescription(stop) : null, stop.breakMode, debuggee);
    }

    // ---------------------------------------------------------------- running

    public synchronized ContinueResponse continue_(ContinueArguments args) {
        ThreadReference t = thread(args.getThreadId());
        Stop stop = stops.get(t);
        ContinueResponse r = new ContinueResponse();
        r.setAllThreadsContinued(false);
        if (stop != null && stop.isEscape() && !"propagate".equals(config.string(Attribute.CONTINUE_ACTION))) {
            restart(t, stop.targetDepth(), config.bool(Attribute.RELOAD_ON_CONTINUE), "method", true);
            return r;
        }
        if (stop != null && stop.isEscape()) propagating.add(stop.exception);
        resume(t);
        return r;
    }

    private void resume(ThreadReference t) {
        forget(t);
        DapConnection.afterResponse(() -> {
            synchronized (this) {
                resumeFully(t);
            }
        });
    }

    /**
     * Resumes a thread after a custom request: unlike after 'continue', the client does not know
     * the thread runs, so it is told (nvim-dap and others keep showing it stopped otherwise).
     */
    private void continued(ThreadReference t) {
        forget(t);
        DapConnection.afterResponse(() -> {
            synchronized (this) {
                ContinuedEventArguments c = new ContinuedEventArguments();
                c.setThreadId(threadIds.id(t));
                c.setAllThreadsContinued(false);
                client.continued(c);
                resumeFully(t);
            }
        });
    }

    /**
     * Resumes a thread suspended by an event and perhaps by pause. The count is read once: a
     * loop on suspendCount() would also undo the suspension of the next event it runs into.
     */
    private static void resumeFully(ThreadReference t) {
        try {
            for (int n = t.suspendCount(); n > 0; n--) t.resume();
        } catch (ObjectCollectedException | VMDisconnectedException ignored) {
            // gone
        }
    }

    /** The thread runs on: what the client knew of its frames and values is stale. */
    private void forget(ThreadReference t) {
        Stop stop = stops.remove(t);
        if (stop != null && reloader != null) reloader.pausePractice(); // not while the program runs
        if (stop != null) allowCollection(stop.returned);
        frameIds.removeIf(f -> f.thread().equals(t));
        variables.drop(t);
    }

    public synchronized void step(Integer threadId, int depth) {
        ThreadReference t = suspendedThread(threadId);
        Stop stop = stops.get(t);
        if (stop != null && stop.exception != null) propagating.add(stop.exception);
        boolean inHook = stop != null && stop.hidden > 0;
        boolean watchReturn = depth == StepRequest.STEP_OUT && !inHook;
        forget(t);
        DapConnection.afterResponse(() -> {
            synchronized (this) {
                if (inHook) {
                    // the agent's hidden hook is on top: leave it first, silently, so the step
                    // starts in the wrapped method and follows the exception from there
                    afterHook.put(t, depth);
                    step(t, StepRequest.STEP_OUT, StepRequest.STEP_LINE);
                } else {
                    if (watchReturn) watchReturn(t);
                    step(t, depth, StepRequest.STEP_LINE);
                }
                resumeFully(t);
            }
        });
    }

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
            r.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            r.enable();
            returnWatches.put(t, r);
        } catch (IncompatibleThreadStateException | RuntimeException e) {
            LOG.log(Level.FINE, "cannot watch for the return value", e);
        }
    }

    private void methodExited(MethodExitEvent e) {
        if (!(e.request().getProperty(RETURN) instanceof ReturnWatch w) || !e.method().equals(w.method())) return;
        try {
            if (e.thread().frameCount() != w.frames()) return; // a recursive call of the same method
        } catch (IncompatibleThreadStateException err) {
            return;
        }
        Value v = e.returnValue();
        if (v instanceof ObjectReference o) o.disableCollection(); // until the thread runs on
        returned.put(e.thread(), new Evaluator.Returned(e.method(), v));
        vm.eventRequestManager().deleteEventRequest(e.request());
        returnWatches.remove(e.thread());
    }

    /** The thread stopped: a pending return watch is over; a step stop keeps what the stepOut returned. */
    private void endReturnWatch(ThreadReference t, Stop stop) {
        MethodExitRequest r = returnWatches.remove(t);
        if (r != null) vm.eventRequestManager().deleteEventRequest(r);
        Evaluator.Returned value = returned.remove(t);
        if (value != null && stop.reason.equals("step")) stop.returned = value;
        else allowCollection(value);
    }

    private static void allowCollection(Evaluator.Returned r) {
        if (r == null || !(r.value() instanceof ObjectReference o)) return;
        try {
            o.enableCollection();
        } catch (RuntimeException ignored) {
            // collected or disconnected
        }
    }

    private void step(ThreadReference t, int depth, int size) {
        EventRequestManager erm = vm.eventRequestManager();
        for (StepRequest old : new ArrayList<>(erm.stepRequests())) {
            if (old.thread().equals(t)) erm.deleteEventRequest(old);
        }
        StepRequest r = erm.createStepRequest(t, size, depth);
        for (String ex : STEP_EXCLUDES) r.addClassExclusionFilter(ex);
        r.addCountFilter(1);
        r.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        r.enable();
    }

    public synchronized void pause(Integer threadId) {
        ThreadReference t = thread(threadId);
        if (t.isSuspended() && stops.containsKey(t)) return;
        t.suspend();
        DapConnection.afterResponse(() -> {
            synchronized (this) {
                stopped(t, Stop.plain("pause"), null, null, null);
            }
        });
    }

    // ---------------------------------------------------------------- hot restart

    public synchronized void restartFrame(Integer frameId) {
        FrameRef ref = frame(frameId);
        restart(ref.thread(), ref.depth(), false, "method", false);
    }

    public synchronized Map<String, Object> restartFrameWithReload(RestartFrameWithReloadArguments a) {
        String scope = a.scope == null ? "method" : a.scope;
        if (!scope.equals("method") && !scope.equals("class")) {
            throw new UserError("'scope' must be \"method\" or \"class\", got \"" + scope + "\".");
        }
        ThreadReference t;
        int depth;
        if (a.frameId != null) {
            FrameRef ref = frame(a.frameId);
            t = ref.thread();
            depth = ref.depth();
        } else {
            t = a.threadId != null ? suspendedThread(a.threadId) : onlyEscapedThread();
            Stop stop = stops.get(t);
            if (stop == null || !stop.isEscape()) {
                throw new UserError("Thread \"" + t.name() + "\" has no restart target (no exception escaped a wrapped method); pass a frameId.");
            }
            depth = stop.targetDepth();
        }
        return restart(t, depth, true, scope, Boolean.TRUE.equals(a.resume));
    }

    /** The stopped threads, each with its shallowest frame that a restart of {@code popped} at {@code from - 1} leaves. */
    private Map<ThreadReference, Integer> stoppedThreads(ThreadReference popped, int from) {
        Map<ThreadReference, Integer> out = new HashMap<>();
        for (ThreadReference s : stops.keySet()) out.put(s, s.equals(popped) ? from : 0);
        return out;
    }

    private ThreadReference onlyEscapedThread() {
        ThreadReference found = null;
        for (Map.Entry<ThreadReference, Stop> e : stops.entrySet()) {
            if (!e.getValue().isEscape()) continue;
            if (found != null) throw new UserError("Several threads are stopped on escaped exceptions; pass threadId or frameId.");
            found = e.getKey();
        }
        if (found == null) throw new UserError("No thread is stopped on an escaped exception; pass threadId or frameId.");
        return found;
    }

    /**
     * Check, redefine, pop, then enter the method again: nothing changes until every check
     * passed, and a swap the JVM refuses leaves the thread where it was. Every failure is also
     * written to the debug console.
     */
    private Map<String, Object> restart(ThreadReference t, int depth, boolean reload, String scope, boolean resume) {
        try {
            return restartOrFail(t, depth, reload, scope, resume);
        } catch (UserError e) {
            output("stderr", "hotrestart: " + e.getMessage() + "\n");
            throw e;
        }
    }

    private Map<String, Object> restartOrFail(ThreadReference t, int depth, boolean reload, String scope, boolean resume) {
        Method method;
        try {
            checkPoppable(t, depth);
            method = methodAt(t, depth, t.frame(depth).location());
        } catch (IncompatibleThreadStateException e) {
            throw new UserError("Thread \"" + t.name() + "\" is running; pause it first.");
        }
        Reloader.Plan plan = null;
        if (reload) {
            plan = reloader.plan(method, scope);
            for (String w : plan.warnings()) output("console", "hotrestart: " + w + "\n");
        }
        List<String> reloaded = List.of();
        if (plan != null) {
            reloaded = reloader.apply(plan, stoppedThreads(t, depth + 1)); // refused: nothing changed, the thread stays stopped
            breakpoints.redefined(plan.redefinedTypes());
        }
        try {
            t.popFrames(t.frame(depth));
        } catch (IncompatibleThreadStateException | NativeMethodException | InvalidStackFrameException e) {
            throw new UserError((plan == null ? "" : "The new code is in, but ") + "cannot pop " + label(method) + ": " + e.getMessage());
        }
        Stop stop = stops.get(t);
        if (stop != null && stop.exception != null) propagating.remove(stop.exception);
        forget(t);
        if (resume) {
            continued(t);
        } else {
            restarting.add(t);
            DapConnection.afterResponse(() -> {
                synchronized (this) {
                    step(t, StepRequest.STEP_INTO, StepRequest.STEP_LINE);
                    resumeFully(t);
                }
            });
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reloaded", reloaded);
        body.put("restarted", label(method));
        return body;
    }

    /**
     * The method a frame runs. A frame left running code a reload replaced shows an obsolete
     * method, which has lost its name; the stop remembers the wrapped ones from before.
     */
    private Method methodAt(ThreadReference t, int depth, Location loc) {
        Method m = loc.method();
        // asking a method whether it is obsolete costs a round trip: only where a reload happened
        if (reloader == null || !reloader.mayRunObsoleteCode(loc.declaringType()) || !m.isObsolete()) return m;
        Method current = reloader.currentVersion(t, depth, loc);
        if (current != m) return current;
        Stop stop = stops.get(t);
        int i = stop == null ? -1 : stop.wrappedDepths.indexOf(depth);
        return i >= 0 ? stop.wrappedMethods.get(i) : m;
    }

    private void checkPoppable(ThreadReference t, int depth) throws IncompatibleThreadStateException {
        List<StackFrame> frames = t.frames();
        Method m = frames.get(depth).location().method();
        if (depth + 1 >= frames.size()) {
            throw new UserError("Cannot restart " + label(m) + ": it is the thread's bottom frame, which has no caller to return to. "
                    + nearestPoppableWrapped(t, frames));
        }
        for (int i = 0; i <= depth + 1; i++) {
            Method fm = frames.get(i).location().method();
            if (fm.isNative()) {
                throw new UserError("Cannot restart " + label(m) + ": the native frame " + label(fm)
                        + " lies between it and the top of the stack, and the JVM cannot pop native frames. "
                        + nearestPoppableWrapped(t, frames));
            }
        }
    }

    private String nearestPoppableWrapped(ThreadReference t, List<StackFrame> frames) {
        for (int i = 0; i + 1 < frames.size(); i++) {
            Method fm = frames.get(i).location().method();
            if (fm.isNative()) break;
            if (frames.get(i + 1).location().method().isNative()) break;
            if (wrapRules.isWrapped(fm)) return "Restart the nearest wrapped frame that can be: " + label(fm) + ".";
        }
        return "No frame on this stack both is wrapped and can be popped; restart the program to run the new code, "
                + "or let the exception go on (propagateException, or \"continueAction\": \"propagate\").";
    }

    public synchronized Map<String, Object> reloadClass(ReloadClassArguments a) {
        Reloader.Plan plan;
        List<String> reloaded;
        try {
            if (a.source != null && a.source.getPath() != null) {
                plan = reloader.planFile(Paths.get(a.source.getPath()).toAbsolutePath().normalize());
            } else if (a.className != null) {
                plan = reloader.planClass(a.className);
            } else {
                throw new UserError("reloadClass needs source.path (the edited file) or className.");
            }
            reloaded = reloader.apply(plan, stoppedThreads(null, 0));
        } catch (UserError e) {
            output("stderr", "hotrestart: " + e.getMessage() + "\n");
            throw e;
        }
        breakpoints.redefined(plan.redefinedTypes());
        // Frame ids (thread and depth) stay valid; what the frames show changed (obsolete code):
        // clients that understand it refetch their stacks.
        if (Boolean.TRUE.equals(clientInfo.getSupportsInvalidatedEvent())) {
            DapConnection.afterResponse(() -> {
                InvalidatedEventArguments inv = new InvalidatedEventArguments();
                inv.setAreas(new String[]{InvalidatedAreas.STACKS});
                client.invalidated(inv);
            });
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reloaded", reloaded);
        return body;
    }

    public synchronized Map<String, Object> propagateException(Integer threadId) {
        ThreadReference t = threadId != null ? thread(threadId) : onlyEscapedThread();
        Stop stop = stops.get(t);
        if (stop == null || !stop.isEscape()) throw new UserError("Thread \"" + t.name() + "\" is not stopped on an escaped exception.");
        Map<String, Object> body = new LinkedHashMap<>();
        if (stop.hidden > 0) {
            // the handler rethrows; the next wrapped method out that it leaves calls the hook again
            String next = null;
            try {
                List<StackFrame> frames = t.frames();
                for (int i = stop.targetDepth() + 1; i < frames.size() && next == null; i++) {
                    Method m = frames.get(i).location().method();
                    if (wrapRules.isWrapped(m)) next = label(m);
                }
            } catch (IncompatibleThreadStateException e) {
                throw new UserError("Thread \"" + t.name() + "\" is running.");
            }
            if (next == null) propagating.add(stop.exception);
            body.put("target", next);
            continued(t);
            return body;
        }
        if (stop.target + 1 < stop.wrappedDepths.size()) {
            stop.target++;
            frameIds.removeIf(f -> f.thread().equals(t));
            variables.drop(t);
            body.put("target", label(stop.targetMethod()));
            DapConnection.afterResponse(() -> {
                synchronized (this) {
                    stopped(t, stop, null, Variables.simple(stop.exception.referenceType().name()), escapeDescription(stop));
                }
            });
        } else {
            propagating.add(stop.exception);
            continued(t);
            body.put("target", null);
        }
        return body;
    }

    // ---------------------------------------------------------------- naming

    /** How a method reads to a Java developer: {@code Service.handle(String, int)}. */
    public static String label(Method m) {
        String type = Variables.simple(m.declaringType().name()).replace('$', '.');
        StringBuilder b = new StringBuilder(type).append('.').append(m.name()).append('(');
        List<String> args = m.argumentTypeNames();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(Variables.simple(args.get(i)).replace('$', '.'));
        }
        return b.append(')').toString();
    }

    private static String join(List<Path> paths) {
        StringJoiner j = new StringJoiner(java.io.File.pathSeparator);
        for (Path p : paths) j.add(p.toString());
        return j.toString();
    }
}
