package dev.hotrestart.reload;

import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import dev.hotrestart.base.ClassIndex;
import dev.hotrestart.base.SourceLocator;
import dev.hotrestart.wrap.ClassFiles;
import dev.hotrestart.wrap.WrapRules;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The reload cycle of one session, and where to start reading it. A reload is planned by
 * {@link ReloadPlanner} (read the edit, splice, compile, check the structure; nothing changes),
 * applied by {@link ClassSwapper} (redefine, set breakpoints again), and for a restart wrapped by
 * {@link Restarter} (check, reload, pop). {@link ReplacedFrames} names the frames left on replaced
 * code; {@link Rehearsal} warms the cycle up and practises it while the user edits.
 */
public record ReloadCycle(ReloadPlanner planner, ClassSwapper swapper, Restarter restarter, ReplacedFrames frames,
                          Rehearsal rehearsal) {

    /**
     * {@code afterSwap} is told the classes each swap redefined (their breakpoints are set again);
     * {@code javaHome}: the JDK whose javac compiles for the debuggee; {@code agentWraps}: the
     * agent wraps the methods the rules name (a restart of one re-calls it with its original arguments).
     */
    public static ReloadCycle of(VirtualMachine vm, SourceLocator sources, SourceSnapshots snapshots, ClassFiles classFiles,
                                 List<Path> classPath, Path javaHome, ClassIndex index, WrapRules wrapRules,
                                 Consumer<Set<ReferenceType>> afterSwap, boolean agentWraps) {
        Versions versions = new Versions(classFiles);
        Compilers compilers = new Compilers(classPath, javaHome);
        Rehearsal[] rehearsal = new Rehearsal[1]; // the planner pauses practice, which plans with the planner
        ReloadPlanner planner = new ReloadPlanner(vm, sources, snapshots, classFiles, index, versions, compilers,
                () -> rehearsal[0].threadResumed(), m -> agentWraps && wrapRules.isWrapped(m), new AddedMembers());
        rehearsal[0] = new Rehearsal(planner, compilers, versions, snapshots, !agentWraps ? null : type -> {
            try {
                byte[] bytes = planner.runningBytes(type);
                if (bytes != null) wrapRules.prewrapped(type, bytes);
            } catch (RuntimeException e) {
                // the swap leaves such a class to the agent
            }
        });
        ReplacedFrames frames = new ReplacedFrames(vm, versions, snapshots);
        ClassSwapper swapper = new ClassSwapper(vm, frames, afterSwap, agentWraps ? wrapRules::prewrapped : null);
        return new ReloadCycle(planner, swapper, new Restarter(planner, swapper, wrapRules), frames, rehearsal[0]);
    }

    /** The bytes the JVM runs for a class as far as reloads know: the escape detector reads them. */
    public byte[] bytesOf(ReferenceType type) {
        return planner.runningBytes(type);
    }
}
