package dev.hotrestart.base;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The sources of classes the program runs that are not its own: a library class's from the
 * {@code -sources.jar} beside the jar on the class path that holds it (as Maven keeps them in the
 * local repository: {@code guava-33.0.jar}, {@code guava-33.0-sources.jar}), a JDK class's from the
 * JDK's {@code lib/src.zip}, taken only when that JDK is the one the program runs on (another
 * version's lines would be wrong). Each source shown is copied once into the cache folder, so an
 * editor can open it as a file and set breakpoints in it, and gets a reference number for DAP's
 * {@code source} request. These sources are read-only: a reload never takes them.
 */
public final class ArchiveSources {
    /** Reference numbers of these sources start here, above the reload's older-version texts. */
    public static final int FIRST_REF = 1 << 24;

    /** A source found in an archive: its key, the copy an editor opens, its reference, and where it comes from. */
    public record Found(String key, Path file, int ref, String origin) {}

    private final List<Path> classPath;
    private final Path jdkSources;
    private final String jdkOrigin;
    /** Why a JDK class has no source here, or null when the JDK's sources are found. */
    private final String jdkMissing;
    private final Path copies;
    private final Map<String, Optional<Found>> byKey = new ConcurrentHashMap<>();
    private final Map<Integer, Found> byRef = new ConcurrentHashMap<>();
    /** Per archive: its entries by source key, read once. */
    private final Map<Path, Map<String, String>> entries = new ConcurrentHashMap<>();
    private int nextRef = FIRST_REF;

    /** Fetches a library's sources jar by Maven coordinates ({@code group:artifact:version}); throws a UserError that says why not. */
    public interface Fetcher {
        void fetch(String coordinates);
    }

    /** Told when a fetch ended: the coordinates, and why it failed (null: the sources are there now). */
    public interface Fetched {
        void fetched(String coordinates, String failure);
    }

    private volatile Fetcher fetcher;
    private volatile Fetched fetched = (c, f) -> { };
    private final java.util.Set<String> asked = ConcurrentHashMap.newKeySet();

    /** Missing library sources are fetched with {@code f} ("fetchSources"), one at a time in the background. */
    public void fetchWith(Fetcher f, Fetched done) {
        this.fetcher = f;
        this.fetched = done;
    }

    /**
     * {@code javaHome}: the JDK the program was started with, as far as the adapter knows it;
     * {@code jvmVersion}: the version the JVM reports, which that JDK's must equal.
     */
    public ArchiveSources(List<Path> classPath, Path javaHome, String jvmVersion) {
        this(classPath, javaHome, jvmVersion, COPIES);
    }

    ArchiveSources(List<Path> classPath, Path javaHome, String jvmVersion, Path copies) {
        this.classPath = classPath;
        this.copies = copies;
        Path zip = javaHome == null ? null : javaHome.resolve("lib").resolve("src.zip");
        String version = javaHome == null ? null : releaseVersion(javaHome);
        if (zip == null || !Files.isRegularFile(zip)) {
            jdkSources = null;
            jdkOrigin = null;
            jdkMissing = javaHome == null ? "the program's JDK is not known here"
                    : "the JDK at " + javaHome + " has no lib/src.zip (on Debian and Ubuntu it comes with the openjdk-NN-source package)";
        } else if (version == null || jvmVersion == null || !version.equals(jvmVersion)) {
            jdkSources = null;
            jdkOrigin = null;
            jdkMissing = version == null ? "the JDK at " + javaHome + " does not say its version (no JAVA_VERSION in its release file)"
                    : "the program runs on Java " + jvmVersion + ", and the JDK here whose sources there are (" + javaHome
                    + ") is " + version + " (set 'javaHome' to the program's JDK)";
        } else {
            jdkSources = zip;
            jdkOrigin = "JDK " + version + " lib/src.zip";
            jdkMissing = null;
        }
    }

