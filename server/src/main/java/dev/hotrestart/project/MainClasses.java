package dev.hotrestart.project;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The classes with a {@code main} method, read from the sources (so the project needs no build to be asked). */
public final class MainClasses {
    private static final Pattern MAIN = Pattern.compile(
            "\\bstatic\\s+(?:final\\s+)?void\\s+main\\s*\\(\\s*(?:final\\s+)?String\\s*(?:\\[\\s*]|\\.\\.\\.)?\\s*\\w+\\s*(?:\\[\\s*])?\\s*\\)");
    /** Comments, so that a main written in one does not count. */
    private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    private MainClasses() {}

    /** Qualified names, sorted; a class counts when its file's top-level class declares main. */
    public static List<String> in(List<Path> sourceRoots) {
        TreeSet<String> found = new TreeSet<>();
        for (Path root : sourceRoots) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    if (!text.contains("main")) continue;
                    text = COMMENT.matcher(text).replaceAll(" ");
                    if (!MAIN.matcher(text).find()) continue;
                    String simple = f.getFileName().toString().replaceFirst("\\.java$", "");
                    if (simple.equals("package-info") || simple.equals("module-info")) continue;
                    Matcher pkg = PACKAGE.matcher(text);
                    found.add(pkg.find() ? pkg.group(1) + "." + simple : simple);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ArrayList<>(found);
    }
}
