package dev.hotrestart.reload;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import dev.hotrestart.reload.MethodSplicer.MethodId;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Frames left running code a reload replaced. JDWP reports such a frame's method as obsolete,
 * without name, arguments or lines; this class names the method (from what was replaced, or the
 * caller's call instruction) and keeps, from just before each swap, the lines and the file's text
 * of the version each stopped frame runs.
 */
public final class ReplacedFrames {
    private final VirtualMachine vm;
    private final Versions versions;
    private final SourceSnapshots snapshots;
    /** Per thread, by distance from the bottom of its stack (a frame keeps it while it lives). */
    private final Map<ThreadReference, Map<Integer, OldFrame>> oldFrames = new ConcurrentHashMap<>();

    ReplacedFrames(VirtualMachine vm, Versions versions, SourceSnapshots snapshots) {
        this.vm = vm;
        this.versions = versions;
        this.snapshots = snapshots;
    }

    /**
     * What a frame that a reload left running replaced code runs: that version's text (an id of
     * {@link #text}) and its method's lines by code index, as the JVM had them before the reload.
     */
    public record OldFrame(int textRef, long[] codeIndexes, int[] lines) {
        /** The line of the code at {@code codeIndex}: the entry that starts last at or before it; 0 when none does. */
        public int lineAt(long codeIndex) {
            int line = 0;
            long from = -1;
            for (int i = 0; i < codeIndexes.length; i++) {
                if (codeIndexes[i] <= codeIndex && codeIndexes[i] > from) {
                    from = codeIndexes[i];
                    line = lines[i];
                }
            }
            return line;
        }
    }

    /** Whether frames of this class can run replaced code: only classes a reload redefined (asking JDI costs a round trip). */
    public boolean mayRunReplacedCode(ReferenceType type) {
        return versions.mayRunObsoleteCode(type);
    }

    /** Whether the code at {@code loc} is a version a reload replaced. */
    public boolean runsReplacedCode(Location loc) {
        return versions.mayRunObsoleteCode(loc.declaringType()) && loc.method().isObsolete();
    }

    /**
     * The method the frame at {@code depth} runs, as the class declares it now. When only one
     * method of its class was ever replaced, that is the one; else the call instruction its caller
     * stands at names it; a bottom frame runs the class's main.
     */
    public Method currentVersion(ThreadReference thread, int depth, Location loc) {
        Method m = loc.method();
        ReferenceType type = loc.declaringType();
        if (!versions.mayRunObsoleteCode(type) || !m.isObsolete()) return m;
        Method only = onlyReplaced(type);
        if (only != null) return only;
        Method called = calledBy(thread, depth + 1, type);
        if (called != null) return called;
        Method main = launchedMain(thread, depth, type);
        return main != null ? main : m;
    }

    /**
     * A bottom frame has no caller whose call names its method: the launcher called it, so it runs
     * the class's main, when a reload may have replaced that. Null for any other frame.
     */
    private Method launchedMain(ThreadReference thread, int depth, ReferenceType type) {
        Set<MethodId> ids = versions.replacedIn(type);
        if (ids == null || !(ids.contains(Versions.UNKNOWN) || ids.stream().anyMatch(id -> id.name().equals("main")))) return null;
        try {
            if (depth + 1 < thread.frameCount()) return null;
        } catch (IncompatibleThreadStateException | RuntimeException e) {
            return null;
        }
        Method noArgs = null;
        for (Method c : type.methodsByName("main")) {
            if (c.argumentTypeNames().equals(List.of("java.lang.String[]"))) return c;
            if (c.argumentTypeNames().isEmpty()) noArgs = c; // Java 21+ launches main() when there is no main(String[])
        }
        return noArgs;
    }

    /** The one method of the class a reload replaced, or null when there were several (or it is not known). */
    private Method onlyReplaced(ReferenceType type) {
        Set<MethodId> ids = versions.replacedIn(type);
        if (ids == null || ids.size() != 1 || ids.contains(Versions.UNKNOWN)) return null;
        MethodId id = ids.iterator().next();
        for (Method c : type.methodsByName(id.name())) {
            if (MethodId.of(type.name(), c.name(), c.argumentTypeNames()).equals(id)) return c;
        }
        return null;
    }

    /** The method of {@code type} that the frame at {@code callerDepth} is calling, or null. */
    private Method calledBy(ThreadReference thread, int callerDepth, ReferenceType type) {
        try {
            if (!vm.canGetBytecodes() || !vm.canGetConstantPool() || callerDepth >= thread.frameCount()) return null;
            Location at = thread.frame(callerDepth).location();
            Method caller = at.method();
            if (caller.isNative() || caller.isObsolete()) return null; // no code, or code whose constant pool is gone
            ReferenceType owner = caller.declaringType();
            String[] called = CallSite.called(caller.bytecodes(), (int) at.codeIndex(), owner.constantPool(), owner.constantPoolCount());
            if (called == null) return null;
            for (Method c : type.methodsByName(called[0], called[1])) {
                if (c.declaringType().equals(type)) return c;
            }
            return null;
        } catch (IncompatibleThreadStateException | RuntimeException e) {
            return null; // the frame stays unnamed
        }
    }

    /** The frame {@code fromBottom} frames above the bottom of the thread's stack, if a reload left it running old code. */
    public OldFrame oldFrame(ThreadReference thread, int fromBottom) {
        Map<Integer, OldFrame> frames = oldFrames.get(thread);
        return frames == null ? null : frames.get(fromBottom);
    }

    public void threadEnded(ThreadReference thread) {
        oldFrames.remove(thread);
    }

    /** The text of an older version of a file, served for frames that still run it. */
    public String text(int ref) {
        return versions.text(ref);
    }

    /** The sourceReference of the version before the last reload of a file, or 0. */
    public int previousText(String key) {
        return versions.previousText(key);
    }

    /**
     * Before a swap: the frames of the stopped threads in the planned classes, with each method's
     * lines (JDI has them already for a frame whose line was shown) and the text of the file as
     * the JVM runs it. {@code stopped} gives each thread's shallowest frame that stays. A frame
     * already running old code keeps what was remembered for it.
     */
    Map<ThreadReference, Map<Integer, OldFrame>> before(ReloadPlan plan, Map<ThreadReference, Integer> stopped) {
        Map<ThreadReference, Map<Integer, OldFrame>> out = new HashMap<>();
        Map<Method, Optional<OldFrame>> byMethod = new HashMap<>(); // a recursion: one method, many frames
        for (Map.Entry<ThreadReference, Integer> stays : stopped.entrySet()) {
            ThreadReference t = stays.getKey();
            try {
                List<StackFrame> frames = t.frames();
                for (int depth = stays.getValue(); depth < frames.size(); depth++) {
                    Location loc = frames.get(depth).location();
                    if (!plan.classes().containsKey(loc.declaringType())) continue;
                    Optional<OldFrame> old = byMethod.computeIfAbsent(loc.method(), m -> replaces(plan, m)
                            ? Optional.ofNullable(linesNow(m)) : Optional.empty());
                    if (old.isPresent()) out.computeIfAbsent(t, k -> new HashMap<>()).put(frames.size() - 1 - depth, old.get());
                }
            } catch (IncompatibleThreadStateException | RuntimeException e) {
                // a thread that runs again or is gone: its frames cannot run old code we could show
            }
        }
        return out;
    }

    /** After the swap: the frames noted {@link #before} now run replaced code. */
    void swapped(Map<ThreadReference, Map<Integer, OldFrame>> noted) {
        noted.forEach((t, frames) -> oldFrames.computeIfAbsent(t, k -> new ConcurrentHashMap<>()).putAll(frames));
    }

    /** Whether the plan replaces this method's code (in method scope only its one method; a method already replaced is not again). */
    private boolean replaces(ReloadPlan plan, Method m) {
        if (m.isNative() || plan.only() != null && !plan.only().equals(MethodId.of(m.declaringType().name(), m.name(), m.argumentTypeNames()))) {
            return false;
        }
        return !(versions.mayRunObsoleteCode(m.declaringType()) && m.isObsolete());
    }

    private OldFrame linesNow(Method m) {
        try {
            SourceSnapshots.Snapshot snap = snapshots.get(versions.origin(m.declaringType()).key());
            if (snap == null) return null;
            List<Location> locations = m.allLineLocations();
            long[] at = new long[locations.size()];
            int[] lines = new int[locations.size()];
            for (int i = 0; i < at.length; i++) {
                at[i] = locations.get(i).codeIndex();
                lines[i] = locations.get(i).lineNumber();
            }
            return new OldFrame(versions.textRef(snap.text), at, lines);
        } catch (AbsentInformationException | RuntimeException e) {
            return null;
        }
    }
}
