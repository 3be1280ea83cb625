package dev.hotrestart.session;

import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import dev.hotrestart.reload.Bytecode;
import dev.hotrestart.reload.ConditionSites;
import dev.hotrestart.reload.ConditionSites.Site;
import dev.hotrestart.reload.ReloadPlanner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;

/**
 * Line breakpoint conditions compiled into the program: the program tests the condition itself at
 * the line, and only hits where it holds reach the debugger (about a million tests a second
 * instead of about a thousand round trips). The code goes in through the reload pipeline: the
 * classes of the file are recompiled from the text the JVM runs with each condition's test in front
 * of its line's statement (see {@code reload/ConditionSites}), and every later reload of the file
 * compiles them in again. A condition that cannot go in is evaluated by the debugger as before,
 * and its breakpoint says why.
 */
final class CompiledConditions implements ReloadPlanner.ConditionCode {
    /** On the request at a compiled condition's first marker: the condition held there. */
    static final String HELD = "hotrestart.conditionHeld";
    /** On the request at its second marker (the value: the first marker's): the condition threw. */
    static final String THREW = "hotrestart.conditionThrew";
    /** On a breakpoint's request in the agent's hook, which its compiled condition calls with its marker. */
    static final String MARK = "hotrestart.conditionMark";
    /** The agent's class with the method the markers call. */
    static final String HOOK = "dev.hotrestart.agent.Hook";

    /** Compiles the file's classes with the wanted conditions and swaps them in; why not, or null. */
    interface Applier {
        String apply(ReferenceType anchor, Set<Integer> lines);
    }

    private final Map<String, List<Site>> wanted = new ConcurrentHashMap<>();
    /** Why a line breakpoint's site is not wanted, by marker: a function breakpoint shares its line. */
    private final Map<Integer, String> sharedLine = new ConcurrentHashMap<>();
    /** The function breakpoints' sites, per source key. */
    private final Map<String, List<Site>> entries = new ConcurrentHashMap<>();
    /** What the JVM runs, per source key: the compiled sites by marker. */
    private final Map<String, Map<Integer, Site>> carried = new ConcurrentHashMap<>();
    /** Why a site is not compiled in, by marker: the site itself does not fit (the same each time it is tried). */
    private final Map<Integer, String> notes = new ConcurrentHashMap<>();
    /** Why a site could not go in this time (a call running, a compile refused): tried again when the file's breakpoints are set. */
    private final Map<Integer, String> failed = new ConcurrentHashMap<>();
    private volatile Applier applier;
    private volatile java.util.function.Predicate<ReferenceType> hookReachable = t -> false;

    void applier(Applier a) {
        this.applier = a;
    }

    /** Whether a class reaches the agent's hook (the markers then call it, and the method has no breakpoint). */
    void hookReachable(java.util.function.Predicate<ReferenceType> p) {
        this.hookReachable = p;
    }

    @Override
    public boolean viaHook(ReferenceType anchor) {
        return hookReachable.test(anchor);
    }

    /** The marker the thread, stopped in the hook's {@code mark}, passed it; -1 when unreadable. */
    static int markOf(com.sun.jdi.ThreadReference thread) {
        try {
            List<com.sun.jdi.Value> args = thread.frame(0).getArgumentValues();
            return !args.isEmpty() && args.get(0) instanceof com.sun.jdi.IntegerValue v ? v.value() : -1;
        } catch (com.sun.jdi.IncompatibleThreadStateException | RuntimeException e) {
            return -1;
        }
    }


    /**
     * The file's breakpoints now: each with a condition on a line with code in a loaded class should
     * be compiled in, but where a function breakpoint stops at the same line ({@code shared}): there
     * the debugger decides both at the same instruction, one stop for the two, as without compiling.
     */
    void want(String key, List<Breakpoints.LineBreakpoint> list, IntPredicate hasCode, IntPredicate shared) {
        List<Site> sites = new ArrayList<>();
        for (Breakpoints.LineBreakpoint b : list) {
            String condition = b.condition();
            if (condition == null || b.marker() < 0 || !hasCode.test(b.actualLine)) continue;
            if (shared.test(b.actualLine)) {
                sharedLine.put(b.marker(), "a function breakpoint stops at this line too, and the two stop as one only where the debugger decides");
                continue;
            }
            sharedLine.remove(b.marker());
            sites.add(new Site(b.actualLine, condition, b.marker()));
        }
        if (sites.isEmpty()) wanted.remove(key);
        else wanted.put(key, sites);
    }

