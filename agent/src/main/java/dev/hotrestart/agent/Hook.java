package dev.hotrestart.agent;

/**
 * Called by the handler the agent adds to each wrapped method, with the exception that is
 * leaving it. The debugger keeps a breakpoint here, so a stop costs one event and nothing is
 * paid while exceptions are caught inside. See {@link HookPlacement} for how every wrapped
 * class gets to see it.
 */
public final class Hook {
    private Hook() {}

    /**
     * False: the handler rethrows the exception. The debugger makes this return true (JDI's
     * forceEarlyReturn) to have the wrapped method called again with its original arguments.
     */
    public static boolean escaped(Throwable exception) {
        // the debugger stops here; the wrapped method's frame is the caller
        return false;
    }

    /**
     * Called where a breakpoint condition the debugger compiled into a method holds (an even
     * marker) or threw (the odd one after it). The debugger keeps a breakpoint here, so the method
     * that tests the condition has none and stays compiled by the JIT.
     */
    public static void mark(int marker) {
        // the debugger stops here; the method that tested the condition is the caller
    }
}
