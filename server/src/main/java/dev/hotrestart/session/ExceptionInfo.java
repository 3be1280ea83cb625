package dev.hotrestart.session;

import com.sun.jdi.*;
import dev.hotrestart.eval.Debuggee;
import org.eclipse.lsp4j.debug.ExceptionBreakMode;
import org.eclipse.lsp4j.debug.ExceptionDetails;
import org.eclipse.lsp4j.debug.ExceptionInfoResponse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the client shows of a thrown exception: its message, its stack trace, its causes. */
final class ExceptionInfo {
    private ExceptionInfo() {}

    /** {@code Class: message} as Throwable.toString writes it, read from fields without running code. */
    static String message(ObjectReference ex, ThreadReference unused) {
        String msg = detailMessage(ex);
        return ex.referenceType().name() + (msg == null ? "" : ": " + msg);
    }

    static String detailMessage(ObjectReference ex) {
        Field f = throwableField(ex, "detailMessage");
        Value v = f == null ? null : ex.getValue(f);
        return v instanceof StringReference s ? s.value() : null;
    }

    private static Field throwableField(ObjectReference ex, String name) {
        ReferenceType t = ex.referenceType();
        while (t instanceof ClassType ct) {
            if (ct.name().equals("java.lang.Throwable")) return ct.fieldByName(name);
            t = ct.superclass();
        }
        return null;
    }

    /** {@code debuggee} runs getStackTrace() (it may be overridden) as evaluations run their calls: under the time limit. */
    static ExceptionInfoResponse of(ObjectReference ex, ThreadReference thread, String description, ExceptionBreakMode mode, Debuggee debuggee) {
        ExceptionInfoResponse r = new ExceptionInfoResponse();
        r.setExceptionId(ex.referenceType().name());
        r.setDescription(description != null ? description : message(ex, thread));
        r.setBreakMode(mode);
        r.setDetails(details(ex, thread, new HashSet<>(), debuggee));
        return r;
    }

    private static ExceptionDetails details(ObjectReference ex, ThreadReference thread, Set<ObjectReference> seen, Debuggee debuggee) {
        seen.add(ex);
        ExceptionDetails d = new ExceptionDetails();
        String full = ex.referenceType().name();
        d.setTypeName(Variables.simple(full));
        d.setFullTypeName(full);
        d.setMessage(detailMessage(ex));
        d.setStackTrace(stackTrace(ex, thread, debuggee));
        Field causeField = throwableField(ex, "cause");
        Value cause = causeField == null ? null : ex.getValue(causeField);
        if (cause instanceof ObjectReference c && !seen.contains(c)) {
            d.setInnerException(new ExceptionDetails[]{details(c, thread, seen, debuggee)});
        }
        return d;
    }

    /** The trace as printStackTrace prints it (without causes, which are inner exceptions). */
    private static String stackTrace(ObjectReference ex, ThreadReference thread, Debuggee debuggee) {
        StringBuilder b = new StringBuilder(message(ex, thread)).append('\n');
        try {
            Value v = trace(ex, thread, debuggee);
            if (v instanceof ArrayReference arr) {
                for (Value e : arr.getValues()) {
                    if (e instanceof ObjectReference el) b.append("\tat ").append(element(el)).append('\n');
                }
            }
        } catch (Exception e) {
            b.append("\t(stack trace not available: ").append(e.getClass().getSimpleName()).append(")\n");
        }
        return b.toString();
    }

    /** The line of the trace element {@code fromBottom} elements above the bottom of the trace, or -1. */
    static int traceLine(ObjectReference ex, ThreadReference thread, int fromBottom, Debuggee debuggee) {
        try {
            Value v = trace(ex, thread, debuggee);
            if (!(v instanceof ArrayReference arr)) return -1;
            int index = arr.length() - fromBottom;
            if (index < 0 || index >= arr.length() || !(arr.getValue(index) instanceof ObjectReference el)) return -1;
            Field f = el.referenceType().fieldByName("lineNumber");
            return el.getValue(f) instanceof IntegerValue i ? i.value() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static Value trace(ObjectReference ex, ThreadReference thread, Debuggee debuggee) {
        Method m = ((ClassType) ex.referenceType()).concreteMethodByName("getStackTrace", "()[Ljava/lang/StackTraceElement;");
        return debuggee.call(thread, ex, m);
    }

    private static String element(ObjectReference el) {
        ReferenceType t = el.referenceType();
        List<Field> fs = new ArrayList<>();
        for (String n : new String[]{"declaringClass", "methodName", "fileName", "lineNumber"}) fs.add(t.fieldByName(n));
        var vals = el.getValues(fs);
        String cls = str(vals.get(fs.get(0)));
        String method = str(vals.get(fs.get(1)));
        String file = str(vals.get(fs.get(2)));
        int line = vals.get(fs.get(3)) instanceof IntegerValue i ? i.value() : -1;
        String where = line == -2 ? "Native Method" : file == null ? "Unknown Source" : line >= 0 ? file + ":" + line : file;
        return cls + "." + method + "(" + where + ")";
    }

    private static String str(Value v) {
        return v instanceof StringReference s ? s.value() : null;
    }
}
