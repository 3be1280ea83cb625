package dev.hotrestart.demo;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo's sample project, copied from the jar's resources into a fresh folder laid out
 * like a Maven project ({@code src/main/java}, {@code target/classes}) and compiled with
 * {@code -g}, so the demo can edit its source as a user would.
 */
final class SampleProgram {
    private static final String RESOURCES = "/dev/hotrestart/demo/sample/";
    static final String SOURCE_ROOT = "src/main/java";
    static final String CLASSES = "target/classes";
    static final String MAIN_CLASS = "shop.Checkout";
    static final String MAIN_FILE = "shop/Checkout.java";
    /** The sample ships the annotation's source, as a project using hotrestart-annotations would have it on its class path. */
    private static final List<String> FILES = List.of(MAIN_FILE, "dev/hotrestart/HotRestart.java");

    final Path root;

    private SampleProgram(Path root) {
        this.root = root;
    }

    static SampleProgram create() {
        Path root;
        try {
            root = Files.createTempDirectory("hotrestart-demo-");
        } catch (IOException e) {
            throw new DemoFailure("cannot create a temporary folder for the sample: " + e.getMessage());
        }
        SampleProgram sample = new SampleProgram(root);
        for (String f : FILES) {
            try (InputStream in = SampleProgram.class.getResourceAsStream(RESOURCES + SOURCE_ROOT + "/" + f)) {
                if (in == null) throw new DemoFailure("the sample file " + f + " is missing from the hotrestart jar; rebuild it");
                Path to = sample.source(f);
                Files.createDirectories(to.getParent());
                Files.write(to, in.readAllBytes());
            } catch (IOException e) {
                throw new DemoFailure("cannot copy the sample to " + root + ": " + e.getMessage());
            }
        }
        sample.compile();
        return sample;
    }

    Path source(String relative) {
        return root.resolve(SOURCE_ROOT).resolve(relative);
    }

    private void compile() {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new DemoFailure("this Java (" + System.getProperty("java.home") + ") has no compiler: hotrestart needs a JDK, not a JRE");
        }
        List<String> args = new ArrayList<>(List.of("-g", "-nowarn", "-encoding", "UTF-8", "-d", root.resolve(CLASSES).toString()));
        for (String f : FILES) args.add(source(f).toString());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        if (javac.run(null, null, err, args.toArray(new String[0])) != 0) {
            throw new DemoFailure("the sample does not compile:\n" + err.toString(StandardCharsets.UTF_8));
        }
    }

    String read(String relative) {
        try {
            return Files.readString(source(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DemoFailure("cannot read " + relative + ": " + e.getMessage());
        }
    }

    /**
     * Replaces the one line holding {@code from} with its fixed text, as an editor would save
     * it; returns the 1-based line number.
     */
    int fixLine(String relative, String from, String to) {
        List<String> lines = new ArrayList<>(List.of(read(relative).split("\n", -1)));
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(from)) {
                at = i;
                break;
            }
        }
        if (at < 0) throw new DemoFailure("the sample " + relative + " has no line with '" + from + "' to fix");
        lines.set(at, lines.get(at).replace(from, to));
        try {
            Files.writeString(source(relative), String.join("\n", lines), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DemoFailure("cannot write the fix to " + relative + ": " + e.getMessage());
        }
        return at + 1;
    }

    void delete() {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
