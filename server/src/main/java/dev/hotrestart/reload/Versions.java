package dev.hotrestart.reload;

import com.sun.jdi.ReferenceType;
import dev.hotrestart.base.IdTable;
import dev.hotrestart.base.SourceLocator;
import dev.hotrestart.reload.MethodSplicer.MethodId;
import dev.hotrestart.wrap.ClassFiles;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the JVM runs now, as far as reloads changed it: the bytes of each class we redefined,
 * which of its methods were replaced, and the texts of the versions frames may still run. The
 * planner reads it, the swapper writes it after a redefinition succeeded, and the frame
 * namer reads it to show frames left on replaced code.
 */
final class Versions {
    /** A method id standing for "unknown which": a whole file was reloaded. */
    static final MethodId UNKNOWN = new MethodId(java.util.List.of(), "", java.util.List.of());

    /**
     * A loaded class's source key and the Java release it was compiled for, asked once: JDI forgets
     * both when the class is redefined, and a reload changes neither.
     */
    record Origin(String key, int release) {}

    private final ClassFiles classFiles;
    private final long sessionStart = System.currentTimeMillis();
    private final Map<ReferenceType, Origin> origins = new ConcurrentHashMap<>();
    /** What we last redefined each class with (per loaded class: two loaders' copies differ). */
    private final Map<ReferenceType, byte[]> currentBytes = new ConcurrentHashMap<>();
    private final Set<ReferenceType> redefined = ConcurrentHashMap.newKeySet();
    /** Per redefined class, the methods whose code was replaced; {@link #UNKNOWN} inside: a whole file was reloaded. */
    private final Map<ReferenceType, Set<MethodId>> replaced = new ConcurrentHashMap<>();
    /** Texts of versions that frames may still run, served by reference. */
    private final IdTable<String> oldTexts = new IdTable<>();
    private final Map<String, Integer> lastOldText = new HashMap<>();

    Versions(ClassFiles classFiles) {
        this.classFiles = classFiles;
    }

    /** When the session began: a class file written later may hold edits the JVM does not run. */
    long sessionStart() {
        return sessionStart;
    }

    Origin origin(ReferenceType type) {
        return origins.computeIfAbsent(type, t -> new Origin(SourceLocator.keyOf(t), Math.max(8, t.majorVersion() - 44)));
    }

    /**
     * The bytes the JVM runs for a class: those of our last redefinition, else its class file,
     * unless that was rebuilt since the session began (then unknown, null: the class is
     * redefined even when the new bytes equal the file's).
     */
    byte[] bytesOf(ReferenceType type) {
        byte[] b = currentBytes.get(type);
        return b != null ? b : classFiles.readIfOlderThan(type.name(), sessionStart);
    }

    /**
     * Whether frames of this class can run obsolete code: only classes we redefined. Asking
     * JDI's Method.isObsolete costs a round trip to the JVM, too much for every frame of a stack.
     */
    boolean mayRunObsoleteCode(ReferenceType type) {
        return redefined.contains(type);
    }

    Set<MethodId> replacedIn(ReferenceType type) {
        return replaced.get(type);
    }

    /** The JVM now runs {@code bytes} for {@code type}; {@code method} is the one replaced, or {@link #UNKNOWN}. */
    void swapped(ReferenceType type, byte[] bytes, MethodId method) {
        currentBytes.put(type, bytes);
        redefined.add(type);
        replaced.computeIfAbsent(type, k -> ConcurrentHashMap.newKeySet()).add(method);
    }

    /** A file's text that a reload replaced: frames may go on running it. */
    void textReplaced(String key, String oldText) {
        lastOldText.put(key, oldTexts.id(oldText));
    }

    int textRef(String text) {
        return oldTexts.id(text);
    }

    /** The text of an older version of a file, by reference. */
    String text(int ref) {
        return oldTexts.get(ref);
    }

    /** The reference of the version before the last reload of a file, or 0. */
    int previousText(String key) {
        return lastOldText.getOrDefault(key, 0);
    }
}
