package dev.hotrestart.reload;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps javac's code, and the parser's generated parser and tokenizer, out of the JVM's
 * optimizing compiler (C2): they stay with the quick one (C1). A session compiles a few dozen
 * times; for code this large C2 pays for itself only after hundreds of compiles, and until then
 * its compile threads take CPU the reload waits for (on two cores, half of it). Applied once
 * per JVM, through the diagnostic command behind {@code jcmd PID Compiler.directives_add};
 * where that is missing nothing changes.
 */
final class QuickJit {
    static final String DIRECTIVES = """
            [ { match: ["com/sun/tools/javac/*.*", "com/github/javaparser/GeneratedJavaParser*.*"], c2: { Exclude: true } } ]
            """;
    private static boolean applied;

    private QuickJit() {}

    static synchronized void apply() {
        if (applied) return;
        applied = true;
        Path file = null;
        try {
            file = Files.createTempFile("hotrestart-jit", ".json");
            Files.writeString(file, DIRECTIVES, StandardCharsets.UTF_8);
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerDirectivesAdd", new Object[]{new String[]{file.toString()}}, new String[]{String[].class.getName()});
        } catch (Exception | LinkageError e) {
            // a JVM without the diagnostic command (or jdk.management) compiles as it always does
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (java.io.IOException ignored) {
                    // a temp file
                }
            }
        }
    }
}
