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
}
