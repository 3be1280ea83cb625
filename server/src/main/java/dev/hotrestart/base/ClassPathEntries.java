package dev.hotrestart.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Which entry of a class path (a folder or a jar) holds a class file. A jar's class file names are
 * read once per instance and kept, so that asking again for other classes costs a set lookup.
 */
public final class ClassPathEntries {
    private final Map<Path, Set<String>> classesByJar = new ConcurrentHashMap<>();

    /** The first entry of {@code classPath} that holds {@code entry} ({@code a/b/C.class}); null when none does. Jars' names are kept for the next question. */
    public Path holder(List<Path> classPath, String entry) {
        return find(classPath, entry, jar -> classesOf(jar).contains(entry));
    }

    /** As {@link #holder}, for one question: each jar is asked for the entry alone, and nothing is kept. */
    public static Path holderOnce(List<Path> classPath, String entry) {
        return find(classPath, entry, jar -> {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                return zip.getEntry(entry) != null;
            } catch (IOException | RuntimeException e) {
                return false; // not a jar
            }
        });
    }

    private static Path find(List<Path> classPath, String entry, java.util.function.Predicate<Path> jarHolds) {
        for (Path p : classPath) {
            if (Files.isDirectory(p)) {
                if (Files.isRegularFile(p.resolve(entry))) return p;
            } else if (Files.isRegularFile(p) && jarHolds.test(p)) {
                return p;
            }
        }
        return null;
    }

    private Set<String> classesOf(Path jar) {
        return classesByJar.computeIfAbsent(jar, j -> {
            Set<String> out = new HashSet<>();
            eachEntry(j, e -> {
                if (e.getName().endsWith(".class")) out.add(e.getName());
            });
            return out;
        });
    }

    /** Each entry of a zip archive; none when it is not one or cannot be read. */
    public static void eachEntry(Path archive, Consumer<ZipEntry> each) {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            zip.stream().forEach(each);
        } catch (IOException | RuntimeException ignored) {
            // not an archive, or unreadable: nothing in it
        }
    }
}
