package dev.hotrestart.base;

/**
 * The ids of the adapter's error responses, sent as {@code body.error.id}: clients match these,
 * never the message text, which is written for people and may change. An id, once given, keeps
 * its meaning; new ones are added at the end of their group. The VS Code extension mirrors this
 * table in {@code vscode-extension/src/errorIds.ts} (a test keeps the two equal).
 */
public enum ErrorId {
    /** A bug in the adapter: the request failed, the session goes on. */
    INTERNAL(1000),
    /** The request cannot be read: not JSON, or an argument of the wrong type. */
    BAD_REQUEST(1001),
    /** A request the adapter does not implement. */
    UNSUPPORTED(1002),
    /** A request before {@code initialize}, or a second launch in one session. */
    WRONG_ORDER(1003),
    /** The Java runtime running the adapter lacks a module it needs (jdk.jdi, java.compiler). */
    ADAPTER_RUNTIME(1004),

    /** A launch or attach attribute is missing or wrong. */
    BAD_CONFIGURATION(1100),
    /** The debuggee JVM could not be started, or did not connect. */
    LAUNCH_FAILED(1101),
    /** No JDWP answer at the address given. */
    ATTACH_FAILED(1102),
    /** The debuggee has exited or was detached. */
    DEBUGGEE_GONE(1103),
    /** No 'classPaths', and the build tool (Maven) is missing or could not give the project's class path. */
    PROJECT_CLASS_PATH(1104),

    /** The thread runs: the request needs it suspended. */
    THREAD_RUNNING(1200),
    /** A thread, frame or variables reference that is no longer valid. */
    STALE_REFERENCE(1201),
    /** The thread is not stopped the way the request needs (no escaped exception, no restart target). */
    NOT_STOPPED_THERE(1202),
    /** A variable or value the request names cannot be read or set. */
    VARIABLE(1203),
    /** No source is known for the frame. */
    NO_SOURCE(1204),

    /** An expression, condition or log message that cannot be evaluated. */
    EVALUATION(1300),
    /** The program threw while evaluating an expression. */
    THROWN_BY_PROGRAM(1301),

    /** The edited file does not compile (or parse); the message lists every diagnostic as path:line:col: text. */
    COMPILE_ERROR(1400),
    /** Nothing of that file or class is loaded yet: there is nothing to reload. */
    NOTHING_TO_RELOAD(1401),
    /** The source of the class is not under 'sourcePaths', or the class has no source name. */
    SOURCE_NOT_FOUND(1402),
    /** The method to reload is gone from the edited file, or declared several times. */
    METHOD_NOT_FOUND(1403),
    /** The edit changes what the JVM cannot swap, or the JVM refused the new classes. */
    SWAP_REFUSED(1404),
    /** The frame cannot be restarted: a bottom frame, a native frame above it, or the pop failed. */
    CANNOT_RESTART(1405),
    /** The compiler could not run (no compiler in the runtime, a debuggee newer than any javac at hand). */
    COMPILER_UNAVAILABLE(1406),
    /** The edited method needs other edits of its file (an import, a new member), which a method-scope reload leaves out. */
    EDIT_NEEDS_MORE(1407),
    /** The edited file compiles, but the adapter's Java parser cannot read it. */
    PARSER_CANNOT_READ(1408);

    public final int id;

    ErrorId(int id) {
        this.id = id;
    }
}
