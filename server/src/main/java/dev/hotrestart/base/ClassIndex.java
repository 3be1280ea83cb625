package dev.hotrestart.base;

import com.sun.jdi.ArrayType;
import com.sun.jdi.ReferenceType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loaded classes by source key, so a breakpoint in a file finds every class compiled from
 * it (nested, anonymous, local, lambdas) without scanning all loaded classes each time.
 */
public final class ClassIndex {
    private final Map<String, List<ReferenceType>> byKey = new HashMap<>();

    public synchronized void add(ReferenceType type) {
        if (type instanceof ArrayType) return;
        String key = SourceLocator.keyOf(type);
        if (key == null) return;
        List<ReferenceType> list = byKey.computeIfAbsent(key, k -> new ArrayList<>());
        if (!list.contains(type)) list.add(type);
    }

    public synchronized List<ReferenceType> typesOf(String key) {
        List<ReferenceType> list = byKey.get(key);
        return list == null ? Collections.emptyList() : new ArrayList<>(list);
    }
}
