package dev.hotrestart.agent;

/**
 * Called by the handler the agent adds to each wrapped method, with the exception that is
 * leaving it; the handler rethrows it afterwards. The debugger keeps a breakpoint here, so a
 * stop costs one event and nothing is paid while exceptions are caught inside. See
 * {@link HookPlacement} for how every wrapped class gets to see it.
 */
public final class Hook {
    private Hook() {}

    public static void escaped(Throwable exception) {
        // the debugger stops here; the wrapped method's frame is the caller
    }
}
