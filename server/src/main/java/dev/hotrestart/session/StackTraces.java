package dev.hotrestart.session;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadGroupReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.MethodLabel;
import dev.hotrestart.base.SourceLocator;
import dev.hotrestart.base.UserError;
import dev.hotrestart.eval.Debuggee;
import dev.hotrestart.jvm.NativeFrames;
import dev.hotrestart.reload.ReplacedFrames;
import org.eclipse.lsp4j.debug.ExceptionInfoResponse;
import org.eclipse.lsp4j.debug.SourceArguments;
import org.eclipse.lsp4j.debug.SourceResponse;
import org.eclipse.lsp4j.debug.StackFramePresentationHint;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StackTraceResponse;
import org.eclipse.lsp4j.debug.Thread;
import org.eclipse.lsp4j.debug.ThreadsResponse;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * threads, stackTrace, source and exceptionInfo: what the program's threads are doing, as the
 * client shows it. Frames of the agent's hook stay hidden; a frame left on code a reload replaced
 * shows that version's text and line.
 */
public final class StackTraces {
    private final ThreadStops stops;
    private final FrameSources sources;
    private VirtualMachine vm;
    private ReplacedFrames replaced;
    private Debuggee debuggee;

    private final ClientColumns columns;

    StackTraces(ThreadStops stops, FrameSources sources, ClientColumns columns) {
        this.columns = columns;
        this.stops = stops;
        this.sources = sources;
    }

    void connected(VirtualMachine vm, ReplacedFrames replaced, Debuggee debuggee) {
        this.vm = vm;
        this.replaced = replaced;
        this.debuggee = debuggee;
    }

    public ThreadsResponse threads() {
        List<Thread> out = new ArrayList<>();
        List<ThreadReference> all;
        try {
            all = vm == null ? List.of() : vm.allThreads();
        } catch (VMDisconnectedException e) {
            all = List.of(); // the program ended: it has no threads, which is no error
        }
        List<ThreadReference> listed = new ArrayList<>(all);
        // a virtual thread is in no list of the JVM's (JDWP's default): it shows while it is stopped
        for (ThreadReference t : stops.stops().keySet()) if (!all.contains(t)) listed.add(t);
        for (ThreadReference t : listed) {
            Thread th = new Thread();
            try {
                // a thread stopped for the user is shown whoever it belongs to
                if (stops.stop(t) == null && jvmOwned(t)) continue;
                th.setName(VirtualThreads.isVirtual(t) ? VirtualThreads.label(t) : t.name());
            } catch (ObjectCollectedException | VMDisconnectedException e) {
                continue;
            }
            th.setId(stops.id(t));
            out.add(th);
        }
        ThreadsResponse r = new ThreadsResponse();
        r.setThreads(out.toArray(new Thread[0]));
        return r;
    }

    /** Whether each thread group holds the JVM's own threads; a group never changes its parent or name. */
    private final Map<ThreadGroupReference, Boolean> jvmGroups = new HashMap<>();

    /**
     * Whether a thread is the JVM's own, not the program's. Decided by its thread group, not its
     * name (a program may name a thread anything): the JVM's service threads (Reference Handler,
     * Finalizer, Signal Dispatcher, Notification Thread, Attach Listener) sit in the root group,
     * {@code system}, itself; the program's threads in {@code main} or groups under it. Two groups
     * under the root hold the JDK's helpers: {@code InnocuousThreadGroup} (Common-Cleaner, the
     * virtual-thread unblocker and pollers) and {@code CarrierThreads} (the carriers of virtual
     * threads, which show as the virtual thread they run). Those two are known by name; other
     * groups under the root stay listed, since the program's tasks run there: on Java 25 the
     * common pool's workers are in {@code InnocuousForkJoinWorkerThreadGroup}. The group, its
     * parent and their names cost a round trip each the first time (JDI keeps them), once per group.
     */
    private boolean jvmOwned(ThreadReference t) {
        ThreadGroupReference g = t.threadGroup();
        if (g == null) return false; // ended: nothing to tell
        return jvmGroups.computeIfAbsent(g, group -> {
            ThreadGroupReference parent = group.parent();
            if (parent == null) return true;
            return parent.parent() == null && (group.name().equals("InnocuousThreadGroup") || group.name().equals("CarrierThreads"));
        });
    }

