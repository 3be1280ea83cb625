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
import dev.hotrestart.base.Stages;
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

    /**
     * The bytes to redefine a class with, the agent's handler already in (null: as they are): the
     * agent leaves such bytes as they are, instead of reading and writing the class in the
     * program's JVM. Null when the agent does not wrap.
     */
    private final java.util.function.BiFunction<ReferenceType, byte[], byte[]> prewrap;

    ClassSwapper(VirtualMachine vm, ReplacedFrames frames, Consumer<Set<ReferenceType>> afterSwap,
                 java.util.function.BiFunction<ReferenceType, byte[], byte[]> prewrap) {
        this.vm = vm;
        this.frames = frames;
        this.afterSwap = afterSwap;
        this.prewrap = prewrap;
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
        Stages.mark("noted");
        define(plan, stopped.keySet());
        handOver(plan.companions());
        Stages.mark("handedOver");
        try {
            Map<ReferenceType, byte[]> ready = prewrapped(plan.classes());
            Stages.mark("prewrap");
            if (WholeRedefine.redefine(vm, ready)) {
                Stages.mark("redefine");
            } else {
                vm.redefineClasses(ready);
                Stages.mark("redefineByJdi");
            }
        } catch (UnsupportedOperationException e) {
            // the refused swap's companions are never linked: the code naming them is not in
            String back = plan.companions().isEmpty() ? "" : takeBack();
            throw new UserError(ErrorId.SWAP_REFUSED, "The JVM refused the swap (" + e.getMessage() + "); it still runs the old code. "
                    + "Undo the structural change, or restart the program." + back);
        } catch (LinkageError | RuntimeException e) {
            String back = plan.companions().isEmpty() ? "" : takeBack();
            throw new UserError(ErrorId.SWAP_REFUSED, "The JVM refused the new class (" + e + "); it still runs the old code." + back);
        }
        if (!plan.companions().isEmpty()) handed = plan.companions();
        frames.swapped(noted);
        plan.commit().run();
        Stages.mark("commit");
        afterSwap.accept(plan.classes().keySet());
        Stages.mark("breakpoints");
        return plan.reloaded();
    }

    private Map<ReferenceType, byte[]> prewrapped(Map<ReferenceType, byte[]> classes) {
        if (prewrap == null) return classes;
        Map<ReferenceType, byte[]> out = new java.util.LinkedHashMap<>();
        classes.forEach((t, bytes) -> {
            byte[] wrapped = null;
            try {
                wrapped = prewrap.apply(t, bytes);
            } catch (RuntimeException e) {
                // the agent wraps them, as at every load
            }
            out.put(t, wrapped != null ? wrapped : bytes);
        });
        return out;
    }

    /**
     * Defines the classes the plan adds, before the classes that use them are redefined: a call of
     * the agent's {@code Links.define} on a thread stopped at an event. Without one, a class the
     * edit adds cannot be defined (nothing changes); one that only has not been loaded yet is left
     * to its loader.
     */
    private void define(ReloadPlan plan, Set<ThreadReference> stopped) {
        if (plan.defines().isEmpty()) return;
        List<AddedMembers.NewClass> added = plan.defines().stream().filter(AddedMembers.NewClass::added).toList();
        DebuggeeCalls through = calls;
        List<ThreadReference> threads = new ArrayList<>();
        for (ThreadReference t : stopped) {
            try {
                if (t.isSuspended() && t.frameCount() > 0) threads.add(t);
            } catch (com.sun.jdi.IncompatibleThreadStateException | RuntimeException ignored) {
                // not usable
            }
        }
        String noThread = "The edit adds " + names(added) + ", and a class can be added only while a thread is stopped at a "
                + "breakpoint, a step or an exception; nothing was changed. Stop the program at a breakpoint and reload again, or "
                + "restart it.";
        if (threads.isEmpty() || through == null) {
            if (added.isEmpty()) return;
            throw new UserError(ErrorId.SWAP_REFUSED, noThread);
        }
        ClassType links = (ClassType) vm.classesByName(AddedMembers.LINKS.replace('/', '.')).get(0);
        com.sun.jdi.Method defineMethod = links.methodsByName("define").get(0);
        for (AddedMembers.NewClass c : plan.defines()) {
            String failed = null;
            boolean onlyNotCallable = true;
            for (ThreadReference thread : threads) {
                StringReference code = null;
                try {
                    code = vm.mirrorOf(asChars(c.bytes()));
                    code.disableCollection();
                    through.callStatic(thread, links, defineMethod, List.of(plan.beside().classObject(), code));
                    plan.defined().add(c.binaryName());
                    failed = null;
                    break;
                } catch (RuntimeException e) {
                    failed = e.getMessage();
                    // a thread paused by the user, or busy with a call, cannot make the call: try the next one
                    boolean notCallable = failed != null && failed.startsWith("Methods can be called only");
                    onlyNotCallable &= notCallable;
                    if (!notCallable) break;
                } finally {
                    if (code != null) code.enableCollection();
                }
            }
            if (failed == null || !c.added()) continue; // not added: its loader has it (loaded, not prepared) or reads it
            if (onlyNotCallable) throw new UserError(ErrorId.SWAP_REFUSED, noThread);
            throw new UserError(ErrorId.SWAP_REFUSED, "The JVM did not take the class " + c.binaryName().replace('$', '.') + " ("
                    + failed + "); " + (c == plan.defines().get(0) ? "nothing was changed." : "the classes before it "
                    + "were added, nothing else changed."));
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

    /** The agent's Links class and Object[], asked once a session. */
    private volatile List<ReferenceType> linksTypes;
    private volatile List<ReferenceType> objectArrays;
    /** The companions the agent was last left with by a swap the JVM took (null: none yet). */
    private Map<String, byte[]> handed;

    /**
     * What a refused swap leaves in the agent's {@code Links.companions}: those the last swap taken
     * left there. What the user is told when they could not be put back, else "".
     */
    private String takeBack() {
        try {
            if (handed != null) handOver(handed);
            return "";
        } catch (RuntimeException e) {
            return " The members the last reload added could not be given back to the agent (" + e.getMessage() + "): code of "
                    + "that reload that has not run yet may fail to reach them; restart the program if it does.";
        }
    }

    /**
     * Leaves the companions in the agent's {@code Links.companions} (no thread needed: the JVM
     * makes the strings and the array and sets the field); the redefined code links to them when
     * it first runs. Five requests for one companion: each object the JVM makes is stored at once,
     * unpinned, and made again in the rare case that the program's collector took it in between.
     */
    private void handOver(Map<String, byte[]> companions) {
        if (companions.isEmpty()) return;
        List<ReferenceType> links = linksTypes;
        List<ReferenceType> objects = objectArrays;
        if (links == null || links.isEmpty() || objects == null || objects.isEmpty()) {
            // asked once a session (neither class is ever unloaded; the agent loads Links at start)
            links = linksTypes = vm.classesByName(AddedMembers.LINKS.replace('/', '.'));
            objects = objectArrays = vm.classesByName("java.lang.Object[]");
        }
        if (links.isEmpty() || objects.isEmpty()) {
            throw new UserError(ErrorId.SWAP_REFUSED, "The agent's Links class is not loaded in the program, so the members this edit "
                    + "adds have nowhere to go; nothing was changed. Restart the program to run the edit.");
        }
        ClassType type = (ClassType) links.get(0);
        Field field = type.fieldByName("companions");
        Exception last = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            boolean pin = attempt == 3; // the last try keeps each object from the collector until it is stored
            List<ObjectReference> pinned = new ArrayList<>();
            try {
                List<Value> values = new ArrayList<>();
                for (Map.Entry<String, byte[]> c : companions.entrySet()) {
                    values.add(made(vm.mirrorOf(c.getKey()), pin, pinned));
                    values.add(made(vm.mirrorOf(asChars(c.getValue())), pin, pinned));
                }
                ArrayReference all = made(((ArrayType) objects.get(0)).newInstance(values.size()), pin, pinned);
                all.setValues(values);
                type.setValue(field, all);
                return;
            } catch (com.sun.jdi.ObjectCollectedException e) {
                last = e; // collected before it was stored: made again
            } catch (com.sun.jdi.InvalidTypeException | com.sun.jdi.ClassNotLoadedException | RuntimeException e) {
                last = e;
                break;
            } finally {
                for (ObjectReference o : pinned) {
                    try {
                        o.enableCollection();
                    } catch (RuntimeException ignored) {
                        // collected or gone: nothing to let go of
                    }
                }
            }
        }
        throw new UserError(ErrorId.SWAP_REFUSED, "Could not hand the added members to the agent (" + last + "); nothing was changed.");
    }

    private static <T extends ObjectReference> T made(T o, boolean pin, List<ObjectReference> pinned) {
        if (pin) {
            o.disableCollection();
            pinned.add(o);
        }
        return o;
    }
}
