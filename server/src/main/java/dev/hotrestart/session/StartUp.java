package dev.hotrestart.session;

import com.sun.jdi.PathSearchingVirtualMachine;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequestManager;
import dev.hotrestart.agent.WrapPolicy;
import dev.hotrestart.wrap.WrapRules;
import dev.hotrestart.base.AfterResponse;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.SourceLocator;
import dev.hotrestart.base.UserError;
import dev.hotrestart.jvm.AgentAttach;
import dev.hotrestart.jvm.DebuggeeProcess;
import dev.hotrestart.jvm.JvmConnector;
import dev.hotrestart.jvm.Requests;
import dev.hotrestart.reload.CompileFailure;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.RunInTerminalRequestArguments;
import org.eclipse.lsp4j.debug.RunInTerminalRequestArgumentsKind;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.logging.Logger;

/**
 * launch, attach, configurationDone, and the session's end: starting or finding the JVM,
 * connecting to it, and letting the program run once the client's breakpoints are in.
 */
public final class StartUp {
    private static final Logger LOG = Logger.getLogger(StartUp.class.getName());

    /** What the session does with a JVM it connected to (see {@link DebugSession}). */
    interface Wiring {
        /**
         * Sets up the session's parts for the JVM, before any event is handled. {@code loadedBefore}:
         * the classes loaded before the session's class prepare request.
         */
        void connected(VirtualMachine vm, Config cfg, DebuggeeProcess process, List<Path> classPath, boolean handlerMode,
                       List<ReferenceType> loadedBefore);

        /** The client's sources: what breakpoints and frames are found in. */
        void sourcesAre(SourceLocator sources);

        /** The program ran until here: the reload cycle lets go of what it holds. */
        void ending();
    }

    private final ThreadStops lock;
    private final ClientEvents events;
    private final InitializeRequestArguments clientInfo;
    private final Wiring wiring;
    private Config config;
    private VirtualMachine vm;
    private DebuggeeProcess process;
    private boolean configurationDone;
    private boolean ended;
    /** A launched JVM (or an attached one that waits): configurationDone resumes it. */
    private boolean startedSuspended;
    /** Attach only: the local process behind the JDWP port, for loading the agent. */
    private AgentAttach.Target attachTarget;

    StartUp(ThreadStops lock, ClientEvents events, InitializeRequestArguments clientInfo, Wiring wiring) {
        this.lock = lock;
        this.events = events;
        this.clientInfo = clientInfo;
        this.wiring = wiring;
    }

    public void launch(Map<String, Object> args) {
        if (vm != null) throw new UserError(ErrorId.WRONG_ORDER, "This session already runs a program; start a new session for another.");
        Config cfg = ProjectDefaults.complete(new Config(args, true), events,
                Boolean.TRUE.equals(clientInfo.getSupportsProgressReporting()));
        configure(cfg);
        LaunchCommand command = LaunchCommand.of(cfg);
        LOG.fine(() -> "launching " + command.line("..."));
        boolean terminal = "integratedTerminal".equals(cfg.string(Attribute.CONSOLE))
                && Boolean.TRUE.equals(clientInfo.getSupportsRunInTerminalRequest());
        if (terminal) {
            JvmConnector.Listener listener = new JvmConnector.Listener();
            RunInTerminalRequestArguments rit = new RunInTerminalRequestArguments();
            rit.setKind(RunInTerminalRequestArgumentsKind.INTEGRATED);
            rit.setTitle(command.mainClass());
            rit.setCwd(cfg.cwd().toString());
            rit.setArgs(command.line("server=n,suspend=y,address=" + listener.address).toArray(new String[0]));
            Map<String, String> env = cfg.env();
            if (!env.isEmpty()) rit.setEnv(new HashMap<>(env));
            events.runInTerminal(rit);
            connected(listener.accept(30_000), cfg);
        } else {
            process = DebuggeeProcess.start(command.line("server=y,suspend=y,address=127.0.0.1:0"), cfg.cwd(), cfg.env(),
                    events::output);
            Runtime.getRuntime().addShutdownHook(new java.lang.Thread(process::kill));
            VirtualMachine started;
            try {
                started = JvmConnector.attach("127.0.0.1", process.port, 10_000);
            } catch (UserError e) {
                // the attach advice (hostName, port, timeout) is not the user's to follow in a launch
                process.kill();
                throw new UserError(ErrorId.LAUNCH_FAILED, "The debuggee JVM started but did not let the adapter connect to its "
                        + "debug port within 10 s; it was stopped. Look at its output above; 'vmArgs' that set -agentlib:jdwp "
                        + "themselves conflict with the adapter's.");
            }
            connected(started, cfg);
        }
    }

    public void attach(Map<String, Object> args) {
        if (vm != null) throw new UserError(ErrorId.WRONG_ORDER, "This session is already attached.");
        Config cfg = new Config(args, false);
        configure(cfg);
        int timeout = cfg.integer(Attribute.TIMEOUT);
        String host = cfg.string(Attribute.HOST_NAME);
        int port = cfg.integer(Attribute.PORT);
        // found before connecting: JDWP forgets its listening address once a debugger connects
        attachTarget = "handler".equals(cfg.string(Attribute.STOP_AT)) ? AgentAttach.locate(host, port, timeout) : null;
        connected(JvmConnector.attach(host, port, timeout), cfg);
    }

