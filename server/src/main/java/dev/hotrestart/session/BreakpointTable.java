package dev.hotrestart.session;

import com.sun.jdi.Location;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.request.EventRequest;
import dev.hotrestart.eval.BreakpointRule;
import org.eclipse.lsp4j.debug.Breakpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Every breakpoint the client has set, of every kind, by id: one numbering for line, function and
 * data breakpoints (a stop's hitBreakpointIds and the breakpoint events name them all alike), the
 * way from a JVM request back to its breakpoint, the one place a change is told to the client, and
 * the one path by which each kind hears of the JVM, a class loading, and a reload.
 */
final class BreakpointTable {
    /** A kind of breakpoint (lines, functions, fields): what it does when the JVM connects, a class loads, a reload redefines classes. */
    interface Kind {
        /** {@code conditionCheck}: why a rule cannot work at a location (it does not type-check there), or null. */
        void attach(VirtualMachine vm, BiFunction<BreakpointRule, Location, String> conditionCheck);

        /** A class was prepared (its loading thread may wait for this, so the breakpoints are in before it runs). */
        void classPrepared(ReferenceType type);

        /** A reload redefined these classes: the JVM dropped their breakpoint requests. */
        void redefined(Set<ReferenceType> types);
    }

    private final List<Kind> kinds = new ArrayList<>();
    /** The compiled conditions of line and function breakpoints (set by the session). */
    CompiledConditions conditions;
    /** Whether a line breakpoint is set at a line of a file (by source key), and what to do when a file's line breakpoints were set. */
    java.util.function.BiPredicate<String, Integer> lineBreakpointAt = (key, line) -> false;
    java.util.function.Consumer<String> lineBreakpointsSet = key -> { };
    /** The same for function breakpoints: whether one stops at a line of a file, and what to do when their stops may have changed. */
    java.util.function.BiPredicate<String, Integer> functionBreakpointAt = (key, line) -> false;
    Runnable functionBreakpointsSet = () -> { };
    private final Map<Integer, ClientBreakpoint> byId = new HashMap<>();
    private final Consumer<Breakpoint> changed;
    private int nextId = 1;

    BreakpointTable(Consumer<Breakpoint> changed) {
        this.changed = changed;
    }

    void add(Kind kind) {
        kinds.add(kind);
    }

    void attach(VirtualMachine vm, BiFunction<BreakpointRule, Location, String> conditionCheck) {
        for (Kind k : kinds) k.attach(vm, conditionCheck);
    }

    void classPrepared(ReferenceType type) {
        for (Kind k : kinds) k.classPrepared(type);
    }

    /** The reload's callback (see {@code reload/ClassSwapper}): every kind sets its breakpoints in these classes again. */
    void redefined(Set<ReferenceType> types) {
        for (Kind k : kinds) k.redefined(types);
    }

    synchronized int nextId() {
        return nextId++;
    }

    synchronized <B extends ClientBreakpoint> B add(B b) {
        byId.put(b.id, b);
        return b;
    }

    synchronized void remove(ClientBreakpoint b) {
        byId.remove(b.id);
        told.remove(b.id);
    }

    /** The breakpoint a request of the JVM stands for, or null (a request of the adapter's own). */
    synchronized ClientBreakpoint byRequest(EventRequest r) {
        return r.getProperty(ClientBreakpoint.BP_ID) instanceof Integer id ? byId.get(id) : null;
    }

    /** Tells the client the breakpoint's state now (a {@code breakpoint} event, reason "changed"). */
    void changed(ClientBreakpoint b) {
        Breakpoint now = b.toDap();
        // several parts may tell of one change (a class load, then the swap it caused): the client hears it once
        if (now.equals(told.put(b.id, now))) return;
        changed.accept(now);
    }

    /** What the client was last told of each breakpoint by a {@code breakpoint} event. */
    private final Map<Integer, Breakpoint> told = new HashMap<>();

    /** The breakpoint's condition does not work where it was hit: the client is told on the breakpoint. */
    void unverify(ClientBreakpoint b, String message) {
        if (!b.verified && message.equals(b.message)) return;
        b.verified = false;
        b.pending = false;
        b.message = message;
        changed(b);
    }
}
