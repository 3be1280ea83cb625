package dev.hotrestart.base;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Maps values to the positive int32 ids DAP uses. JDI's ids are 64-bit, so they are never
 * cast: each value gets the next free number, and the same value keeps its number.
 */
public final class IdTable<T> {
    private final Map<Integer, T> byId = new HashMap<>();
    private final Map<T, Integer> byValue = new HashMap<>();
    private int next = 1;

    public synchronized int id(T value) {
        Integer id = byValue.get(value);
        if (id == null) {
            id = next;
            next = next == Integer.MAX_VALUE ? 1 : next + 1;
            byId.put(id, value);
            byValue.put(value, id);
        }
        return id;
    }

    public synchronized T get(int id) {
        return byId.get(id);
    }

    public synchronized void removeIf(Predicate<T> which) {
        byId.values().removeIf(which);
        byValue.keySet().removeIf(which);
    }

    /** The values that have ids now. */
    public synchronized java.util.List<T> values() {
        return new java.util.ArrayList<>(byId.values());
    }

    public synchronized void clear() {
        byId.clear();
        byValue.clear();
    }
}