    private void configure(Config cfg) {
        this.config = cfg;
        wiring.sourcesAre(new SourceLocator(cfg.sourcePaths()));
    }

    private void connected(VirtualMachine vm, Config cfg) {
        this.vm = vm;
        // The classes loaded before our class prepare request are looked at by the wiring. A launched
        // JVM is still suspended, so none load meanwhile: fetch the list (several hundred platform
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
            // relative entries are the JVM's: against its working folder; a wildcard the launcher did not expand names no file
            Path base = Paths.get(psvm.baseDirectory());
            for (String s : psvm.classPath()) if (!s.contains("*")) classPath.add(base.resolve(s).normalize());
            List<Path> absent = CompileFailure.absent(classPath);
            if (!absent.isEmpty()) {
                events.output("console", "hotrestart: " + absent.size() + " of the " + classPath.size() + " entries of the JVM's class path "
                        + "are not on this machine (" + CompileFailure.names(absent) + "): it may run on another machine. Reloads and expressions compile against "
                        + "the class path here: set 'classPaths' in the attach configuration to your build's output (its classes "
                        + "folder and the jars it needs), and 'sourcePaths' to its sources.\n");
            }
        }
        EventRequestManager erm = vm.eventRequestManager();
        ClassPrepareRequest all = erm.createClassPrepareRequest();
        for (String ex : StepFilters.JDK_CLASSES) all.addClassExclusionFilter(ex);
        Requests.noting(all);
        if (ThreadWatch.byEvents(vm)) { // else ThreadWatch compares looks: no event per virtual thread
            Requests.noting(erm.createThreadStartRequest());
            Requests.noting(erm.createThreadDeathRequest());
        }
        boolean handlerMode = "handler".equals(cfg.string(Attribute.STOP_AT)) && (cfg.launch || agentInAttachedJvm(cfg));
        if (!cfg.launch) loadedBefore.run();
        wiring.connected(vm, cfg, process, classPath, handlerMode, loaded(loadedBefore));
        if (configurationDone) AfterResponse.run(this::resumeAll);
    }

    private static List<ReferenceType> loaded(FutureTask<List<ReferenceType>> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new UserError(ErrorId.LAUNCH_FAILED, "Interrupted while connecting to the JVM.");
        }
    }

    /**
     * Whether the attached JVM has the agent (so escapes stop through its hook): started with
     * -javaagent, or loaded now through the attach API when the JVM runs on this machine. Else
     * the throw-site detector finds escapes, and the user reads why.
     */
    private boolean agentInAttachedJvm(Config cfg) {
        String wanted = WrapPolicy.encode(cfg.list(Attribute.WRAP), cfg.list(Attribute.NO_WRAP));
        List<ReferenceType> agent = vm.classesByName(WrapRules.AGENT);
        if (!agent.isEmpty()) {
            String had = WrapRules.agentArguments(agent.get(0));
            if (had != null && !had.equals(wanted)) {
                events.output("console", "hotrestart: the hotrestart agent in this JVM was loaded with other wrap patterns ("
                        + (had.equals(WrapPolicy.encode(List.of(), List.of())) ? "none" : had) + "); those stay in force, this session's 'wrap' and "
                        + "'noWrap' apply only where the agent wraps too. Restart the JVM to change them.\n");
            }
            return true;
        }
        String failure = attachTarget.found() ? AgentAttach.load(attachTarget, wanted, cfg.integer(Attribute.TIMEOUT))
                : attachTarget.failure();
        if (failure == null) {
            events.output("console", "hotrestart: loaded the hotrestart agent into process " + attachTarget.pid() + " to watch wrapped methods. "
                    + "Methods running at this moment keep their old code until they return. (Java 21 and newer print a "
                    + "warning about it; -XX:+EnableDynamicAgentLoading silences it.)\n");
            return true;
        }
        events.output("console", "hotrestart: this JVM runs without the hotrestart agent, and it could not be loaded now: "
                + failure + ". Escaping exceptions are found at the throw site instead (programs that throw many "
                + "exceptions run slower). Start the JVM with -javaagent:hotrestart-agent.jar (`hotrestart --write-agent "
                + "FILE` writes it) for the cheap way.\n");
        return false;
    }

    public void configurationDone() {
        configurationDone = true;
        if (vm != null) AfterResponse.run(this::resumeAll);
    }

    private void resumeAll() {
        synchronized (lock) {
            try {
                if (vm != null && startedSuspended) vm.resume();
                startedSuspended = false;
            } catch (VMDisconnectedException ignored) {
                // already gone
            }
        }
    }

    public void disconnect(DisconnectArguments args) {
        boolean kill = args == null || args.getTerminateDebuggee() == null ? config == null || config.launch : args.getTerminateDebuggee();
        end(kill);
    }

    public void terminate() {
        end(true);
    }

    /** The client went away: a launched program ends with it, an attached one runs on. */
    public void connectionClosed() {
        end(config == null || config.launch);
    }

    private void end(boolean kill) {
        wiring.ending();
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

    /** The JVM is gone (it exited, was killed, or we let go of it): the client hears how it ended. */
    void disconnected() {
        synchronized (lock) {
            if (ended) return;
            ended = true;
        }
        if (process != null) {
            int code = process.awaitExit(5000);
            String note = process.endNote(code);
            if (note != null) events.output("console", note);
            events.exited(code);
        }
        events.terminated();
    }
}
