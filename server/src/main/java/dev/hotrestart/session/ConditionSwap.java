package dev.hotrestart.session;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import dev.hotrestart.base.ClassIndex;
import dev.hotrestart.base.SourceLocator;
import dev.hotrestart.base.UserError;
import dev.hotrestart.reload.ReloadCycle;
import dev.hotrestart.reload.ReloadPlan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts the wanted conditions into a file's classes, or takes them out: the classes are compiled
 * from the text the JVM runs, then, with every thread suspended, swapped in, unless a thread is
 * inside a method whose code would change. Such a frame would go on running the old code, where
 * the JVM has dropped the breakpoints, and miss hits; the condition is then evaluated by the
 * debugger, as before.
 */
final class ConditionSwap implements CompiledConditions.Applier {
    private final VirtualMachine vm;
    private final ReloadCycle reloads;
    private final ClassIndex index;

    ConditionSwap(VirtualMachine vm, ReloadCycle reloads, ClassIndex index) {
        this.vm = vm;
        this.reloads = reloads;
        this.index = index;
    }

    @Override
    public String apply(ReferenceType anchor, Set<Integer> lines) {
        List<ReferenceType> types = index.typesOf(SourceLocator.keyOf(anchor));
        // asked first as well, so a breakpoint set again while its method runs costs no compile
        vm.suspend();
        try {
            String running = running(types, lines);
            if (running != null) return running;
        } finally {
            vm.resume();
        }
        ReloadPlan plan;
        try {
            plan = reloads.planner().planConditions(anchor);
        } catch (UserError e) {
            return trimmed(e.getMessage());
        }
        vm.suspend();
        try {
            String running = running(types, lines);
            if (running != null) return running;
            reloads.swapper().apply(plan, Map.of());
            return null;
        } catch (UserError e) {
            return trimmed(e.getMessage());
        } finally {
            vm.resume();
        }
    }

    /** Which thread runs a method of these classes with code at one of the lines, said for the breakpoint; null for none. */
    private String running(List<ReferenceType> types, Set<Integer> lines) {
        for (ThreadReference t : vm.allThreads()) {
            List<StackFrame> frames;
            try {
                frames = t.frames();
            } catch (IncompatibleThreadStateException | RuntimeException e) {
                continue; // not started or gone
            }
            for (StackFrame f : frames) {
                Method m = f.location().method();
                if (!types.contains(m.declaringType())) continue;
                for (int line : lines) {
                    try {
                        if (!m.locationsOfLine(line).isEmpty()) {
                            return "thread '" + t.name() + "' is inside " + m.declaringType().name() + "." + m.name()
                                    + ", which would go on running the code without the condition (set it again once the call has returned)";
                        }
                    } catch (AbsentInformationException ignored) {
                        // no line table: no breakpoint there either
                    }
                }
            }
        }
        return null;
    }

    private static String trimmed(String s) {
        if (s == null) return "the reload pipeline refused it";
        String t = s.strip();
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
