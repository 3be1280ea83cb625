package dev.hotrestart.agent;

/**
 * The handler put around a class's wrapped methods by the debugger, before it redefines the class:
 * its JVM has run this code thousands of times, where the program's would read and write a class of
 * a thousand methods in its interpreter at each reload. The class file then ends with a mark, an
 * attribute the JVM ignores ({@link Mark}), and the agent leaves it as it is. Only for a JVM whose
 * agent wraps: its hook is what the handler calls.
 */
public final class Prewrap {
    /**
     * The handler's version (how it calls {@link Hook}) and the mark's: the debugger wraps only for
     * an agent of the same one. Raise it with any change of the handler's code, of the hook it
     * calls, or of the mark.
     */
    public static final int HANDLER = 2;
    /** The mark's content, the last bytes of a class file the debugger wrapped. */
    private static final byte[] MARK = ("dev.hotrestart prewrapped " + HANDLER).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    /**
     * The mark: a class attribute of its own name, which the JVM skips. Given to the class writer
     * before any other attribute it writes last, so the agent finds it in the file's last bytes
     * without reading the class (a class of a thousand methods is over 100 KB).
     */
    static final class Mark extends org.objectweb.asm.Attribute {
        Mark() {
            super("dev.hotrestart.Prewrapped");
        }

        @Override
        protected org.objectweb.asm.ByteVector write(org.objectweb.asm.ClassWriter writer, byte[] code, int codeLength, int maxStack,
                                                     int maxLocals) {
            return new org.objectweb.asm.ByteVector(MARK.length).putByteArray(MARK, 0, MARK.length);
        }
    }

    private Prewrap() {}

    /** The class file with the handler around each method the policy wraps, and the mark; null when it wraps none. */
    public static byte[] wrap(byte[] bytes, String className, boolean packageWrapped, WrapPolicy policy) {
        if (WrapPolicy.neverWrapped(className)) return null;
        return HandlerWriter.rewrite(bytes, className, packageWrapped, policy, true);
    }

    /**
     * Whether a class file was wrapped by {@link #wrap}: it ends with the mark, as written, or (a
     * transformer of another agent added an attribute after it) holds it elsewhere.
     */
    static boolean marked(byte[] bytes) {
        return endsWithMark(bytes) || WrapTransformer.contains(bytes, MARK);
    }

    /** Whether the class file's last bytes are the mark: the class as the debugger wrapped it. */
    static boolean endsWithMark(byte[] bytes) {
        if (bytes.length < MARK.length + 6) return false;
        // the attribute's length (four bytes), then its content
        int at = bytes.length - MARK.length;
        if (bytes[at - 4] != 0 || bytes[at - 3] != 0 || bytes[at - 2] != 0 || bytes[at - 1] != MARK.length) return false;
        for (int i = 0; i < MARK.length; i++) if (bytes[at + i] != MARK[i]) return false;
        return true;
    }
}