    /** The folder the copies go in: the cache folder's, else one in the temp folder. */
    public static Path copiesFolder() {
        Path cache = CacheFolder.path();
        if (cache != null) {
            Path p = cache.resolve("sources");
            try {
                Files.createDirectories(p);
                if (Files.isWritable(p)) return p;
            } catch (IOException | RuntimeException e) {
                // not writable: the temp folder
            }
        }
        try {
            return Files.createTempDirectory("hotrestart-sources-");
        } catch (IOException e) {
            return Path.of(System.getProperty("java.io.tmpdir"));
        }
    }

    /** Whether a path is one of the copies, of this session or an earlier one (read-only sources: never reloaded). */
    public static boolean isCopy(Path file) {
        return file != null && file.toAbsolutePath().normalize().startsWith(COPIES.toAbsolutePath().normalize());
    }

    private static final Path COPIES = copiesFolder();

    /**
     * The source of the key (e.g. {@code com/google/common/base/Strings.java}) for the class
     * {@code className}, which the program runs; null when there is none.
     */
    public Found find(String className, String key) {
        if (key == null) return null;
        return byKey.computeIfAbsent(key, k -> Optional.ofNullable(look(className, k))).orElse(null);
    }

    /** A source found before, by its reference number; null for another number. */
    public Found byRef(int ref) {
        return byRef.get(ref);
    }

    /** Why the class (not on the class path: the JDK's) has no source here; null when it is on the class path or the JDK's sources are there. */
    public String jdkMissing(String className) {
        return jdkMissing == null || holder(className) != null ? null : jdkMissing;
    }

    /** The text of a source found before. */
    public String text(Found f) throws IOException {
        return Files.readString(f.file(), StandardCharsets.UTF_8);
    }

    private Found look(String className, String key) {
        Path jar = className == null ? null : holder(className);
        if (jar != null && !Files.isRegularFile(jar)) return null; // the program's own classes, in a folder
        if (jar != null) {
            Path sources = besideJar(jar);
            String coordinates = sources == null ? coordinatesByJar.computeIfAbsent(jar, j -> Optional.ofNullable(coordinates(j))).orElse(null) : null;
            if (sources == null && coordinates != null) sources = inLocalRepository(coordinates);
            if (sources == null && coordinates != null && fetcher != null) fetchLater(coordinates);
            if (sources != null) {
                String entry = entriesOf(sources).get(key);
                if (entry != null) return copy(sources, entry, key, sources.getFileName().toString());
            }
            return null; // a library class whose sources are not there: not the JDK's
        }
        if (jdkSources == null) return null;
        String entry = entriesOf(jdkSources).get(key);
        return entry == null ? null : copy(jdkSources, entry, key, jdkOrigin);
    }

    /** The entry of the class path that holds the class (a jar or a folder); null when it is not there (the JDK's). */
    private Path holder(String className) {
        String top = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
        return classFiles.holder(classPath, top.replace('.', '/') + ".class");
    }

    private final ClassPathEntries classFiles = new ClassPathEntries();
    private final Map<Path, Optional<String>> coordinatesByJar = new ConcurrentHashMap<>();

    /**
     * The jar's Maven coordinates (group:artifact:version): from the one pom.properties in it, else
     * from where it is in the local Maven repository ({@code org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar});
     * null when neither says.
     */
    static String coordinates(Path jar) {
        String inside = fromPomProperties(jar);
        if (inside != null) return inside;
        Path repo = localRepository();
        Path abs = jar.toAbsolutePath().normalize();
        if (repo == null || !abs.startsWith(repo)) return null;
        Path rel = repo.relativize(abs);
        int n = rel.getNameCount();
        if (n < 4) return null;
        String a = rel.getName(n - 3).toString(), v = rel.getName(n - 2).toString();
        if (!rel.getName(n - 1).toString().equals(a + "-" + v + ".jar")) return null;
        return rel.subpath(0, n - 3).toString().replace(java.io.File.separatorChar, '.') + ":" + a + ":" + v;
    }

    /** ~/.m2/repository, or null. */
    static Path localRepository() {
        String home = System.getProperty("user.home");
        return home == null ? null : Path.of(home, ".m2", "repository").toAbsolutePath().normalize();
    }

