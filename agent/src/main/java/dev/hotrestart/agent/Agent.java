package dev.hotrestart.agent;

import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * Entry point of {@code -javaagent:hotrestart-agent.jar=wrap=...;noWrap=...}, and of the same
 * jar loaded into a running JVM through the attach API, when the debugger attaches.
 */
public final class Agent {
    /** The argument the agent was loaded with; the debugger reads it to know the wrap patterns in force. */
    static volatile String arguments;

    private static final Set<String> WARNED = Collections.synchronizedSet(new HashSet<String>());

    private Agent() {}

    /** Tells the user, on the program's stderr (the debug console), once per message. */
    static void warn(String message) {
        if (WARNED.add(message)) System.err.println("hotrestart: " + message);
    }

    public static void premain(String args, Instrumentation inst) {
        arguments = args == null ? "" : args;
        load("dev.hotrestart.agent.PageText");
        load("dev.hotrestart.agent.Links"); // the debugger hands it what a reload adds
        load("dev.hotrestart.agent.Hook"); // conditions compiled into methods call it
        load("dev.hotrestart.agent.Prewrap"); // tells the debugger this agent leaves the bytes it wrapped as they are
        inst.addTransformer(new WrapTransformer(WrapPolicy.decode(args), new HookPlacement(inst)), false);
    }

    /**
     * Loaded into a running JVM: classes loaded from now on are wrapped as at start-up, and the
     * classes already loaded are retransformed (frames already running in them keep the old code).
     */
    public static synchronized void agentmain(String args, Instrumentation inst) {
        if (arguments != null) return; // loaded already: the first load's patterns stay in force
        arguments = args == null ? "" : args;
        WrapTransformer transformer = new WrapTransformer(WrapPolicy.decode(args), new HookPlacement(inst));
        inst.addTransformer(transformer, true);
        load("dev.hotrestart.agent.Prewrap"); // from now on this agent leaves the bytes the debugger wrapped as they are
        transformer.wrapLoaded(inst);
        // the debugger breaks in the hook: have it loaded and ready before agentmain returns
        load("dev.hotrestart.agent.Hook");
        load("dev.hotrestart.agent.PageText");
        load("dev.hotrestart.agent.Links");
    }

    /** Loads and initializes one of the agent's classes, so the debugger finds it among the loaded ones. */
    private static void load(String name) {
        try {
            Class.forName(name, true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            // the agent jar is on the system class path; cannot happen
        }
    }
}
