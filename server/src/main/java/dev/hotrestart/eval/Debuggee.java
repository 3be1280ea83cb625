package dev.hotrestart.eval;

import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What evaluation knows of one debuggee across stops: its type names (with the imports of
 * the source files read so far), its conversions and the method caller with its time limit.
 */
public final class Debuggee {
    final VirtualMachine vm;
    final Conversions conv;
    final TypeNames types;
    final Invoker invoker;

    /** {@code sourceOf} finds the source file of a class (for its imports), or returns null. */
    public Debuggee(VirtualMachine vm, long timeoutMs, Function<ReferenceType, Path> sourceOf) {
        this.vm = vm;
        this.conv = new Conversions(vm);
        this.types = new TypeNames(vm, sourceOf);
        this.invoker = new Invoker(vm, conv, timeoutMs);
    }

    /**
     * Calls a method with no arguments for the adapter's own views (a collection's size() in the
     * Variables view, an exception's getStackTrace()): single-threaded, under the evaluation time
     * limit, and passing the breakpoints it meets, as evaluations do.
     */
    public Value call(ThreadReference thread, ObjectReference receiver, Method m) {
        return invoker.invoke(thread, receiver, m, List.of(), false);
    }

    /** Calls a static method for the adapter (a reload defining a class), as evaluations call. */
    public Value callStatic(ThreadReference thread, com.sun.jdi.ClassType type, Method m, List<Value> args) {
        return invoker.invokeStatic(thread, type, m, args);
    }

    /** True while the thread runs a method for an evaluation. */
    public boolean isCalling(ThreadReference t) {
        return invoker.calling.contains(t);
    }

    /** The thread stopped for an event (a call made now runs inside the JDWP agent's handling of it). */
    public void eventOn(ThreadReference t) {
        invoker.eventOn(t);
    }

    public boolean anyCalls() {
        return !invoker.calling.isEmpty();
    }

    /** How evaluations wait for their calls (the event loop's way, so events keep moving). */
    public void waitForCallsWith(CallWaiter w) {
        invoker.waitWith(w);
    }
}
