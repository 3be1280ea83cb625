package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A launch with no 'classPaths' in a Maven project: the adapter asks Maven (offline, as the project
 * was built here), keeps the answer until a pom.xml changes, and finds the main class itself.
 */
class ProjectClassPathTest {

    /** A session on the shop project with neither 'mainClass' nor 'classPaths', and its own cache folder. */
    static Session shopSession(Fixture shop, Path cache) throws IOException {
        Session s = Session.start(DapClient.stdio(Map.of("XDG_CACHE_HOME", cache.toString())), shop, "unused",
                Map.of("supportsProgressReporting", true));
        s.launchArgs.remove("mainClass");
        s.launchArgs.remove("classPaths");
        s.launchArgs.remove("sourcePaths");
        return s;
    }

    private static boolean askedMaven(Session s) {
        return s.dap.allEvents().stream().anyMatch(e -> e.get("event").getAsString().equals("output")
                && e.getAsJsonObject("body").get("output").getAsString().contains("from Maven in"));
    }

    @Test
    void mavenGivesTheClassPathOnceAndAgainWhenAPomChanges() throws Exception {
        Fixture shop = Fixture.maven("shop", "lib", "app");
        Path cache = Fixture.tempDir("hotrestart-cache-");

        try (Session s = shopSession(shop, cache)) {
            s.launch();
            s.assertExit(3);
            // shop.App found as the only main class; a sibling module's class and Gson's on its class path
            assertEquals("{\"total\":120}\n", s.dap.stdout());
            assertTrue(askedMaven(s), "the first launch asks Maven and says so");
            // the client said supportsProgressReporting: Maven's time shows as progress, started and ended
            List<String> progress = s.dap.allEvents().stream().map(e -> e.get("event").getAsString())
                    .filter(n -> n.startsWith("progress")).toList();
            assertEquals(List.of("progressStart", "progressEnd"), progress);
            JsonObject start = s.dap.allEvents().stream().filter(e -> e.get("event").getAsString().equals("progressStart")).findFirst().orElseThrow();
            assertTrue(start.getAsJsonObject("body").get("title").getAsString().contains("app/pom.xml"), start.toString());
        }

        long launchMs;
        try (Session s = shopSession(shop, cache)) {
            long t0 = System.nanoTime();
            s.dap.ok("launch", s.launchArgs);
            launchMs = (System.nanoTime() - t0) / 1_000_000;
            s.dap.event("initialized");
            s.dap.ok("configurationDone", null);
            s.assertExit(3);
            assertEquals("{\"total\":120}\n", s.dap.stdout());
            assertFalse(askedMaven(s), "a later launch takes the class path from the cache");
            String resolution = s.dap.serverStderr().lines().filter(l -> l.contains("from the cache in")).findFirst().orElse("?");
            System.out.println("[numbers] launch of a Maven project, class path from the cache: launch request " + launchMs
                    + " ms; the adapter's log: " + resolution.trim());
        }

        // a source of a module on the class path changes: Maven compiles, the class path stays the cached one
        Path prices = shop.root.resolve("lib/src/main/java/shop/lib/Prices.java");
        Files.writeString(prices, Files.readString(prices).replace("cents / 5", "cents / 2"));
        // newer than its class, and in the past: Maven's compile below makes the class newer still
        Path compiled = shop.root.resolve("lib/target/classes/shop/lib/Prices.class");
        Files.setLastModifiedTime(prices, FileTime.fromMillis(Files.getLastModifiedTime(compiled).toMillis() + 1000));
        try (Session s = shopSession(shop, cache)) {
            s.launch();
            s.assertExit(3);
            assertEquals("{\"total\":150}\n", s.dap.stdout(), "the launch runs the sources as saved");
            assertFalse(askedMaven(s), "the class path still comes from the cache");
            String note = s.dap.allEvents().stream().map(Object::toString).filter(e -> e.contains("with Maven in")).findFirst().orElse("none");
            assertTrue(note.contains("sources changed since lib/target/classes was built"), note);
        }
        try (Session s = shopSession(shop, cache)) {
            s.launch();
            s.assertExit(3);
            assertTrue(s.dap.allEvents().stream().noneMatch(e -> e.toString().contains("with Maven in")), "built once, not again");
        }
        // mvn clean, nothing edited: the launch compiles again
        try (var files = Files.walk(shop.root.resolve("lib/target/classes"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (Session s = shopSession(shop, cache)) {
            s.launch();
            s.assertExit(3);
            assertEquals("{\"total\":150}\n", s.dap.stdout());
            String note = s.dap.allEvents().stream().map(Object::toString).filter(e -> e.contains("with Maven in")).findFirst().orElse("none");
            assertTrue(note.contains("lib/target/classes does not exist"), note);
        }

        // a pom of any module changes: its dependencies may have, so Maven is asked again
        Path pom = shop.root.resolve("lib/pom.xml");
        Files.setLastModifiedTime(pom, FileTime.fromMillis(Files.getLastModifiedTime(pom).toMillis() + 2000));
        try (Session s = shopSession(shop, cache)) {
            s.launch();
            s.assertExit(3);
            assertTrue(askedMaven(s), "a changed pom.xml sends the launch to Maven again");
        }
    }

    /** F5 in a one-module project nobody has built yet: the adapter has Maven compile it, and the program runs. */
    @Test
    void aProjectNotBuiltYetIsCompiledByTheLaunch() throws Exception {
        Fixture single = Fixture.maven("single"); // sources only, no target/ folder
        try (Session s = shopSession(single, Fixture.tempDir("hotrestart-cache-"))) {
            s.launch();
            s.assertExit(4);
            assertEquals("compiled by the launch\n", s.dap.stdout());
            String note = s.dap.allEvents().stream().map(Object::toString).filter(e -> e.contains("from Maven in")).findFirst().orElse("none");
            assertTrue(note.contains("compiled " + single.root.resolve("pom.xml")), note);
        }
    }

    @Test
    void mavenFailureIsToldInMavensWords() throws Exception {
        Fixture shop = Fixture.maven("shop");
        Path appPom = shop.root.resolve("app/pom.xml");
        Files.writeString(appPom, Files.readString(appPom).replace("<dependencies>",
                "<dependencies><dependency><groupId>demo</groupId><artifactId>nowhere</artifactId></dependency>"));
        try (Session s = shopSession(shop, Fixture.tempDir("hotrestart-cache-"))) {
            s.launchArgs.put("mainClass", "shop.App");
            String msg = s.dap.error("launch", s.launchArgs, 1104);
            assertTrue(msg.contains("dependencies.dependency.version' for demo:nowhere:jar is missing"), msg);
            assertTrue(msg.contains("classPaths"), "says how to go around it: " + msg);
        }
    }

    @Test
    void severalMainClassesAreListedAndNoneIsPicked() throws Exception {
        Fixture two = Fixture.generated("two-mains", Map.of(
                "a/One.java", "package a; public class One { public static void main(String[] args) {} }",
                "a/Two.java", "package a; public class Two { public static void main(String... args) {} }",
                "a/Note.java", "package a; class Note { /* public static void main(String[] args) */ }"));
        try (Session s = Session.start(two, "unused")) {
            s.launchArgs.remove("mainClass");
            String msg = s.dap.error("launch", s.launchArgs, 1100);
            assertTrue(msg.contains("'mainClass'") && msg.contains("a.One, a.Two") && !msg.contains("a.Note"), msg);
        }
        try (Session s = Session.start(Fixture.generated("one-main", Map.of(
                "a/Only.java", "package a; public class Only { public static void main(String[] args) { System.exit(4); } }")), "unused")) {
            s.launchArgs.remove("mainClass");
            s.launch();
            s.assertExit(4);
        }
    }
}
