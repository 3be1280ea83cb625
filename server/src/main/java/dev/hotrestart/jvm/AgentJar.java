package dev.hotrestart.jvm;

import dev.hotrestart.base.CacheFolder;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The java agent travels inside the server jar; launches get a copy on disk. */
public final class AgentJar {
    private static Path extracted;

    private AgentJar() {}

    /**
     * Finds or writes the copy before a launch asks for it (called once the session is
     * initialized): reading the jar out of ours and writing it takes 15-25 ms, which the first
     * session of a build spends and a launch would otherwise wait for.
     */
    public static void prepare() {
        try {
            path();
        } catch (UserError ignored) {
            // the launch that needs it reports it
        }
    }

    public static synchronized Path path() {
        if (extracted != null && Files.isRegularFile(extracted)) return extracted;
        Path kept = kept();
        if (kept != null) return extracted = kept;
        try {
            Path p = Files.createTempFile("hotrestart-agent-", ".jar");
            Files.write(p, bytes());
            p.toFile().deleteOnExit();
            extracted = p;
            return p;
        } catch (IOException e) {
            throw new UserError(ErrorId.LAUNCH_FAILED, "Cannot write the hotrestart agent to a temp file: " + e.getMessage() + "; use \"stopAt\": \"throw\".");
        }
    }

    /**
     * A copy for a JVM that outlives this adapter: one loaded with the agent while running keeps
     * reading classes from the jar, so it stays on disk, named by its content so that each
     * version is written once.
     */
    public static synchronized Path lasting() throws IOException {
        Path kept = kept();
        if (kept != null) return kept;
        byte[] jar = bytes();
        String name;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(jar);
            name = "hotrestart-agent-" + HexFormat.of().formatHex(d, 0, 8) + ".jar";
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        Path p = Paths.get(System.getProperty("java.io.tmpdir"), name);
        if (!Files.isRegularFile(p) || Files.size(p) != jar.length) {
            Path tmp = Files.createTempFile(p.getParent(), "hotrestart-agent-", ".part");
            Files.write(tmp, jar);
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return p;
    }

    /**
     * The copy kept in the user's cache folder ({@code $XDG_CACHE_HOME/hotrestart}, else
     * {@code ~/.cache/hotrestart}), named after this adapter's own jar (its size and time): the
     * first session of a build writes it, every later one finds it. Null when the adapter does not
     * run from a jar or the folder cannot be written; then each session writes a temp copy.
     */
    private static Path kept() {
        try {
            Path own = Paths.get(AgentJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = CacheFolder.path();
            if (dir == null || !Files.isRegularFile(own)) return null;
            String name = "agent-" + Files.size(own) + "-" + Files.getLastModifiedTime(own).toMillis() + ".jar";
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "agent-", ".part");
            try {
                Files.write(tmp, bytes());
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            removeOld(dir, name);
            return p;
        } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
            return null;
        }
    }

    /** Copies left by other builds, a day after they were written (a JVM that loaded one has it open anyway). */
    private static void removeOld(Path dir, String keep) {
        long dayAgo = System.currentTimeMillis() - 24L * 3600 * 1000;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (!n.startsWith("agent-") || n.equals(keep)) continue;
                if (Files.getLastModifiedTime(f).toMillis() < dayAgo) Files.deleteIfExists(f);
            }
        } catch (IOException | RuntimeException ignored) {
            // a copy left over costs disk space only
        }
    }

    private static byte[] bytes() throws IOException {
        try (InputStream in = AgentJar.class.getResourceAsStream("/dev/hotrestart/agent-jar/hotrestart-agent.jar")) {
            if (in == null) throw new UserError(ErrorId.LAUNCH_FAILED, "This build of hotrestart has no agent jar inside; use \"stopAt\": \"throw\".");
            return in.readAllBytes();
        }
    }
}
