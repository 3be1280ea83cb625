package dev.hotrestart.eval;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.Location;
import com.sun.jdi.StackFrame;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The locals a breakpoint's expressions name, looked up once per code location. A condition
 * then reads them all with the frame's first use, in one round trip, instead of one each.
 */
public final class LocalsAhead {
    private final Set<String> names;
    private final Map<Location, Map<String, LocalVariable>> byLocation = new ConcurrentHashMap<>();

    public LocalsAhead(Set<String> names) {
        this.names = names;
    }

    Map<String, LocalVariable> at(StackFrame f) {
        return byLocation.computeIfAbsent(f.location(), loc -> {
            Map<String, LocalVariable> out = new HashMap<>();
            try {
                for (LocalVariable lv : f.visibleVariables()) if (names.contains(lv.name())) out.put(lv.name(), lv);
            } catch (AbsentInformationException e) {
                // compiled without -g: no locals to read ahead
            }
            return out;
        });
    }
}
