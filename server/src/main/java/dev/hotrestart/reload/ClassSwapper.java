package dev.hotrestart.reload;

import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies a plan: notes the frames that will go on running the replaced code, redefines the
 * classes, makes the plan's state current, then sets breakpoints again (the JVM clears those of a
 * redefined class). A redefinition the JVM refuses changes nothing.
 */
public final class ClassSwapper {
    private final VirtualMachine vm;
    private final ReplacedFrames frames;
    /** Told the classes each swap redefined: their breakpoints are set again. */
    private final Consumer<Set<ReferenceType>> afterSwap;

    ClassSwapper(VirtualMachine vm, ReplacedFrames frames, Consumer<Set<ReferenceType>> afterSwap) {
        this.vm = vm;
        this.frames = frames;
        this.afterSwap = afterSwap;
    }

    /**
     * Redefines the planned classes; on success the plan's new state becomes current and the
     * qualified names of what changed come back. {@code stopped} gives each stopped thread's
     * shallowest frame that stays (one below the frame a restart pops, else 0).
     */
    public List<String> apply(ReloadPlan plan, Map<ThreadReference, Integer> stopped) {
        if (plan.classes().isEmpty()) {
            plan.commit().run();
            return plan.reloaded();
        }
        Map<ThreadReference, Map<Integer, ReplacedFrames.OldFrame>> noted = frames.before(plan, stopped);
        try {
            vm.redefineClasses(plan.classes());
        } catch (UnsupportedOperationException e) {
            throw new UserError(ErrorId.SWAP_REFUSED, "The JVM refused the swap (" + e.getMessage() + "); it still runs the old code. "
                    + "Undo the structural change, or restart the program.");
        } catch (LinkageError | RuntimeException e) {
            throw new UserError(ErrorId.SWAP_REFUSED, "The JVM refused the new class (" + e + "); it still runs the old code.");
        }
        frames.swapped(noted);
        plan.commit().run();
        afterSwap.accept(plan.classes().keySet());
        return plan.reloaded();
    }
}
