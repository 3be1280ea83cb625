package dev.hotrestart.session;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads, for many objects at once, what showing them needs: each object's class, a string's
 * text, an array's length (JDI keeps these) and a box's value (returned). JDI asks the JVM one
 * object at a time and waits for each answer; here several requests are in flight together,
 * so the JVM answers them back to back instead of one round trip each. A page of 100 boxed
 * elements took 200 round trips in a row.
 */
final class ObjectFacts {
    static final Set<String> BOXES = Set.of("java.lang.Integer", "java.lang.Long", "java.lang.Short",
            "java.lang.Byte", "java.lang.Character", "java.lang.Boolean", "java.lang.Float", "java.lang.Double");

    /** Requests in flight at once: more stops helping once the JVM's JDWP thread is always busy. */
    private static final int IN_FLIGHT = 8;
    static final int MIN_BATCH = 4;
    private static final ExecutorService READERS = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
        Thread t = new Thread(r, "jdi-reads");
        t.setDaemon(true);
        return t;
    });

    private ObjectFacts() {}

    /** The values of the boxes among {@code values}; fills JDI's caches for the rest. */
    static Map<ObjectReference, Value> read(List<? extends Value> values) {
        List<ObjectReference> objects = new ArrayList<>();
        for (Value v : values) if (v instanceof ObjectReference o) objects.add(o);
        Map<ObjectReference, Value> boxes = new HashMap<>();
        if (objects.size() < MIN_BATCH) return boxes;
        List<Future<Value>> pending = new ArrayList<>(objects.size());
        for (ObjectReference o : objects) pending.add(READERS.submit(() -> readOne(o)));
        for (int i = 0; i < objects.size(); i++) {
            try {
                Value box = pending.get(i).get();
                if (box != null) boxes.put(objects.get(i), box);
            } catch (Exception e) {
                // collected, disconnected, interrupted: the caller asks again and reports it
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            }
        }
        return boxes;
    }

    private static Value readOne(ObjectReference o) {
        ReferenceType type = o.referenceType();
        if (o instanceof StringReference s) {
            s.value();
        } else if (o instanceof ArrayReference a) {
            a.length();
        } else if (type instanceof ClassType && BOXES.contains(type.name())) {
            Field f = type.fieldByName("value");
            if (f != null) return o.getValue(f);
        }
        return null;
    }
}