    /** The function breakpoints' conditions the file's classes should test at their methods' entries (see FunctionBreakpoints). */
    void wantEntries(String key, List<Site> sites) {
        if (sites.isEmpty()) entries.remove(key);
        else entries.put(key, List.copyOf(sites));
    }

    /** Whether a wanted site of the file is neither compiled in nor refused. */
    boolean missing(String key) {
        Map<Integer, Site> have = carried.getOrDefault(key, Map.of());
        for (Site s : sitesOf(key)) {
            if (!s.equals(have.get(s.marker())) && !notes.containsKey(s.marker()) && !failed.containsKey(s.marker())) return true;
        }
        return false;
    }

    /** Recompiles the file's classes when what they carry is not what is wanted (a condition set, changed, removed). */
    void apply(String key, List<ReferenceType> types) {
        Applier a = applier;
        if (a == null || types.isEmpty()) return;
        List<Site> want = sitesOf(key);
        Map<Integer, Site> have = carried.getOrDefault(key, Map.of());
        // the sites, not only their markers: a freed marker may be given out again while old code still carries it
        Set<Site> wantSites = new java.util.HashSet<>();
        for (Site s : want) if (!notes.containsKey(s.marker()) && !failed.containsKey(s.marker())) wantSites.add(s);
        if (wantSites.equals(new java.util.HashSet<>(have.values()))) return;
        Set<Integer> lines = new TreeSet<>();
        for (Site s : want) lines.add(s.line());
        for (Site s : have.values()) lines.add(s.line());
        String why = a.apply(types.get(0), lines);
        if (why != null) for (Site s : want) if (!s.equals(have.get(s.marker()))) failed.put(s.marker(), why);
    }

    @Override
    public List<Site> sitesOf(String key) {
        List<Site> lines = wanted.getOrDefault(key, List.of()), atEntry = entries.getOrDefault(key, List.of());
        if (atEntry.isEmpty()) return lines;
        List<Site> all = new ArrayList<>(lines);
        all.addAll(atEntry);
        return all;
    }

    @Override
    public void carried(String key, ConditionSites.Instrumented result) {
        Map<Integer, Site> now = new HashMap<>();
        for (Site s : result.placed()) {
            now.put(s.marker(), s);
            notes.remove(s.marker());
            failed.remove(s.marker());
        }
        result.refused().forEach((s, why) -> notes.put(s.marker(), why));
        result.retried().forEach((s, why) -> failed.put(s.marker(), why));
        if (now.isEmpty()) carried.remove(key);
        else carried.put(key, now);
    }

    boolean carries(Breakpoints.LineBreakpoint b) {
        return b.marker() >= 0 && carries(b.file.key, new Site(b.actualLine, b.condition(), b.marker()));
    }

    /** Whether the file's classes run this site's test. */
    boolean carries(String key, Site site) {
        return site != null && site.equals(carried.getOrDefault(key, Map.of()).get(site.marker()));
    }

    /** Why the breakpoint's condition is evaluated by the debugger rather than compiled in, or null. */
    String note(Breakpoints.LineBreakpoint b) {
        if (b.condition() == null || carries(b)) return null;
        return note(b.marker());
    }

    /** Why the site of this marker is not compiled in, or null when nothing was said; for a marker below 0: none was free. */
    String note(int marker) {
        if (marker < 0) return "more conditional breakpoints are set than can be compiled in";
        String why = sharedLine.get(marker);
        if (why != null) return why;
        why = notes.get(marker);
        return why != null ? why : failed.get(marker);
    }

    /** Per method running a compiled condition: the code index ranges of its tests (from the line's start to the marker). */
    private final Map<Method, List<long[]>> tests = new ConcurrentHashMap<>();

