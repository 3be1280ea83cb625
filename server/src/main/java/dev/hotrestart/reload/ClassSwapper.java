package dev.hotrestart.reload;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ArrayType;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

import java.util.ArrayList;
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
        Runnable takeBack = handOver(plan.companions());
        try {
            vm.redefineClasses(plan.classes());
        } catch (UnsupportedOperationException e) {
            takeBack.run();
            throw new UserError(ErrorId.SWAP_REFUSED, "The JVM refused the swap (" + e.getMessage() + "); it still runs the old code. "
                    + "Undo the structural change, or restart the program.");
        } catch (LinkageError | RuntimeException e) {
            takeBack.run();
            throw new UserError(ErrorId.SWAP_REFUSED, "The JVM refused the new class (" + e + "); it still runs the old code.");
        }
        frames.swapped(noted);
        plan.commit().run();
        afterSwap.accept(plan.classes().keySet());
        return plan.reloaded();
    }

    /**
     * Leaves the companions in the agent's {@code Links.companions} (no thread needed: the JVM
     * makes the arrays and sets the field); the redefined code links to them when it first runs.
     * Returns what puts the previous value back.
     */
    private Runnable handOver(Map<String, byte[]> companions) {
        if (companions.isEmpty()) return () -> {};
        List<ReferenceType> links = vm.classesByName(AddedMembers.LINKS.replace('/', '.'));
        List<ReferenceType> objects = vm.classesByName("java.lang.Object[]");
        List<ReferenceType> bytes = vm.classesByName("byte[]");
        if (links.isEmpty() || objects.isEmpty() || bytes.isEmpty()) {
            throw new UserError(ErrorId.SWAP_REFUSED, "The agent's Links class is not loaded in the program, so the members this edit "
                    + "adds have nowhere to go; nothing was changed. Restart the program to run the edit.");
        }
        ClassType type = (ClassType) links.get(0);
        Field field = type.fieldByName("companions");
        Value before = type.getValue(field);
        List<ObjectReference> made = new ArrayList<>();
        try {
            ArrayReference all = ((ArrayType) objects.get(0)).newInstance(companions.size() * 2);
            all.disableCollection();
            made.add(all);
            int i = 0;
            for (Map.Entry<String, byte[]> c : companions.entrySet()) {
                ObjectReference key = vm.mirrorOf(c.getKey());
                key.disableCollection();
                made.add(key);
                ArrayReference code = ((ArrayType) bytes.get(0)).newInstance(c.getValue().length);
                code.disableCollection();
                made.add(code);
                List<Value> values = new ArrayList<>(c.getValue().length);
                for (byte b : c.getValue()) values.add(vm.mirrorOf(b));
                code.setValues(values);
                all.setValue(i++, key);
                all.setValue(i++, code);
            }
            type.setValue(field, all);
        } catch (com.sun.jdi.InvalidTypeException | com.sun.jdi.ClassNotLoadedException e) {
            throw new UserError(ErrorId.SWAP_REFUSED, "Could not hand the added members to the agent (" + e + "); nothing was changed.");
        } finally {
            for (ObjectReference o : made) o.enableCollection();
        }
        return () -> {
            try {
                type.setValue(field, before);
            } catch (com.sun.jdi.InvalidTypeException | com.sun.jdi.ClassNotLoadedException | RuntimeException ignored) {
                // the companions of a swap the JVM refused are never linked: no code names them
            }
        };
    }
}
