package dev.hotrestart.session;

import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;

import java.util.List;

/**
 * Why a thread is suspended, as the adapter told the client. An escape stop also knows the
 * wrapped frames the exception leaves, innermost first, and which of them is the restart target.
 */
public final class Stop {
    public final String reason;
    public final ObjectReference exception;
    /** Depths of the escaped wrapped frames, innermost first; empty for other stops. */
    public final List<Integer> wrappedDepths;
    public final List<Method> wrappedMethods;
    public int target;
    /** How the client should present the exception: escapes are unhandled by the user's code. */
    public org.eclipse.lsp4j.debug.ExceptionBreakMode breakMode = org.eclipse.lsp4j.debug.ExceptionBreakMode.USER_UNHANDLED;
    /** Frames on top that the client does not see: the agent's hook, for handler stops. */
    public int hidden;
    /** Where the exception left the target frame, read from its stack trace (handler stops). */
    public Integer targetLine;
    /** What the method a stepOut left returned (where the JVM reports it); else null. */
    public dev.hotrestart.eval.Evaluator.Returned returned;

    public Stop(String reason, ObjectReference exception, List<Integer> wrappedDepths, List<Method> wrappedMethods) {
        this.reason = reason;
        this.exception = exception;
        this.wrappedDepths = wrappedDepths;
        this.wrappedMethods = wrappedMethods;
    }

    public static Stop plain(String reason) {
        return new Stop(reason, null, List.of(), List.of());
    }

    public boolean isEscape() {
        return !wrappedDepths.isEmpty();
    }

    public int targetDepth() {
        return wrappedDepths.get(target);
    }

    public Method targetMethod() {
        return wrappedMethods.get(target);
    }
}