    public StackTraceResponse stackTrace(StackTraceArguments args) {
        ThreadReference t = stops.suspendedThread(args.getThreadId());
        try {
            Stop stop = stops.stop(t);
            int hidden = stop == null ? 0 : stop.hidden();
            int total = t.frameCount();
            // reading the trace runs code in the thread, which invalidates frames: do it first
            if (hidden > 0 && stop.targetLine() == null) stop = escapeLine(t, stop, total);
            int start = (args.getStartFrame() == null ? 0 : Math.max(0, args.getStartFrame())) + hidden;
            int levels = args.getLevels() == null || args.getLevels() <= 0 ? total - start : Math.min(args.getLevels(), total - start);
            List<StackFrame> frames = levels > 0 ? t.frames(start, levels) : List.of();
            // the frames asked for reach the bottom (a whole trace): they tell where the first native one is
            int firstNative = start + levels == total ? start + NativeFrames.first(frames) : NativeFrames.firstDepth(t, total);
            List<org.eclipse.lsp4j.debug.StackFrame> out = new ArrayList<>();
            Map<Method, String> labels = new HashMap<>(); // a recursion names one method many times
            Map<Method, Boolean> oldCode = new HashMap<>(); // asked of the JVM once per method
            for (int i = 0; i < frames.size(); i++) {
                int depth = start + i;
                Location loc = frames.get(i).location();
                org.eclipse.lsp4j.debug.StackFrame f = new org.eclipse.lsp4j.debug.StackFrame();
                f.setId(stops.frameId(t, depth));
                boolean target = stop != null && stop.isEscape() && stop.targetDepth() == depth;
                f.setName((target ? "⟳ " : "") + labels.computeIfAbsent(methodAt(t, depth, loc), MethodLabel::of));
                // where the exception left the wrapped frame (which now stands in the agent's handler)
                boolean left = target && stop.hidden() > 0 && stop.targetLine() > 0;
                f.setLine(left ? stop.targetLine() : Math.max(loc.lineNumber(), 0));
                f.setColumn(columns.out(1));
                boolean obsolete = oldCode.computeIfAbsent(loc.method(), m -> sources.runsReplacedCode(loc));
                ReplacedFrames.OldFrame old = obsolete ? replaced.oldFrame(t, total - 1 - depth) : null;
                if (old != null) {
                    // the frame runs code a reload replaced: the line in the text of that version
                    if (!left) f.setLine(old.lineAt(loc.codeIndex()));
                    f.setSource(FrameSources.olderVersion(SourceLocator.keyOf(loc.declaringType()), old.textRef()));
                } else {
                    f.setSource(sources.of(loc, obsolete));
                }
                f.setCanRestart(depth + 1 < total && depth + 1 < firstNative);
                if (loc.method().isNative()) f.setPresentationHint(StackFramePresentationHint.SUBTLE);
                out.add(f);
            }
            StackTraceResponse r = new StackTraceResponse();
            r.setStackFrames(out.toArray(new org.eclipse.lsp4j.debug.StackFrame[0]));
            r.setTotalFrames(total - hidden);
            return r;
        } catch (IncompatibleThreadStateException e) {
            throw ThreadStops.running(t);
        }
    }

    /**
     * The line where the exception left the wrapped frame, kept with the stop. The frame itself
     * now stands in the handler the agent added; the exception's trace still has the line, at the
     * same distance from the bottom of the stack.
     */
    private Stop escapeLine(ThreadReference t, Stop stop, int total) {
        Stop withLine = stop.withTargetLine(ExceptionInfo.traceLine(stop.exception(), t, total - stop.targetDepth(), debuggee));
        stops.stopped(t, withLine);
        return withLine;
    }

    /**
     * The method a frame runs. A frame left running code a reload replaced shows an obsolete
     * method, which has lost its name; the stop remembers the wrapped ones from before.
     */
    Method methodAt(ThreadReference t, int depth, Location loc) {
        Method m = loc.method();
        // asking a method whether it is obsolete costs a round trip: only where a reload happened
        if (replaced == null || !replaced.mayRunReplacedCode(loc.declaringType()) || !m.isObsolete()) return m;
        Method current = replaced.currentVersion(t, depth, loc);
        if (current != m) return current;
        Stop stop = stops.stop(t);
        int i = stop == null ? -1 : stop.wrappedDepths().indexOf(depth);
        return i >= 0 ? stop.wrappedMethods().get(i) : m;
    }

    public SourceResponse source(SourceArguments args) {
        Integer ref = args.getSource() != null && args.getSource().getSourceReference() != null
                ? args.getSource().getSourceReference() : Integer.valueOf(args.getSourceReference());
        String text = ref == null ? null : sources.text(ref);
        if (text == null && args.getSource() != null && args.getSource().getPath() != null) {
            try {
                text = Files.readString(Paths.get(args.getSource().getPath()));
            } catch (Exception e) {
                text = null;
            }
        }
        if (text == null) throw new UserError(ErrorId.NO_SOURCE, "No source is available for this frame.");
        SourceResponse r = new SourceResponse();
        r.setContent(text);
        r.setMimeType("text/x-java");
        return r;
    }

    public ExceptionInfoResponse exceptionInfo(Integer threadId) {
        ThreadReference t = stops.thread(threadId);
        Stop stop = stops.stop(t);
        ObjectReference ex = stop == null ? null : stop.exception();
        if (ex == null) throw new UserError(ErrorId.NOT_STOPPED_THERE, "Thread \"" + t.name() + "\" is not stopped on an exception.");
        return ExceptionInfo.of(ex, t, stop.isEscape() ? JdiEvents.escapeDescription(stop) : null, stop.breakMode(), debuggee);
    }
}
