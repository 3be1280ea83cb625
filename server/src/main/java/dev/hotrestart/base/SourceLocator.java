package dev.hotrestart.base;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.ReferenceType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connects classes and source files through a "source key": the package folder plus the
 * source file name, e.g. {@code com/acme/Service.java}. A class gives its key from its name
 * and SourceFile attribute; a file gives its key from its package declaration.
 */
public final class SourceLocator {
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    private final List<Path> sourcePaths;
    private final ConcurrentHashMap<String, Path> found = new ConcurrentHashMap<>();

    public SourceLocator(List<Path> sourcePaths) {
        this.sourcePaths = sourcePaths;
    }

    public List<Path> sourcePaths() {
        return sourcePaths;
    }

    /** The key of a loaded class, or null when it has no source file name. */
    public static String keyOf(ReferenceType type) {
        String sourceName;
        try {
            sourceName = type.sourceName();
        } catch (AbsentInformationException e) {
            return null;
        }
        return packageFolder(type.name()) + sourceName;
    }

    public static String packageFolder(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot).replace('.', '/') + "/";
    }

    /** The key of a source file on disk: its package declaration plus its name. */
    public static String keyOf(Path file) {
        String pkg = "";
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            // ignore comments before the package line
            String stripped = text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
            Matcher m = PACKAGE.matcher(stripped);
            if (m.find()) pkg = m.group(1).replace('.', '/') + "/";
        } catch (IOException e) {
            // fall back to no package
        }
        return pkg + file.getFileName();
    }

    /** The file under sourcePaths for a key, or null. */
    public Path find(String key) {
        if (key == null) return null;
        Path hit = found.get(key);
        if (hit != null && Files.isRegularFile(hit)) return hit;
        for (Path root : sourcePaths) {
            Path p = root.resolve(key);
            if (Files.isRegularFile(p)) {
                found.put(key, p);
                return p;
            }
        }
        return null;
    }

    /**
     * The key of a file a client names: from its package line, or, when it cannot be read now
     * (deleted or moved since), the key it had when this session found it.
     */
    public String keyOfFile(Path file) {
        if (!Files.isReadable(file)) {
            Path p = file.toAbsolutePath().normalize();
            for (var e : found.entrySet()) if (e.getValue().toAbsolutePath().normalize().equals(p)) return e.getKey();
        }
        return keyOf(file);
    }

    /** Where the file for a key was found earlier in the session, whether or not it is still there; null when never. */
    public Path lastKnown(String key) {
        return key == null ? null : found.get(key);
    }

    /** Remembers where a file the client named lives, so classes of it find it too; never a library's or the JDK's source (read-only). */
    public void remember(String key, Path file) {
        if (ArchiveSources.isCopy(file)) return;
        found.put(key, file);
    }

    private volatile ArchiveSources archives;

    /** The sources of the classes that are not the program's own (libraries, the JDK), once the JVM is known; null before. */
    public ArchiveSources archives() {
        return archives;
    }

    public void archives(ArchiveSources a) {
        this.archives = a;
    }
}
