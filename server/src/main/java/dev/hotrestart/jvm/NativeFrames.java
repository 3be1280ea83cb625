package dev.hotrestart.jvm;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Method;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;

import java.util.List;

/** Native frames, which the JVM cannot pop: a frame at or below the first one cannot be restarted. */
public final class NativeFrames {
    private NativeFrames() {}

    /** The index of the first native frame in the list, or its size. */
    public static int first(List<StackFrame> frames) {
        Method last = null;
        for (int i = 0; i < frames.size(); i++) {
            Method m = frames.get(i).location().method();
            if (m != last && m.isNative()) return i; // a recursion names one method many times: asked once
            last = m;
        }
        return frames.size();
    }

    /** The shallowest native frame's depth in the thread's stack, or {@code total} (its height). */
    public static int firstDepth(ThreadReference t, int total) throws IncompatibleThreadStateException {
        List<StackFrame> all = t.frames();
        int i = first(all);
        return i < all.size() ? i : total;
    }
}
