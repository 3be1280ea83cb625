package dev.hotrestart.session;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/launch-attributes.md and the {@link Attribute} enum tell the same story: every
 * attribute has a row, no row names an attribute the adapter does not know, and each row says
 * where the attribute applies.
 */
class LaunchAttributesDocTest {
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([A-Za-z]+)`\\s*\\|\\s*([^|]+?)\\s*\\|");
    private static final String HINT = " (java -jar server/target/hotrestart-server.jar --schema prints every attribute)";

    static Path doc() {
        for (Path p : new Path[]{Path.of("../docs/launch-attributes.md"), Path.of("docs/launch-attributes.md")}) {
            if (Files.isRegularFile(p)) return p;
        }
        throw new AssertionError("docs/launch-attributes.md is missing; it must document every launch and attach attribute" + HINT);
    }

    /** Attribute name → the "applies to" cell of its row. */
    static Map<String, String> documented() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(doc(), StandardCharsets.UTF_8)) {
            Matcher m = ROW.matcher(line);
            if (m.find()) rows.put(m.group(1), m.group(2).trim());
        }
        return rows;
    }

    @Test
    void everyAttributeIsDocumentedAndNoOther() throws IOException {
        Set<String> documented = documented().keySet();
        Set<String> known = new LinkedHashSet<>();
        for (Attribute a : Attribute.values()) known.add(a.key);
        Set<String> missing = new LinkedHashSet<>(known);
        missing.removeAll(documented);
        Set<String> unknown = new LinkedHashSet<>(documented);
        unknown.removeAll(known);
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) problems.add("it lacks a row for " + missing + HINT);
        if (!unknown.isEmpty()) problems.add("it documents " + unknown + ", which the Attribute enum does not have");
        assertTrue(problems.isEmpty(), "docs/launch-attributes.md: " + String.join("; ", problems));
    }

    @Test
    void eachRowSaysWhereTheAttributeApplies() throws IOException {
        Map<String, String> rows = documented();
        for (Attribute a : Attribute.values()) {
            String expected = a.appliesTo(true) && a.appliesTo(false) ? "launch, attach" : a.appliesTo(true) ? "launch" : "attach";
            if (rows.containsKey(a.key)) {
                assertEquals(expected, rows.get(a.key), "docs/launch-attributes.md: where '" + a.key + "' applies");
            }
        }
    }
}
