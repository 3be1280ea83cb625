package dev.hotrestart.session;

import dev.hotrestart.base.BinaryNames;
import com.sun.jdi.ArrayType;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequestManager;
import dev.hotrestart.jvm.Requests;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The classes a user names in a function or data breakpoint: fully qualified
 * ({@code com.acme.Cart}), simple ({@code Cart}) or partly qualified ({@code Cart.Line}), nested
 * classes with {@code .} or {@code $}. A name that is not the whole name of a loaded class must
 * fit exactly one loaded class by its end.
 */
final class ClassNames {
    private ClassNames() {}

    /** The loaded classes a name finds (one per class loader that loaded it), or why it finds none it can use. */
    record Found(List<ReferenceType> types, String problem) {}

    static Found loaded(VirtualMachine vm, String written) {
        List<ReferenceType> out = new ArrayList<>();
        for (String binary : BinaryNames.of(written)) out.addAll(vm.classesByName(binary));
        if (!out.isEmpty()) return new Found(out, null);
        // JDI keeps the list of loaded classes up to date once it has it: a scan, not a round trip
        Set<String> names = new TreeSet<>();
        for (ReferenceType t : vm.allClasses()) {
            if (!(t instanceof ArrayType) && BinaryNames.names(written, t.name())) {
                out.add(t);
                names.add(t.name());
            }
        }
        if (names.size() > 1) {
            return new Found(List.of(), "'" + written + "' could be any of " + String.join(", ", names) + ": write the one you mean in full.");
        }
        return new Found(out, null);
    }

    /**
     * A request that holds the loading thread of each class that may be the one named (a
     * class filter on the name's last part), so a breakpoint is in place before the class runs.
     * Whether it is the one is for the caller to check with {@link #names}.
     */
    static ClassPrepareRequest awaitLoading(EventRequestManager erm, String written) {
        ClassPrepareRequest r = erm.createClassPrepareRequest();
        r.addClassFilter("*" + FunctionName.simple(written));
        return Requests.suspendingThread(r, null);
    }
}
