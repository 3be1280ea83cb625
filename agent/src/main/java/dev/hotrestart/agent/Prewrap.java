package dev.hotrestart.agent;

/**
 * The handler put around a class's wrapped methods by the debugger, before it redefines the class:
 * its JVM has run this code thousands of times, where the program's would read and write a class of
 * a thousand methods in its interpreter at each reload. The class then carries an invisible
 * annotation, {@link #MARK}, and the agent leaves it as it is. Only for a JVM whose agent wraps:
 * its hook is what the handler calls.
 */
public final class Prewrap {
    static final String MARK = "Ldev/hotrestart/agent/Prewrapped;";
    /**
     * The handler's version (how it calls {@link Hook}): the debugger wraps only for an agent of
     * the same one. Raise it with any change of the handler's code or of the hook it calls.
     */
    public static final int HANDLER = 1;
    private static final byte[] MARK_BYTES = MARK.substring(1, MARK.length() - 1).getBytes();

    private Prewrap() {}

    /** The class file with the handler around each method the policy wraps, and the mark; null when it wraps none. */
    public static byte[] wrap(byte[] bytes, String className, boolean packageWrapped, WrapPolicy policy) {
        if (WrapPolicy.neverWrapped(className)) return null;
        return HandlerWriter.rewrite(bytes, className, packageWrapped, policy, true);
    }

    /** Whether a class file was wrapped by {@link #wrap}. */
    static boolean marked(byte[] bytes) {
        return WrapTransformer.contains(bytes, MARK_BYTES);
    }
}
