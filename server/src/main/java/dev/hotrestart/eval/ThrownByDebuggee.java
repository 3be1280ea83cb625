package dev.hotrestart.eval;

import com.sun.jdi.ObjectReference;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

/**
 * The program itself threw while computing the expression: a method called by it, or an
 * operation the JVM would have failed (a null receiver, an index out of bounds). The exception
 * object is kept when the debuggee made one.
 */
public class ThrownByDebuggee extends UserError {
    public final ObjectReference exception;

    public ThrownByDebuggee(String message, ObjectReference exception) {
        super(ErrorId.THROWN_BY_PROGRAM, message);
        this.exception = exception;
    }
}
