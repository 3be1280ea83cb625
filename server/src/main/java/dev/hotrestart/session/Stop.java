package dev.hotrestart.session;

import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import dev.hotrestart.eval.Returned;
import org.eclipse.lsp4j.debug.ExceptionBreakMode;

import java.util.List;

/**
 * Why a thread is suspended, as the adapter told the client; immutable, a change makes a new one.
 * An escape stop also knows the wrapped frames the exception leaves, innermost first, and which
 * of them is the restart target.
 *
 * @param wrappedDepths depths of the escaped wrapped frames, innermost first; empty for other stops
 * @param target        the index of the restart target in {@code wrappedDepths}
 * @param breakMode     how the client should present the exception: escapes are unhandled by the user's code
 * @param hidden        frames on top that the client does not see: the agent's hook, for handler stops
 * @param targetLine    where the exception left the target frame, read from its stack trace (handler stops); null until read
 * @param returned      what the method a stepOut left returned (where the JVM reports it); else null
 */
public record Stop(String reason, ObjectReference exception, List<Integer> wrappedDepths, List<Method> wrappedMethods, int target,
                   ExceptionBreakMode breakMode, int hidden, Integer targetLine, Returned returned) {

    public static Stop plain(String reason) {
        return new Stop(reason, null, List.of(), List.of(), 0, ExceptionBreakMode.USER_UNHANDLED, 0, null, null);
    }

    /** A stop in the agent's hook ({@code hidden} frames on top), shown at the frame that called it: a condition compiled into a method held there. */
    public static Stop underHook(String reason, int hidden) {
        return new Stop(reason, null, List.of(), List.of(), 0, ExceptionBreakMode.USER_UNHANDLED, hidden, 0, null);
    }

    /** An exception escaped the wrapped frames at these depths; {@code hidden}: frames of the agent's hook on top. */
    public static Stop escape(ObjectReference exception, List<Integer> wrappedDepths, List<Method> wrappedMethods, int hidden) {
        return new Stop("exception", exception, wrappedDepths, wrappedMethods, 0, ExceptionBreakMode.USER_UNHANDLED, hidden, null, null);
    }

    /** An exception breakpoint (caught or uncaught) stopped the thread. */
    public static Stop exceptionBreakpoint(ObjectReference exception, boolean uncaught) {
        return new Stop("exception", exception, List.of(), List.of(), 0,
                uncaught ? ExceptionBreakMode.UNHANDLED : ExceptionBreakMode.ALWAYS, 0, null, null);
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

    /** The next wrapped frame further out becomes the restart target. */
    public Stop outward() {
        return new Stop(reason, exception, wrappedDepths, wrappedMethods, target + 1, breakMode, hidden, null, returned);
    }

    public Stop withTargetLine(int line) {
        return new Stop(reason, exception, wrappedDepths, wrappedMethods, target, breakMode, hidden, line, returned);
    }

    public Stop withReturned(Returned value) {
        return new Stop(reason, exception, wrappedDepths, wrappedMethods, target, breakMode, hidden, targetLine, value);
    }
}
