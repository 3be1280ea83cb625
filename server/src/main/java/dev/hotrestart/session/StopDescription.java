package dev.hotrestart.session;

import com.sun.jdi.Method;
import dev.hotrestart.base.MethodLabel;

/**
 * The {@code stopped} event's {@code description}. VS Code shows it as the thread's badge, in
 * place of the thread's name, so it is short: at most {@value #MAX} characters. The whole
 * sentence goes where there is room: {@code exceptionInfo}, the debug console.
 */
final class StopDescription {
    static final int MAX = 40;
    static final String CONDITION_FAILED = "Condition cannot be evaluated";

    private StopDescription() {}

    /** {@code Escaped Ledger.unitPrice}; a long one drops the type, then is cut. */
    static String escape(Method m) {
        String type = MethodLabel.simple(m.declaringType().name()).replace('$', '.');
        String full = "Escaped " + type + "." + m.name();
        return full.length() <= MAX ? full : fit("Escaped " + m.name());
    }

    /** {@code Caught IllegalArgumentException} or {@code Uncaught ...}: which filter stopped, and on what. */
    static String exceptionBreakpoint(String exceptionType, boolean uncaught) {
        return fit((uncaught ? "Uncaught " : "Caught ") + MethodLabel.simple(exceptionType).replace('$', '.'));
    }

    /** A breakpoint condition threw; {@code exceptionType} may be null (the program made no exception object). */
    static String conditionThrew(String exceptionType) {
        return exceptionType == null ? "Condition threw an exception"
                : fit("Condition threw " + MethodLabel.simple(exceptionType).replace('$', '.'));
    }

    /** The text, cut to {@value #MAX} characters with an ellipsis when longer. */
    static String fit(String text) {
        return text.length() <= MAX ? text : text.substring(0, MAX - 1) + "…";
    }
}
