package dev.hotrestart.jvm;

import dev.hotrestart.dap.UserError;

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
     * Writes the copy before a launch asks for it (called once the session is initialized):
     * reading the jar out of ours and writing it takes 20-40 ms a launch would otherwise wait.
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
        try {
            Path p = Files.createTempFile("hotrestart-agent-", ".jar");
            Files.write(p, bytes());
            p.toFile().deleteOnExit();
            extracted = p;
            return p;
        } catch (IOException e) {
            throw new UserError("Cannot write the hotrestart agent to a temp file: " + e.getMessage() + "; use \"stopAt\": \"throw\".");
        }
    }

    /**
     * A copy for a JVM that outlives this adapter: one loaded with the agent while running keeps
     * reading classes from the jar, so it stays on disk, named by its content so that each
     * version is written once.
     */
    public static synchronized Path lasting() throws IOException {
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

    private static byte[] bytes() throws IOException {
        try (InputStream in = AgentJar.class.getResourceAsStream("/dev/hotrestart/agent-jar/hotrestart-agent.jar")) {
            if (in == null) throw new UserError("This build of hotrestart has no agent jar inside; use \"stopAt\": \"throw\".");
            return in.readAllBytes();
        }
    }
}
