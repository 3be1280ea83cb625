package dev.hotrestart.reload;

import com.sun.jdi.ReferenceType;
import dev.hotrestart.reload.MethodSplicer.MethodId;

import java.util.List;
import java.util.Map;

/**
 * A reload, compiled and checked, not yet applied: the classes to redefine with their new bytes,
 * the qualified names of what changes, warnings for the user, and what becomes current once the
 * JVM took it. {@code only}: the one method a method-scope reload replaces, else null;
 * {@code edited}: the method as the edited file declares it, where it can be named.
 * {@code companions}: what the agent is handed before the redefinition (see {@link AddedMembers}), or empty;
 * {@code defines}: classes to define first, in the loader and package of {@code beside}; {@code defined}
 * collects the names of those the swap defined.
 */
public record ReloadPlan(Map<ReferenceType, byte[]> classes, Map<String, byte[]> companions, List<AddedMembers.NewClass> defines,
                         ReferenceType beside, java.util.Set<String> defined, List<String> reloaded, List<String> warnings,
                         Runnable commit, MethodId only, MethodSplicer.Found edited) {}
