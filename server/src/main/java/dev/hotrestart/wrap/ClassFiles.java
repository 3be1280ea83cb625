package dev.hotrestart.wrap;

import dev.hotrestart.base.ClassPathEntries;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/** Reads class files from a class path (folders and jars), as the debuggee loaded them. */
public final class ClassFiles {
    private final List<Path> classPath;
    private final Map<Path, JarFile> jars = new HashMap<>();

    public ClassFiles(List<Path> classPath) {
        this.classPath = classPath;
    }

    public List<Path> classPath() {
        return classPath;
    }

    /** The bytes of a class by binary name (com.acme.Outer$Inner), or null when not on the path. */
    public synchronized byte[] read(String className) {
        return read(className, Long.MAX_VALUE);
    }

    /**
     * The bytes of a class as long as the file they come from (the class file, or its jar) was
     * written before the given time (epoch ms): a file rebuilt while the program runs no longer
     * tells what the JVM loaded. Null when it was, or when the class is not on the path.
     */
    public synchronized byte[] readIfOlderThan(String className, long epochMillis) {
        return read(className, epochMillis);
    }

    private byte[] read(String className, long writtenBefore) {
        Located at = locate(className);
        if (at == null) return null;
        try {
            if (writtenBefore != Long.MAX_VALUE && at.modified() >= writtenBefore) return null;
            if (at.jar() == null) return Files.readAllBytes(at.file());
            try (InputStream in = at.jar().getInputStream(at.entry())) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** When the class file (or the jar that holds it) was last written, in epoch ms; -1 when it is not on the path. */
    public synchronized long modified(String className) {
        Located at = locate(className);
        try {
            return at == null ? -1 : at.modified();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A class file on the path: the file itself, or the jar (kept open) and its entry. */
    private record Located(Path file, JarFile jar, ZipEntry entry) {
        long modified() throws IOException {
            return Files.getLastModifiedTime(file).toMillis();
        }
    }

    private Located locate(String className) {
        String entry = className.replace('.', '/') + ".class";
        for (Path p : classPath) {
            try {
                if (Files.isDirectory(p)) {
                    Path f = p.resolve(entry);
                    if (Files.isRegularFile(f)) return new Located(f, null, null);
                } else if (Files.isRegularFile(p)) {
                    JarFile jar = jars.get(p);
                    if (jar == null) {
                        jar = new JarFile(p.toFile());
                        jars.put(p, jar);
                    }
                    ZipEntry e = jar.getEntry(entry);
                    if (e != null) return new Located(p, jar, e);
                }
            } catch (IOException ignored) {
                // unreadable: try the next
            }
        }
        return null;
    }

    /** Where a class is found on a class path, or null. */
    public static Path find(List<Path> classPath, String className) {
        return ClassPathEntries.holderOnce(classPath, className.replace('.', '/') + ".class");
    }
}
