package dev.hotrestart.reload;

import com.sun.jdi.ClassType;
import com.sun.jdi.Method;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;

import java.util.List;

/**
 * Calls a static method in the debuggee on a thread stopped at an event, the way evaluations
 * call (events the call causes keep moving, a call that overruns is ended). A failure is a
 * RuntimeException whose message says what went wrong.
 */
public interface DebuggeeCalls {
    Value callStatic(ThreadReference thread, ClassType type, Method m, List<Value> args);
}
