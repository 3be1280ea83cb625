package dev.hotrestart.session;

import dev.hotrestart.base.BinaryNames;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import dev.hotrestart.base.MethodLabel;
import dev.hotrestart.base.UserError;
import dev.hotrestart.eval.BreakpointRule;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.FunctionBreakpoint;
import org.eclipse.lsp4j.debug.SetFunctionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetFunctionBreakpointsResponse;
import org.eclipse.lsp4j.debug.Source;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * setFunctionBreakpoints: stops at the entry of the methods a name like {@code Class#method} or
 * {@code Class#method(int, String)} names ({@link FunctionName}). Each is a breakpoint request at
 * the method's first instruction, not a method entry request: that would cost an event (a round
 * trip) for every method entered in the class, this costs nothing until the method runs. A class
 * not loaded yet is waited for; a reload that redefines it sets the requests again.
 */
public final class FunctionBreakpoints implements BreakpointTable.Kind {
    /** One function breakpoint: the methods it names, in the classes that load by that name. */
    static final class EntryBreakpoint extends ClientBreakpoint {
        final FunctionName name;
        /** The class a name that is not the whole class name found first: later loads must be that class. */
        String boundClass;
        ClassPrepareRequest prepare;
        /** The first method it stops in, for the client: its source and line. */
        Source source;
        Integer line;

        EntryBreakpoint(int id, FunctionName name, Object rule) {
            super(id, rule);
            this.name = name;
        }

        @Override
        String reason() {
            return "function breakpoint";
        }

        @Override
        Breakpoint toDap() {
            Breakpoint bp = dap();
            if (verified) {
                bp.setSource(source);
                bp.setLine(line);
            }
            return bp;
        }

        @Override
        EventRequest renew(EventRequestManager erm, EventRequest spent) {
            return tag(erm.createBreakpointRequest(((BreakpointRequest) spent).location()));
        }

        /** The method it stopped in, as a Java developer reads it. */
        @Override
        Said said(LocatableEvent e) {
            return new Said(MethodLabel.of(e.location().method()), null);
        }

        /** Whether a class is the one this breakpoint's name stands for. */
        boolean isFor(ReferenceType t) {
            return boundClass != null ? t.name().equals(boundClass) : BinaryNames.names(name.className(), t.name());
        }
    }

    private final BreakpointTable table;
    private final Function<Location, Source> sourceOf;
    private final List<EntryBreakpoint> list = new ArrayList<>();
    private VirtualMachine vm;
    private BiFunction<BreakpointRule, Location, String> conditionCheck = (r, l) -> null;

    FunctionBreakpoints(BreakpointTable table, Function<Location, Source> sourceOf) {
        this.table = table;
        this.sourceOf = sourceOf;
    }

    /** Replaces every function breakpoint with the ones the client sent. */
    public SetFunctionBreakpointsResponse setFunctionBreakpoints(SetFunctionBreakpointsArguments args) {
        for (EntryBreakpoint b : list) {
            table.remove(b);
            if (vm == null) continue;
            b.clear(vm.eventRequestManager());
            if (b.prepare != null) vm.eventRequestManager().deleteEventRequest(b.prepare);
        }
        list.clear();
        FunctionBreakpoint[] sent = args.getBreakpoints() == null ? new FunctionBreakpoint[0] : args.getBreakpoints();
        Breakpoint[] out = new Breakpoint[sent.length];
        for (int i = 0; i < sent.length; i++) {
            FunctionName name = null;
            Object rule;
            try {
                name = FunctionName.parse(sent[i].getName());
                rule = BreakpointRule.parse(sent[i].getCondition(), sent[i].getHitCondition(), null);
            } catch (IllegalArgumentException | UserError e) {
                rule = e.getMessage(); // refused: reported on the breakpoint
            }
            EntryBreakpoint b = table.add(new EntryBreakpoint(table.nextId(), name, rule));
            list.add(b);
            if (b.refused != null) failed(b, b.refused);
            else if (vm != null) resolve(b);
            else waiting(b, "It is set when the program starts.");
            out[i] = b.toDap();
        }
        SetFunctionBreakpointsResponse r = new SetFunctionBreakpointsResponse();
        r.setBreakpoints(out);
        return r;
    }

    @Override
    public void attach(VirtualMachine vm, BiFunction<BreakpointRule, Location, String> conditionCheck) {
        this.vm = vm;
        this.conditionCheck = conditionCheck;
        for (EntryBreakpoint b : list) {
            if (b.refused != null) continue;
            resolve(b);
            table.changed(b); // an attached JVM has its classes loaded: the client learns now, not at a class load
        }
    }

    /** Sets the breakpoint in the loaded classes its name names, or waits for one to load. */
    private void resolve(EntryBreakpoint b) {
        if (b.refused != null) {
            failed(b, b.refused);
            return;
        }
        ClassNames.Found found = ClassNames.loaded(vm, b.name.className());
        if (found.problem() != null) {
            failed(b, found.problem());
            return;
        }
        if (b.prepare == null) b.prepare = ClassNames.awaitLoading(vm.eventRequestManager(), b.name.className());
        if (found.types().isEmpty()) {
            waiting(b, "No class " + b.name.className() + " is loaded yet; the breakpoint is set when it loads.");
            return;
        }
        String problem = null;
        for (ReferenceType t : found.types()) {
            b.boundClass = t.name();
            String p = addRequests(b, t);
            if (problem == null) problem = p;
        }
        settle(b, problem);
    }

    /** After requests were added: verified when there is one; else the problem found, for the client. */
    private static void settle(EntryBreakpoint b, String problem) {
        b.arm();
        b.verified = !b.requests.isEmpty();
        b.pending = false;
        b.message = b.verified ? null : problem;
    }

    private static void failed(EntryBreakpoint b, String message) {
        b.verified = false;
        b.pending = false;
        b.message = message;
    }

    private static void waiting(EntryBreakpoint b, String message) {
        b.verified = false;
        b.pending = true;
        b.message = message;
    }

    /**
     * Adds a request at the entry of each method of the class the name names; null when at
     * least one is set, else why none is, for the client.
     */
    private String addRequests(EntryBreakpoint b, ReferenceType type) {
        List<Method> named = new ArrayList<>();
        for (Method m : type.methods()) if (!m.isBridge() && b.name.names(m)) named.add(m);
        if (named.isEmpty()) return noSuchMethod(b.name, type);
        String problem = null;
        int set = 0;
        for (Method m : named) {
            Location loc = m.location();
            if (m.isAbstract() || m.isNative() || loc == null) {
                problem = MethodLabel.of(m) + " is " + (m.isNative() ? "native" : "abstract")
                        + ": it has no Java code to stop in." + (m.isAbstract() ? " Set the breakpoint on an implementation." : "");
                continue;
            }
            String conditionProblem = b.rule == null ? null : conditionCheck.apply(b.rule, loc);
            if (conditionProblem != null) {
                problem = conditionProblem;
                continue;
            }
            set++;
            if (b.source == null) {
                b.source = sourceOf.apply(loc);
                b.line = loc.lineNumber() > 0 ? loc.lineNumber() : null;
            }
            boolean exists = false;
            for (EventRequest r : b.requests) exists |= ((BreakpointRequest) r).location().equals(loc);
            if (!exists) b.requests.add(b.tag(vm.eventRequestManager().createBreakpointRequest(loc))); // enabled by arm()
        }
        return set > 0 ? null : problem;
    }

    /** Why no method of the class fits the name: what it has by that name, or where the method is declared. */
    private static String noSuchMethod(FunctionName name, ReferenceType type) {
        String cls = MethodLabel.simple(type.name()).replace('$', '.');
        Set<String> overloads = new TreeSet<>();
        for (Method m : type.methods()) {
            if (!m.isBridge() && new FunctionName(name.className(), name.method(), null).names(m)) overloads.add(MethodLabel.of(m));
        }
        if (!overloads.isEmpty()) {
            return cls + " has no " + name.method() + " with parameters (" + String.join(", ", name.params()) + "); it has "
                    + String.join(", ", overloads) + ".";
        }
        for (Method m : type.allMethods()) {
            if (m.name().equals(name.method()) && !m.declaringType().equals(type)) {
                String owner = m.declaringType().name().replace('$', '.');
                return cls + " does not declare " + name.method() + ": it inherits it from " + owner + ". Write "
                        + owner + "#" + name.method() + " (it stops for every class that runs that code).";
            }
        }
        return cls + " has no method " + name.method() + ".";
    }

    @Override
    public void classPrepared(ReferenceType type) {
        if (vm == null) return;
        for (EntryBreakpoint b : list) {
            // a refused name, or one that found no method it can stop in, finds none in another loader's copy either
            if ((!b.verified && !b.pending) || !b.isFor(type)) continue;
            boolean was = b.verified;
            String told = b.message;
            b.boundClass = type.name();
            String problem = addRequests(b, type);
            if (was) {
                b.arm();
                continue;
            }
            settle(b, problem);
            if (b.verified || !Objects.equals(told, b.message)) table.changed(b);
        }
    }

    @Override
    public void redefined(Set<ReferenceType> types) {
        EventRequestManager erm = vm.eventRequestManager();
        for (EntryBreakpoint b : list) {
            if (b.refused != null) continue;
            // JDI deleted the requests in the redefined classes; the methods may have moved
            b.requests.removeIf(r -> types.contains(((BreakpointRequest) r).location().declaringType())
                    || !erm.breakpointRequests().contains(r));
            String problem = null;
            boolean any = false;
            for (ReferenceType t : types) {
                if (!b.isFor(t)) continue;
                any = true;
                String p = addRequests(b, t);
                if (problem == null) problem = p;
            }
            if (!any) continue;
            boolean was = b.verified;
            settle(b, problem);
            if (was != b.verified) table.changed(b);
        }
    }
}
