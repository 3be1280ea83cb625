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
import dev.hotrestart.base.SourceLocator;
import dev.hotrestart.eval.BreakpointRule;
import dev.hotrestart.reload.ConditionSites;
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
        /** The methods it names ("Class#name(signature)"): its condition is compiled in only where that is one. */
        final Set<String> named = new java.util.HashSet<>();
        /** The first of them: its class, file, first line of code, and "Class.Nested#name" (null: not a named class's method). */
        ReferenceType siteType;
        String siteKey;
        int siteLine = -1;
        String siteMethod;
        /** The marker of its compiled condition (-1: none); the site its condition is compiled into, while one is wanted. */
        int marker = -1;
        ConditionSites.Site site;
        /** Why its condition is not compiled in, when that is not the compile's or the line's doing. */
        String why;

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
        Said said(LocatableEvent e, Location at) {
            return new Said(MethodLabel.of(at.method()), null);
        }

        @Override
        int marker() {
            return marker;
        }

        @Override
        ConditionSites.Site site() {
            return site;
        }

        @Override
        String siteKey() {
            return siteKey;
        }

        /** The condition to compile into the method, or null. */
        String condition() {
            return refused == null && rule != null ? rule.conditionText() : null;
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
            if (table.conditions != null) table.conditions.freeMarker(b.marker);
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
            if (b.condition() != null && table.conditions != null) b.marker = table.conditions.takeMarker();
            if (b.refused != null) failed(b, b.refused);
            else if (vm != null) resolve(b);
            else waiting(b, "It is set when the program starts.");
        }
        compileConditions();
        table.functionBreakpointsSet.run();
        for (int i = 0; i < sent.length; i++) out[i] = list.get(i).toDap();
        SetFunctionBreakpointsResponse r = new SetFunctionBreakpointsResponse();
        r.setBreakpoints(out);
        return r;
    }

    @Override
    public void attach(VirtualMachine vm, BiFunction<BreakpointRule, Location, String> conditionCheck) {
        this.vm = vm;
        this.conditionCheck = conditionCheck;
        for (EntryBreakpoint b : list) if (b.refused == null) resolve(b);
        compileConditions();
        table.functionBreakpointsSet.run();
        // an attached JVM has its classes loaded: the client learns now, not at a class load
        for (EntryBreakpoint b : list) if (b.refused == null) table.changed(b);
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
            b.named.add(type.name() + "#" + m.name() + m.signature());
            if (b.siteType == null && loc != null) {
                b.siteType = type;
                b.siteKey = SourceLocator.keyOf(type);
                b.siteLine = loc.lineNumber();
                b.siteMethod = entryName(type, m);
            }
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
            if (b.site != null && type.equals(b.siteType) && table.conditions.carries(b.siteKey, b.site)
                    && table.conditions.addRequests(b, b.marker, m, loc, vm)) continue;
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
        boolean compile = false;
        java.util.Map<EntryBreakpoint, String> told = new java.util.HashMap<>();
        for (EntryBreakpoint b : list) {
            // a refused name, or one that found no method it can stop in, finds none in another loader's copy either
            if ((!b.verified && !b.pending) || !b.isFor(type)) continue;
            boolean was = b.verified;
            told.put(b, state(b));
            b.boundClass = type.name();
            String problem = addRequests(b, type);
            if (was) b.arm();
            else settle(b, problem);
            // a swap for a line breakpoint's condition in the same class may have verified it already: its condition goes in now
            if (b.verified && b.condition() != null) compile = true;
        }
        if (compile) {
            compileConditions();
            table.functionBreakpointsSet.run();
        }
        told.forEach((b, was) -> {
            if (!was.equals(state(b))) table.changed(b);
        });
    }

    /** What the client knows of a breakpoint: verified or not, and its message. */
    private static String state(EntryBreakpoint b) {
        return b.verified + ":" + b.pending + ":" + b.message;
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
                // the methods may have moved or gone: the site is found again in the new code
                b.named.removeIf(n -> n.startsWith(t.name() + "#"));
                if (t.equals(b.siteType)) b.siteType = null;
                String p = addRequests(b, t);
                if (problem == null) problem = p;
            }
            if (!any) continue;
            if (b.site != null && (b.siteType == null || b.siteLine != b.site.line() || b.named.size() != 1)) {
                // the reload moved the method: its test was not put where the method now starts
                b.site = null;
                b.why = "its method moved in a reload; set the function breakpoints again (as an editor does when one changes) "
                        + "to compile it in where the method starts now";
                wantEntriesOf(b.siteKey);
            }
            boolean was = b.verified;
            String told = b.message;
            settle(b, problem);
            if (b.verified) b.message = conditionNote(b);
            if (was != b.verified || !Objects.equals(told, b.message)) table.changed(b);
        }
    }

    /** "Shop.Basket#add" for a method of a named class; null for a constructor, an initializer, or a method of an anonymous or local class. */
    static String entryName(ReferenceType type, Method m) {
        if (m.isConstructor() || m.isStaticInitializer()) return null;
        String name = type.name().substring(type.name().lastIndexOf('.') + 1);
        for (String part : name.split("\\$")) if (part.isEmpty() || Character.isDigit(part.charAt(0))) return null;
        return name.replace('$', '.') + "#" + m.name();
    }

    /** Whether a verified function breakpoint stops at a line of the file (by source key). */
    boolean hasBreakpointAt(String key, int line) {
        for (EntryBreakpoint b : list) {
            if (!b.verified) continue;
            if (b.site != null && key.equals(b.siteKey) && b.site.line() == line) return true;
            for (EventRequest r : b.requests) {
                Location at = ((BreakpointRequest) r).location();
                if (at.lineNumber() == line && key.equals(SourceLocator.keyOf(at.declaringType()))) return true;
            }
        }
        return false;
    }

    /** A file's line breakpoints were set: a function breakpoint's condition goes in, or out, where one shares its line. */
    void lineBreakpointsSet(String key) {
        if (vm != null && entryFiles.containsKey(key)) compileConditions();
    }

    /** Tells the compiled conditions which sites of the file the breakpoints want now, without compiling. */
    private void wantEntriesOf(String key) {
        if (table.conditions == null || key == null) return;
        List<ConditionSites.Site> sites = new ArrayList<>();
        for (EntryBreakpoint b : list) if (b.site != null && key.equals(b.siteKey)) sites.add(b.site);
        table.conditions.wantEntries(key, sites);
    }

    // ---------------------------------------------------------------- conditions compiled in

    /** The files whose classes were last asked to carry function breakpoints' conditions, each with a class of it. */
    private final java.util.Map<String, ReferenceType> entryFiles = new java.util.HashMap<>();

    /**
     * Compiles each verified breakpoint's condition into the one method it names, in front of its
     * first statement (see {@code reload/ConditionSites}), and takes out those no longer wanted:
     * the program tests the condition once per call, and only calls where it holds reach the
     * debugger. A file's swap sets the requests again ({@link #redefined}), at the test's markers.
     * Where the condition cannot go in, the debugger evaluates it at the entry as before, and the
     * breakpoint says why.
     */
    private void compileConditions() {
        CompiledConditions c = table.conditions;
        if (c == null || vm == null) return;
        java.util.Map<String, List<ConditionSites.Site>> want = new java.util.HashMap<>();
        for (EntryBreakpoint b : list) {
            b.site = null;
            b.why = null;
            if (b.marker < 0 || b.condition() == null || !b.verified || b.named.size() != 1 || b.siteKey == null || b.siteLine <= 0) continue;
            if (b.siteMethod == null) {
                b.why = "it is compiled into a method of a named class only, not into a constructor or a method of an anonymous or local class";
                continue;
            }
            if (table.lineBreakpointAt.test(b.siteKey, b.siteLine)) {
                // compiled in, the test would stop the thread a second time after the line breakpoint there
                b.why = "a line breakpoint is on the method's first line too, and the two stop as one only where the debugger decides";
                continue;
            }
            b.site = new ConditionSites.Site(b.siteLine, b.condition(), b.marker, b.siteMethod);
            want.computeIfAbsent(b.siteKey, k -> new ArrayList<>()).add(b.site);
            entryFiles.put(b.siteKey, b.siteType);
        }
        for (java.util.Map.Entry<String, ReferenceType> e : new ArrayList<>(entryFiles.entrySet())) {
            List<ConditionSites.Site> sites = want.getOrDefault(e.getKey(), List.of());
            c.wantEntries(e.getKey(), sites);
            c.apply(e.getKey(), List.of(e.getValue())); // a swap sets the requests again (redefined)
            // kept while the classes still carry a test no breakpoint wants (a swap to take it out was refused): tried again next time
            if (sites.isEmpty() && !c.carriesEntries(e.getKey())) entryFiles.remove(e.getKey());
        }
        for (EntryBreakpoint b : list) {
            // the classes carried the test before these breakpoints were set (the same condition set again): no swap moved the requests there
            if (b.site != null && c.carries(b.siteKey, b.site) && !CompiledConditions.atMarkers(b)) {
                vm.eventRequestManager().deleteEventRequests(b.requests);
                b.requests.clear();
                addRequests(b, b.siteType);
                b.arm();
            }
            if (b.verified) b.message = conditionNote(b);
        }
    }

    /** What a verified breakpoint says: why its condition is evaluated by the debugger, when it is not compiled in; else null. */
    private String conditionNote(EntryBreakpoint b) {
        CompiledConditions c = table.conditions;
        if (b.condition() == null || c == null || (b.site != null && c.carries(b.siteKey, b.site))) return null;
        String why;
        if (b.marker < 0) why = c.note(-1);
        else if (b.named.size() > 1) why = "the name stands for " + b.named.size() + " methods; a condition is compiled into one only";
        else if (b.siteKey == null || b.siteLine <= 0) why = "the class has no source file name or no line numbers (compiled without -g)";
        else if (b.why != null) why = b.why;
        else why = c.note(b.marker);
        return why == null ? null : "The condition is evaluated by the debugger, a round trip per call: " + why + ".";
    }
}
