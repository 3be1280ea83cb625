package dev.hotrestart.eval;

import com.sun.jdi.Method;
import com.sun.jdi.Value;

/** The value a method returned to the frame a stepOut ended in. */
public record Returned(Method method, Value value) {}
