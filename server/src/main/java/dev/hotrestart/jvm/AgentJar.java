package dev.hotrestart.jvm;

import dev.hotrestart.dap.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
        try (InputStream in = AgentJar.class.getResourceAsStream("/dev/hotrestart/agent-jar/hotrestart-agent.jar")) {
            if (in == null) throw new UserError("This build of hotrestart has no agent jar inside; use \"stopAt\": \"throw\".");
            Path p = Files.createTempFile("hotrestart-agent-", ".jar");
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            p.toFile().deleteOnExit();
            extracted = p;
            return p;
        } catch (IOException e) {
            throw new UserError("Cannot write the hotrestart agent to a temp file: " + e.getMessage() + "; use \"stopAt\": \"throw\".");
        }
    }
}