    /** These classes were redefined: their tests are found again in their new code. */
    void forget(Set<ReferenceType> types) {
        tests.keySet().removeIf(m -> types.contains(m.declaringType()));
    }

    /**
     * Whether the thread, stopped in the hook, was sent there by this site of the breakpoint, as
     * the file's classes carry it now (not by old code that had the marker before, for another
     * site, nor by a test left where a swap could not take it out).
     */
    boolean calledFrom(com.sun.jdi.ThreadReference thread, String key, Site site) {
        if (key == null || site == null || !site.equals(carried.getOrDefault(key, Map.of()).get(site.marker()))) return false;
        try {
            Location caller = thread.frame(1).location();
            return caller.lineNumber() == site.line() && key.equals(dev.hotrestart.base.SourceLocator.keyOf(caller.declaringType()));
        } catch (com.sun.jdi.IncompatibleThreadStateException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean carriesAny(String key) {
        return !carried.getOrDefault(key, Map.of()).isEmpty();
    }

    /** Whether the file's classes carry a function breakpoint's test. */
    boolean carriesEntries(String key) {
        for (Site s : carried.getOrDefault(key, Map.of()).values()) if (s.entry() != null) return true;
        return false;
    }

    // ---------------------------------------------------------------- markers

    /** The markers in use: even numbers from {@link ConditionSites#FIRST_MARKER}, each breakpoint's own while it lives. */
    private final java.util.BitSet used = new java.util.BitSet();
    private static final int MARKERS = (Short.MAX_VALUE - ConditionSites.FIRST_MARKER) / 2;

    /**
     * Gives the file's new breakpoints their markers: one that keeps its line and condition keeps
     * its marker (the code need not change), the others get free ones; the old ones no longer used
     * are freed. -1 for a breakpoint without a condition, or when all are taken.
     */
    synchronized void assignMarkers(List<Breakpoints.LineBreakpoint> old, List<Breakpoints.LineBreakpoint> now) {
        Map<String, java.util.ArrayDeque<Integer>> kept = new HashMap<>();
        for (Breakpoints.LineBreakpoint b : old) {
            if (b.marker() >= 0) kept.computeIfAbsent(b.line + "\u0000" + b.condition(), k -> new java.util.ArrayDeque<>()).add(b.marker());
        }
        for (Breakpoints.LineBreakpoint b : now) {
            if (b.condition() == null) continue;
            java.util.ArrayDeque<Integer> same = kept.get(b.line + "\u0000" + b.condition());
            Integer m = same == null ? null : same.poll();
            if (m != null) failed.remove(m); // set again: tried again
            if (m == null) {
                int free = used.nextClearBit(0);
                if (free >= MARKERS) continue;
                used.set(free);
                m = ConditionSites.FIRST_MARKER + 2 * free;
                notes.remove(m);
                failed.remove(m);
            }
            b.marker(m);
        }
        for (java.util.ArrayDeque<Integer> left : kept.values()) {
            for (int m : left) {
                used.clear((m - ConditionSites.FIRST_MARKER) / 2);
                sharedLine.remove(m);
                notes.remove(m);
                failed.remove(m);
            }
        }
    }

    /** A free marker for a function breakpoint's condition, or -1 when all are taken. */
    synchronized int takeMarker() {
        int free = used.nextClearBit(0);
        if (free >= MARKERS) return -1;
        used.set(free);
        int m = ConditionSites.FIRST_MARKER + 2 * free;
        notes.remove(m);
        failed.remove(m);
        return m;
    }

    /** A function breakpoint's marker is no longer used. */
    synchronized void freeMarker(int m) {
        if (m < 0) return;
        used.clear((m - ConditionSites.FIRST_MARKER) / 2);
        notes.remove(m);
        failed.remove(m);
    }

    /**
     * The requests of a condition compiled into the method: at its two marker stores, reached only
     * when the condition holds and when it threw, or in the agent's hook the stores call. The test
     * runs from {@code start}. False when the method has no such code.
     */
    /** Whether some of the breakpoint's requests are at a compiled condition's markers or in the hook. */
    static boolean atMarkers(ClientBreakpoint b) {
        for (com.sun.jdi.request.EventRequest r : b.requests) {
            if (r.getProperty(MARK) != null || r.getProperty(HELD) != null || r.getProperty(THREW) != null) return true;
        }
        return false;
    }

    boolean addRequests(ClientBreakpoint b, int marker, Method m, Location start, com.sun.jdi.VirtualMachine vm) {
        Markers markers = markers(m, marker);
        if (markers == null) return false;
        Location held = markers.held(), threw = markers.threw();
        for (com.sun.jdi.request.EventRequest r : b.requests) if (((com.sun.jdi.request.BreakpointRequest) r).location().equals(held)) return true;
        if (start != null) tested(m, start, held);
        com.sun.jdi.request.EventRequestManager erm = vm.eventRequestManager();
        if (markers.callHook()) {
            // the markers call the agent's hook: the breakpoint is there, and this method has none
            for (com.sun.jdi.request.EventRequest r : b.requests) if (r.getProperty(MARK) != null) return true;
            boolean any = false;
            for (ReferenceType hook : vm.classesByName(HOOK)) {
                for (Method mark : hook.methodsByName("mark", "(I)V")) {
                    com.sun.jdi.request.BreakpointRequest r = b.tag(erm.createBreakpointRequest(mark.location()));
                    r.putProperty(MARK, Boolean.TRUE);
                    b.requests.add(r);
                    any = true;
                }
            }
            return any;
        }
        com.sun.jdi.request.BreakpointRequest h = b.tag(erm.createBreakpointRequest(held));
        h.putProperty(HELD, Boolean.TRUE);
        com.sun.jdi.request.BreakpointRequest t = b.tag(erm.createBreakpointRequest(threw));
        t.putProperty(THREW, marker);
        b.requests.add(h);
        b.requests.add(t);
        return true;
    }

    /** A compiled condition's test runs in {@code m} from {@code start} up to its marker at {@code marker}. */
    void tested(Method m, Location start, Location marker) {
        if (start.codeIndex() >= marker.codeIndex()) return;
        List<long[]> ranges = tests.computeIfAbsent(m, k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        for (long[] r : ranges) if (r[0] == start.codeIndex() && r[1] == marker.codeIndex()) return;
        ranges.add(new long[]{start.codeIndex(), marker.codeIndex()});
    }

    /**
     * Whether the thread, stopped at an event, got there from a compiled condition's test (it called
     * a method with a breakpoint in it, read a watched field, threw): as where the debugger evaluates
     * a condition, such an event does not stop it. Frames from {@code from} on count (below a
     * breakpoint's own). One round trip, and only while some condition is compiled in.
     */
    boolean insideTest(com.sun.jdi.ThreadReference thread, int from) {
        if (tests.isEmpty()) return false;
        try {
            List<com.sun.jdi.StackFrame> frames = thread.frames();
            for (int i = from; i < frames.size(); i++) {
                Location at = frames.get(i).location();
                List<long[]> ranges = tests.get(at.method());
                if (ranges == null) continue;
                for (long[] r : ranges) if (at.codeIndex() >= r[0] && at.codeIndex() < r[1]) return true;
            }
        } catch (com.sun.jdi.IncompatibleThreadStateException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** The locations of the one {@code sipush marker} and the one {@code sipush marker + 1} in the method, or null. */
    static Markers markers(Method m, int marker) {
        try {
            byte[] code = m.bytecodes(); // one round trip for both markers
            List<Integer> held = Bytecode.sipushes(code, marker), threw = Bytecode.sipushes(code, marker + 1);
            if (held.size() != 1 || threw.size() != 1) return null;
            int next = held.get(0) + 3; // the instruction after the push: invokestatic where it calls the hook
            return new Markers(m.locationOfCodeIndex(held.get(0)), m.locationOfCodeIndex(threw.get(0)),
                    next < code.length && (code[next] & 0xff) == 0xb8);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Where a compiled condition's two markers are in a method, and whether they call the agent's hook. */
    record Markers(Location held, Location threw, boolean callHook) {}
}
