package dev.hotrestart.reload;

import com.sun.jdi.ClassNotLoadedException;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.InvalidTypeException;
import com.sun.jdi.InvalidStackFrameException;
import com.sun.jdi.Method;
import com.sun.jdi.NativeMethodException;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.MethodLabel;
import dev.hotrestart.base.Stages;
import dev.hotrestart.base.UserError;
import dev.hotrestart.jvm.NativeFrames;
import dev.hotrestart.wrap.WrapRules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A restart, in the order that leaves nothing half-done: check the frame can be popped, plan the
 * reload, redefine, then pop the frame, so that the thread enters the method again when it runs
 * on. Until the redefinition every failure leaves the thread where it was on the old code.
 */
public final class Restarter {
    private final ReloadPlanner planner;
    private final ClassSwapper swapper;
    private final WrapRules wrapRules;

    Restarter(ReloadPlanner planner, ClassSwapper swapper, WrapRules wrapRules) {
        this.planner = planner;
        this.swapper = swapper;
        this.wrapRules = wrapRules;
    }

    /**
     * What a restart did: the qualified names reloaded (empty without a reload), the method that
     * runs again, and whether its frame was popped (else the agent's handler calls it again).
     */
    public record Restarted(List<String> reloaded, Method method, boolean popped) {}

    /**
     * Runs the frame at {@code depth}, which runs {@code method}, again, after reloading its edits
     * when {@code scope} is given ("method" or "class"; null: no reload). The frame is popped when
     * it can be; a wrapped frame that cannot (a thread's bottom frame, main), stopped in the
     * agent's hook ({@code hookOnTop}), is called again by the agent's handler instead.
     * {@code stopped}: each stopped thread's shallowest frame that stays (see
     * {@link ClassSwapper#apply}); {@code warn} gets the plan's warnings before anything changes.
     */
    public Restarted restart(ThreadReference t, int depth, Method method, String scope, Map<ThreadReference, Integer> stopped,
                             Consumer<String> warn, boolean hookOnTop) {
        boolean callAgain;
        try {
            List<StackFrame> frames = t.frames();
            String unpoppable = unpoppable(frames, depth, method);
            callAgain = unpoppable != null && hookOnTop && depth == 1 && handlerCallsAgain(frames.get(0).location().method());
            if (unpoppable != null && !callAgain) throw new UserError(ErrorId.CANNOT_RESTART, unpoppable);
        } catch (IncompatibleThreadStateException e) {
            throw new UserError(ErrorId.THREAD_RUNNING, "Thread \"" + t.name() + "\" is running; pause it first.");
        }
        Stages.mark("frames");
        List<String> reloaded = List.of();
        if (scope != null) {
            ReloadPlan plan = planner.plan(method, scope);
            plan.warnings().forEach(warn);
            if (callAgain) {
                // the frame is not popped: it stays, and goes on in the replaced code (its handler)
                stopped = new HashMap<>(stopped);
                stopped.put(t, depth);
            }
            reloaded = swapper.apply(plan, stopped); // refused: nothing changed, the thread stays stopped
        }
        try {
            if (callAgain) {
                t.forceEarlyReturn(t.virtualMachine().mirrorOf(true)); // the hook answers: call the method again
            } else {
                t.popFrames(t.frame(depth));
            }
        } catch (IncompatibleThreadStateException | NativeMethodException | InvalidStackFrameException | InvalidTypeException
                 | ClassNotLoadedException e) {
            throw new UserError(ErrorId.CANNOT_RESTART, (scope == null ? "" : "The new code is in, but ") + "cannot "
                    + (callAgain ? "call " : "pop ") + MethodLabel.of(method) + " again: " + e.getMessage());
        }
        Stages.mark("popped");
        return new Restarted(reloaded, method, !callAgain);
    }

    /** Whether the agent's hook can say "call the method again" (agents before it returned nothing). */
    private static boolean handlerCallsAgain(Method hook) {
        return hook.returnTypeName().equals("boolean");
    }

    /** Why the frame cannot be popped, or null when it can. */
    private String unpoppable(List<StackFrame> frames, int depth, Method m) {
        if (depth + 1 >= frames.size()) {
            return "Cannot restart " + MethodLabel.of(m) + ": it is the thread's bottom frame, which has no caller to return to. "
                    + nearestPoppableWrapped(frames);
        }
        int firstNative = NativeFrames.first(frames);
        if (firstNative <= depth + 1) {
            return "Cannot restart " + MethodLabel.of(m) + ": the native frame " + MethodLabel.of(frames.get(firstNative).location().method())
                    + " lies between it and the top of the stack, and the JVM cannot pop native frames. " + nearestPoppableWrapped(frames);
        }
        return null;
    }

    /** The shallowest wrapped frame that can be popped: neither it nor its caller is native. */
    private String nearestPoppableWrapped(List<StackFrame> frames) {
        int firstNative = NativeFrames.first(frames);
        for (int i = 0; i + 1 < firstNative; i++) {
            Method fm = frames.get(i).location().method();
            if (wrapRules.isWrapped(fm)) return "Restart the nearest wrapped frame that can be: " + MethodLabel.of(fm) + ".";
        }
        return "No frame on this stack both is wrapped and can be popped; restart the program to run the new code, "
                + "or let the exception go on (propagateException, or \"continueAction\": \"propagate\").";
    }
}
