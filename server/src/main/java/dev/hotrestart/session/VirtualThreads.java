package dev.hotrestart.session;

import com.sun.jdi.Field;
import com.sun.jdi.LongValue;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;

/**
 * Virtual threads (Java 21+) as the JDI of Java 17 sees them: a thread whose class is
 * {@code java.lang.VirtualThread}. They have no name unless the program gives one, so they are
 * shown as Java prints them, by number, with the platform thread that carries them.
 */
final class VirtualThreads {
    static final String CLASS = "java.lang.VirtualThread";

    private VirtualThreads() {}

    static boolean isVirtual(ThreadReference t) {
        return t.referenceType().name().equals(CLASS);
    }

    /** {@code name (virtual #22 on ForkJoinPool-1-worker-1)}, or without the name, or "unmounted" when no carrier runs it. */
    static String label(ThreadReference t) {
        String name = t.name();
        StringBuilder b = new StringBuilder();
        if (name != null && !name.isEmpty()) b.append(name).append(" (virtual");
        else b.append("virtual thread");
        Value tid = read(t, "tid");
        if (tid instanceof LongValue id) b.append(" #").append(id.value());
        Value carrier = read(t, "carrierThread");
        if (carrier instanceof ThreadReference c) {
            b.append(" on ").append(c.name());
        } else {
            b.append(", unmounted");
        }
        if (name != null && !name.isEmpty()) b.append(')');
        return b.toString();
    }

    private static Value read(ThreadReference t, String field) {
        try {
            ReferenceType type = t.referenceType();
            Field f = type.fieldByName(field);
            return f == null ? null : t.getValue(f);
        } catch (ObjectCollectedException | IllegalArgumentException e) {
            return null;
        }
    }
}