    private static String fromPomProperties(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            String found = null;
            for (var it = j.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                if (!e.getName().startsWith("META-INF/maven/") || !e.getName().endsWith("/pom.properties")) continue;
                if (found != null) return null; // a jar of several artifacts (shaded): which sources are its own is unknown
                java.util.Properties p = new java.util.Properties();
                try (InputStream in = j.getInputStream(e)) {
                    p.load(in);
                }
                String g = p.getProperty("groupId"), a = p.getProperty("artifactId"), v = p.getProperty("version");
                if (g == null || a == null || v == null) return null;
                found = g + ":" + a + ":" + v;
            }
            return found;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The sources jar of these coordinates in the local Maven repository ({@code ~/.m2/repository}), when it is there. */
    static Path inLocalRepository(String coordinates) {
        String[] gav = coordinates.split(":");
        Path repo = localRepository();
        if (gav.length != 3 || repo == null) return null;
        Path p = repo.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
                .resolve(gav[1] + "-" + gav[2] + "-sources.jar");
        return Files.isRegularFile(p) ? p : null;
    }

    private final java.util.concurrent.ExecutorService fetching = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sources-fetch");
        t.setDaemon(true);
        return t;
    });

    /** Fetches the sources once per coordinates, in the background; the sources not found so far are looked for again after. */
    private void fetchLater(String coordinates) {
        if (!asked.add(coordinates)) return;
        fetching.submit(() -> {
            String failure = null;
            try {
                fetcher.fetch(coordinates);
                if (inLocalRepository(coordinates) == null) {
                    failure = "Maven says it fetched them, but they are not in " + localRepository()
                            + " (a local repository set elsewhere, in settings.xml, is not looked in)";
                }
            } catch (RuntimeException e) {
                failure = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            byKey.values().removeIf(java.util.Optional::isEmpty);
            fetched.fetched(coordinates, failure);
        });
    }

    /** {@code x-1.0-sources.jar} beside {@code x-1.0.jar}, when it is there. */
    static Path besideJar(Path jar) {
        String name = jar.getFileName().toString();
        if (!name.endsWith(".jar")) return null;
        Path sources = jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + "-sources.jar");
        return Files.isRegularFile(sources) ? sources : null;
    }

    /** The archive's .java entries by source key; a JDK's {@code java.base/java/lang/Integer.java} is {@code java/lang/Integer.java}. */
    private Map<String, String> entriesOf(Path archive) {
        return entries.computeIfAbsent(archive, a -> {
            Map<String, String> out = new HashMap<>();
            ClassPathEntries.eachEntry(a, e -> {
                String name = e.getName();
                if (e.isDirectory() || !name.endsWith(".java")) return;
                int slash = name.indexOf('/');
                // a first folder with a dot is a module's (package folders have none)
                String key = slash > 0 && name.substring(0, slash).contains(".") ? name.substring(slash + 1) : name;
                out.putIfAbsent(key, name);
            });
            return out;
        });
    }

    /** Copies the entry into the copies folder once (a folder per archive, its name, size and time), and numbers it. */
    private synchronized Found copy(Path archive, String entry, String key, String origin) {
        try {
            long size = Files.size(archive), time = Files.getLastModifiedTime(archive).toMillis();
            String folder = archive.getFileName() + "-" + Long.toHexString((archive.toAbsolutePath() + "|" + size + "|" + time).hashCode() & 0xffffffffL);
            Path base = copies.resolve(folder).toAbsolutePath().normalize();
            Path file = base.resolve(key).normalize();
            if (!file.startsWith(base) || !key.endsWith(".java")) return null; // a key that would lead out of the folder
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(file.getParent());
                try (ZipFile zip = new ZipFile(archive.toFile())) {
                    ZipEntry e = zip.getEntry(entry);
                    if (e == null) return null;
                    Path part = Files.createTempFile(file.getParent(), ".part", ".java");
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                file.toFile().setReadOnly();
            }
            Found f = new Found(key, file, nextRef++, origin);
            byRef.put(f.ref(), f);
            return f;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** JAVA_VERSION from the JDK's release file, or null. */
    static String releaseVersion(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) return line.substring("JAVA_VERSION=".length()).replace("\"", "").strip();
            }
        } catch (IOException | RuntimeException ignored) {
            // no release file
        }
        return null;
    }
}
