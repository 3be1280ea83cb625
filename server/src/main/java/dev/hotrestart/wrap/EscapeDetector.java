package dev.hotrestart.wrap;

import com.sun.jdi.ClassType;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.event.ExceptionEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides from an exception event whether the exception escapes wrapped frames: it escapes
 * every frame above the one that catches it (all of them when nothing does). A handler the
 * compiler made for {@code finally}, {@code synchronized} or try-with-resources counts as a
 * catch; its rethrow is a second event, and that one escapes, so each escape stops once.
 */
public final class EscapeDetector {
    private final WrapRules rules;
    private final List<String> propagated;

    public record Escape(List<Integer> wrappedDepths, List<Method> wrappedMethods) {}

    public EscapeDetector(WrapRules rules, List<String> propagated) {
        this.rules = rules;
        this.propagated = propagated;
    }

    /** The escaped wrapped frames, innermost first, or null when none (or the type is propagated). */
    public Escape check(ExceptionEvent e) throws IncompatibleThreadStateException {
        List<StackFrame> frames = e.thread().frames();
        Location catchAt = e.catchLocation();
        int catchDepth = frames.size();
        if (catchAt != null) {
            for (int i = 0; i < frames.size(); i++) {
                if (frames.get(i).location().method().equals(catchAt.method())) {
                    catchDepth = i;
                    break;
                }
            }
        }
        List<Integer> depths = new ArrayList<>();
        List<Method> methods = new ArrayList<>();
        for (int i = 0; i < catchDepth; i++) {
            Method m = frames.get(i).location().method();
            if (rules.isWrapped(m)) {
                depths.add(i);
                methods.add(m);
            }
        }
        if (depths.isEmpty() || isPropagated(e.exception().referenceType())) return null;
        return new Escape(depths, methods);
    }

    public boolean isPropagated(ReferenceType type) {
        if (propagated.isEmpty()) return false;
        for (ReferenceType t = type; t instanceof ClassType ct; t = ct.superclass()) {
            String name = ct.name();
            String simple = name.substring(name.lastIndexOf('.') + 1);
            for (String p : propagated) if (p.equals(name) || p.equals(simple)) return true;
        }
        return false;
    }
}
