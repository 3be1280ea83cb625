package dev.hotrestart.reload;

import com.sun.jdi.ReferenceType;
import dev.hotrestart.base.SourceLocator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The source each loaded class was compiled from: the file as it was when its first class
 * was prepared, then the text each reload produced. Method-scope reloads splice the edited
 * method into this text, so other half-finished edits in the file stay out.
 */
public final class SourceSnapshots {
    /** The text the loaded classes of one file were compiled from, and the line shifts applied. */
    public static final class Snapshot {
        public final Path path;
        public String text;
        /** Methods whose line table was shifted to the edited file's lines, by source key of the method. */
        public final Map<String, Integer> lineShifts = new HashMap<>();
        /** When the file had been saved as read, in epoch ms (-1 unknown); cleared by the first reload. */
        long savedAt;
        /**
         * Where a method lies in a text: the one the last reload edited in place, or the last one a
         * parse looked for (practice too). Kept for {@link #text}, so the next reload of it needs no parse.
         */
        volatile Placed placed;

        record Placed(MethodSplicer.MethodId id, MethodSplicer.Found found, String in) {}
        /** Where the method bodies of a text are (see StubbedCompile), kept for {@link #text} so a reload needs no parse for them. */
        volatile Bodies bodies;

        /** The offsets of the braces of each method body in {@code text}. */
        record Bodies(String text, java.util.List<int[]> braces) {}

        Snapshot(Path path, String text, long savedAt) {
            this.path = path;
            this.text = text;
            this.savedAt = savedAt;
        }
    }

    private final SourceLocator sources;
    private final Map<String, Snapshot> byKey = new HashMap<>();

    public SourceSnapshots(SourceLocator sources) {
        this.sources = sources;
    }

    public synchronized void classPrepared(ReferenceType type) {
        String key = SourceLocator.keyOf(type);
        if (key == null || byKey.containsKey(key)) return;
        Path p = sources.find(key);
        if (p == null) return;
        try {
            long savedAt = Files.getLastModifiedTime(p).toMillis();
            byKey.put(key, new Snapshot(p, Files.readString(p, StandardCharsets.UTF_8), savedAt));
        } catch (IOException ignored) {
            // unreadable: no snapshot, reloads of it compile the file as it is
        }
    }

    public synchronized Snapshot get(String key) {
        return byKey.get(key);
    }
}
