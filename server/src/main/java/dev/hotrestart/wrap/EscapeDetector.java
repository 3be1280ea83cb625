package dev.hotrestart.wrap;

import com.sun.jdi.ClassType;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.event.ExceptionEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Decides from an exception event whether the exception escapes wrapped frames: it escapes
 * every frame above the one that catches it (all of them when nothing does). A handler the
 * compiler made for {@code finally}, {@code synchronized} or try-with-resources counts as a
 * catch; its rethrow is a second event, and that one escapes, so each escape stops once.
 */
public final class EscapeDetector {
    private final WrapRules rules;
    private final List<String> propagated;
    private final FrameMethods current;
    private final Function<ReferenceType, byte[]> classBytes;

    /** The method a frame runs as its class declares it now (frames may run replaced code). */
    public interface FrameMethods {
        Method at(ThreadReference thread, int depth, Location loc);
    }

    public record Escape(List<Integer> wrappedDepths, List<Method> wrappedMethods) {}

    /** {@code classBytes} gives the class file the JVM runs for a class, or null when it is not known. */
    public EscapeDetector(WrapRules rules, List<String> propagated, FrameMethods current, Function<ReferenceType, byte[]> classBytes) {
        this.rules = rules;
        this.propagated = propagated;
        this.current = current;
        this.classBytes = classBytes;
    }

    /** The escaped wrapped frames, innermost first, or null when none (or the type is propagated). */
    public Escape check(ExceptionEvent e) throws IncompatibleThreadStateException {
        List<StackFrame> frames = e.thread().frames();
        Location catchAt = e.catchLocation();
        int catchDepth = catchAt == null ? frames.size() : catchDepth(frames, catchAt);
        List<Integer> depths = new ArrayList<>();
        List<Method> methods = new ArrayList<>();
        for (int i = 0; i < catchDepth; i++) {
            Method m = current.at(e.thread(), i, frames.get(i).location());
            if (rules.isWrapped(m)) {
                depths.add(i);
                methods.add(m);
            }
        }
        if (depths.isEmpty() || isPropagated(e.exception().referenceType())) return null;
        return new Escape(depths, methods);
    }

    /**
     * The frame that catches: the first one running the catch location's method where the code it
     * stands at lies in a range of that handler. A recursive method may run in several frames and
     * catch its own exception one frame up; the exception table tells which frame. Without the
     * class file, the first frame running the method.
     */
    private int catchDepth(List<StackFrame> frames, Location catchAt) {
        Method m = catchAt.method();
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) if (frames.get(i).location().method().equals(m)) candidates.add(i);
        if (candidates.isEmpty()) return frames.size();
        if (candidates.size() > 1) {
            byte[] bytes = classBytes.apply(m.declaringType());
            MethodCode code = bytes == null ? null : MethodCode.of(bytes, m.name(), m.signature());
            if (code != null) {
                for (int i : candidates) {
                    if (code.caughtAt((int) frames.get(i).location().codeIndex(), (int) catchAt.codeIndex())) return i;
                }
            }
        }
        return candidates.get(0);
    }

    private static int packageLength(String binaryName) {
        int dot = binaryName.lastIndexOf('.');
        return dot < 0 ? 0 : dot + 1;
    }

    public boolean isPropagated(ReferenceType type) {
        if (propagated.isEmpty()) return false;
        for (ReferenceType t = type; t instanceof ClassType ct; t = ct.superclass()) {
            // com.acme.Parser$ParseError: also com.acme.Parser.ParseError, Parser.ParseError and ParseError
            String binary = ct.name();
            String source = binary.replace('$', '.');
            String pkgLess = source.substring(Math.min(source.length(), packageLength(binary)));
            String simple = source.substring(source.lastIndexOf('.') + 1);
            for (String p : propagated) {
                if (p.equals(binary) || p.equals(source) || p.equals(pkgLess) || p.equals(simple)) return true;
            }
        }
        return false;
    }
}
