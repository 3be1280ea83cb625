package dev.hotrestart.agent;

import java.lang.instrument.Instrumentation;

/** Entry point of {@code -javaagent:hotrestart-agent.jar=wrap=...;noWrap=...}. */
public final class Agent {
    private Agent() {}

    public static void premain(String args, Instrumentation inst) {
        install(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        install(args, inst);
    }

    private static void install(String args, Instrumentation inst) {
        inst.addTransformer(new WrapTransformer(WrapPolicy.decode(args), new HookPlacement(inst)), false);
    }
}
