package dev.hotrestart.reload;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ArrayType;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
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
    /** How classes a reload adds are defined: set once the session can call into the debuggee. */
    private volatile DebuggeeCalls calls;

    /** Classes a reload adds are defined through these calls. */
    public void callThrough(DebuggeeCalls calls) {
        this.calls = calls;
    }

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
        if (plan.classes().isEmpty() && plan.defines().isEmpty()) {
            plan.commit().run();
            return plan.reloaded();
        }
        Map<ThreadReference, Map<Integer, ReplacedFrames.OldFrame>> noted = frames.before(plan, stopped);
        define(plan, stopped.keySet());
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
     * Defines the classes the plan adds, before the classes that use them are redefined: a call of
     * the agent's {@code Links.define} on a thread stopped at an event. Without one, a class the
     * edit adds cannot be defined (nothing changes); one that only has not been loaded yet is left
     * to its loader.
     */
    private void define(ReloadPlan plan, Set<ThreadReference> stopped) {
        if (plan.defines().isEmpty()) return;
        ThreadReference thread = null;
        for (ThreadReference t : stopped) {
            try {
                if (t.isSuspended() && t.frameCount() > 0) thread = t;
            } catch (com.sun.jdi.IncompatibleThreadStateException | RuntimeException ignored) {
                // not usable
            }
            if (thread != null) break;
        }
        List<AddedMembers.NewClass> added = plan.defines().stream().filter(AddedMembers.NewClass::added).toList();
        DebuggeeCalls through = calls;
        if (thread == null || through == null) {
            if (added.isEmpty()) return;
            throw new UserError(ErrorId.SWAP_REFUSED, "The edit adds " + names(added) + ", and a class can be added only while a thread "
                    + "is stopped (at a breakpoint, a step or an exception); nothing was changed. Stop the program at a breakpoint and "
                    + "reload again, or restart it.");
        }
        ClassType links = (ClassType) vm.classesByName(AddedMembers.LINKS.replace('/', '.')).get(0);
        com.sun.jdi.Method defineMethod = links.methodsByName("define").get(0);
        for (AddedMembers.NewClass c : plan.defines()) {
            StringReference code = vm.mirrorOf(asChars(c.bytes()));
            code.disableCollection();
            try {
                through.callStatic(thread, links, defineMethod, List.of(plan.beside().classObject(), code));
                plan.defined().add(c.binaryName());
            } catch (RuntimeException e) {
                if (!c.added()) continue; // its loader has it (loaded, not yet prepared) or will read it: as without the reload
                throw new UserError(ErrorId.SWAP_REFUSED, "The JVM did not take the class " + c.binaryName().replace('$', '.') + " ("
                        + e.getMessage() + "); " + (c == plan.defines().get(0) ? "nothing was changed." : "the classes before it "
                        + "were added, nothing else changed."));
            } finally {
                code.enableCollection();
            }
        }
    }

    /** A class file as the agent takes it: a string of one char (0 to 255) per byte, which the JVM makes in one step. */
    static String asChars(byte[] bytes) {
        char[] c = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) c[i] = (char) (bytes[i] & 0xff);
        return new String(c);
    }

    private static String names(List<AddedMembers.NewClass> classes) {
        List<String> out = new ArrayList<>();
        for (AddedMembers.NewClass c : classes) out.add("the class " + c.binaryName().replace('$', '.'));
        return String.join(", ", out);
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
        if (links.isEmpty() || objects.isEmpty()) {
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
            List<Value> values = new ArrayList<>();
            for (Map.Entry<String, byte[]> c : companions.entrySet()) {
                StringReference key = vm.mirrorOf(c.getKey());
                key.disableCollection();
                made.add(key);
                StringReference code = vm.mirrorOf(asChars(c.getValue()));
                code.disableCollection();
                made.add(code);
                values.add(key);
                values.add(code);
            }
            all.setValues(values);
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
