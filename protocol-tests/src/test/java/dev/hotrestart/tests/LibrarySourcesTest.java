package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sources that are not the program's own: a library's from the -sources.jar beside its jar, the
 * JDK's from its lib/src.zip. A step into them shows their source (a read-only copy, and the text by
 * reference), a breakpoint set in them by reference stops there, and a reload of them is refused.
 */
class LibrarySourcesTest {
    static final String APP = "app/UsesLib.java", LIB = "lib/Greeter.java";
    static final String GREETER = """
            package lib;

            /** A library class: the program gets it from a jar. */
            public class Greeter {
                public static String greet(String name) {
                    String hello = "hello, " + name; // LIB_GREET
                    return hello + "!";
                }
            }
            """;

    /** The program, with its library in greet-1.0.jar and greet-1.0-sources.jar beside it, as Maven's repository keeps them. */
    static Fixture fixture(Path repo) throws Exception {
        Fixture f = Fixture.generated("libsources", Map.of(APP, """
                package app;

                import lib.Greeter;

                public class UsesLib {
                    public static void main(String[] args) {
                        System.out.println(Greeter.class.getSimpleName()); // loaded here, so a step into greet meets no class loading
                        System.out.println(Greeter.greet("ann")); // APP_CALL
                        System.out.println(Greeter.greet("bob"));
                        int a = Integer.parseInt("41"); // APP_JDK
                        int b = Integer.parseInt("42");
                        System.out.println(a + b);
                    }
                }
                """, LIB, GREETER));
        // the library leaves the program's classes and sources for its jars
        Path dir = Files.createDirectories(repo.resolve("lib/greet/1.0"));
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("greet-1.0.jar")))) {
            jar.putNextEntry(new JarEntry("lib/Greeter.class"));
            jar.write(Files.readAllBytes(f.classes.resolve("lib/Greeter.class")));
        }
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("greet-1.0-sources.jar")))) {
            jar.putNextEntry(new JarEntry("lib/Greeter.java"));
            jar.write(GREETER.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Files.delete(f.classes.resolve("lib/Greeter.class"));
        Files.delete(f.file(LIB));
        return f;
    }

    @Test
    void aStepIntoALibraryOrTheJdkShowsItsSourceAndItsBreakpointsStop() throws Exception {
        Path repo = Files.createTempDirectory("hotrestart-repo");
        Fixture f = fixture(repo);
        Path jdk = Fixture.debuggeeJavaHome();
        boolean jdkSources = Files.isRegularFile(jdk.resolve("lib/src.zip"));
        try (Session s = Session.start(f, "app.UsesLib")) {
            s.launchArgs.put("classPaths", List.of(f.classes.toString(), repo.resolve("lib/greet/1.0/greet-1.0.jar").toString(),
                    Fixture.annotationsJar().toString()));
            s.with("stepFilters", Map.of("skipClasses", List.of()));
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            s.setBreakpoints(APP, f.line(APP, "APP_CALL"), f.line(APP, "APP_JDK"));
            s.dap.ok("configurationDone", null);

            // into the library: its source from the sources jar
            int tid = s.threadOf(s.stopped("breakpoint"));
            s.dap.ok("stepIn", Map.of("threadId", tid));
            s.stopped("step");
            JsonObject top = s.topFrame(tid);
            assertEquals("Greeter.greet(String)", top.get("name").getAsString(), top.toString());
            JsonObject source = top.getAsJsonObject("source");
            assertEquals("greet-1.0-sources.jar", source.get("origin").getAsString(), source.toString());
            int ref = source.get("sourceReference").getAsInt();
            assertTrue(ref > 0, source.toString());
            assertTrue(source.get("path").getAsString().endsWith("lib/Greeter.java"), source.toString());
            assertEquals(GREETER, Files.readString(Path.of(source.get("path").getAsString())), "an editor can open the copy");
            assertEquals(GREETER, s.dap.ok("source", Map.of("source", Map.of("sourceReference", ref), "sourceReference", ref))
                    .get("content").getAsString());
            int greetLine = lineOf(GREETER, "LIB_GREET");
            assertEquals(greetLine, top.get("line").getAsInt(), top.toString());

            // a breakpoint in it, by its reference alone: the second call stops there
            JsonObject bp = s.dap.ok("setBreakpoints", Map.of("source", Map.of("name", "Greeter.java", "sourceReference", ref),
                    "breakpoints", List.of(Map.of("line", greetLine + 1)))).getAsJsonArray("breakpoints").get(0).getAsJsonObject();
            assertTrue(bp.get("verified").getAsBoolean(), bp.toString());
            // it is shown, never reloaded
            String refused = s.dap.error("reloadClass", Map.of("source", Map.of("path", source.get("path").getAsString())));
            assertTrue(refused.contains("lib.Greeter is not the program's own code: its source comes from greet-1.0-sources.jar"), refused);
            s.continueThread(tid);
            s.stopped("breakpoint");
            assertEquals(greetLine + 1, s.topFrame(tid).get("line").getAsInt());
            s.continueThread(tid);
            s.stopped("breakpoint"); // ann's call went on; bob's stops at the library's line
            assertEquals("\"bob\"", s.locals(s.topFrame(tid).get("id").getAsInt()).get("name"));
            s.continueThread(tid);

            // into the JDK: its source from lib/src.zip, when that JDK has one
            s.stopped("breakpoint");
            assertEquals(f.line(APP, "APP_JDK"), s.topFrame(tid).get("line").getAsInt());
            s.dap.ok("stepIn", Map.of("threadId", tid));
            s.stopped("step");
            top = s.topFrame(tid);
            assertTrue(top.get("name").getAsString().startsWith("Integer.parseInt("), top.toString());
            source = top.getAsJsonObject("source");
            if (!jdkSources) {
                // Debian's OpenJDK keeps it in another package: the frame says so, and shows no text
                assertFalse(source.has("sourceReference"), source.toString());
                assertTrue(source.get("origin").getAsString().startsWith("no source: the JDK at " + jdk + " has no lib/src.zip"), source.toString());
            } else {
                assertTrue(source.get("origin").getAsString().matches("JDK [0-9.]+ lib/src.zip"), source.toString());
                ref = source.get("sourceReference").getAsInt();
                String text = s.dap.ok("source", Map.of("source", Map.of("sourceReference", ref), "sourceReference", ref))
                        .get("content").getAsString();
                assertTrue(text.contains("public static int parseInt(String s) throws NumberFormatException"), "the JDK's Integer.java");
                int line = top.get("line").getAsInt();
                assertTrue(text.split("\n")[line - 1].contains("parseInt"), "the frame's line in that text: " + text.split("\n")[line - 1]);
                // a breakpoint at that line of the JDK's source stops the next call there
                bp = s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", source.get("path").getAsString()),
                        "breakpoints", List.of(Map.of("line", line)))).getAsJsonArray("breakpoints").get(0).getAsJsonObject();
                assertTrue(bp.get("verified").getAsBoolean(), bp.toString());
                s.continueThread(tid);
                JsonObject stop = s.stopped("breakpoint");
                assertEquals(tid, s.threadOf(stop), "the program's thread, at its second call");
                assertEquals("\"42\"", s.locals(s.topFrame(tid).get("id").getAsInt()).get("s"));
                s.setBreakpoints(APP);
                s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", source.get("path").getAsString()), "breakpoints", List.of()));
            }
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("83"), s.dap.stdout());
        }
    }

    /**
     * "fetchSources": a library jar in the local Maven repository without its sources jar; a frame
     * in it has Maven fetch the sources in the background, and then shows them. (Fetches from Maven
     * Central: the sources jar is deleted first, so each run fetches it.)
     */
    @Test
    void fetchSourcesHasMavenFetchAMissingSourcesJar() throws Exception {
        Path jar = Path.of(System.getProperty("user.home"), ".m2/repository/org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar");
        assertTrue(Files.isRegularFile(jar), "JUnit's opentest4j 1.3.0 is in the local repository after the build: " + jar);
        Files.deleteIfExists(jar.resolveSibling("opentest4j-1.3.0-sources.jar"));
        String stub = "org/opentest4j/AssertionFailedError.java";
        Fixture f = Fixture.generated("fetchsources", Map.of("app/Fails.java", """
                package app;

                import org.opentest4j.AssertionFailedError;

                public class Fails {
                    public static void main(String[] args) {
                        AssertionFailedError e = new AssertionFailedError("m", "a", "b"); // APP_NEW
                        System.out.println("expected defined: " + e.isExpectedDefined());
                    }
                }
                """, stub, """
                package org.opentest4j;

                /** Compiled against only: the program runs the library's own class, from its jar. */
                public class AssertionFailedError extends AssertionError {
                    public AssertionFailedError(String message, Object expected, Object actual) { }
                    public boolean isExpectedDefined() { return false; }
                }
                """));
        Files.delete(f.classes.resolve("org/opentest4j/AssertionFailedError.class"));
        Files.delete(f.file(stub));
        try (Session s = Session.start(f, "app.Fails")) {
            s.launchArgs.put("classPaths", List.of(f.classes.toString(), jar.toString(), Fixture.annotationsJar().toString()));
            s.with("fetchSources", true);
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            s.setBreakpoints("app/Fails.java", f.line("app/Fails.java", "APP_NEW"));
            s.dap.ok("configurationDone", null);
            int tid = s.threadOf(s.stopped("breakpoint"));
            s.dap.ok("stepIn", Map.of("threadId", tid));
            s.stopped("step");
            JsonObject top = s.topFrame(tid);
            // its static initializer first (the class loads here), or its constructor
            assertTrue(top.get("name").getAsString().startsWith("AssertionFailedError"), top.toString());
            // not there yet: Maven fetches it meanwhile
            assertFalse(top.getAsJsonObject("source").has("sourceReference"), top.toString());
            java.util.function.Predicate<JsonObject> told = o -> o.get("output").getAsString().contains("sources of org.opentest4j:opentest4j:1.3.0");
            assertTrue(s.dap.sawEvent("output", told, 180_000), "Maven fetched nothing within 3 minutes: " + s.dap.allEvents());
            JsonObject said = s.dap.event("output", told);
            assertTrue(said.get("output").getAsString().startsWith("hotrestart: fetched the sources of org.opentest4j:opentest4j:1.3.0 with Maven"),
                    said.toString());
            JsonObject source = s.topFrame(tid).getAsJsonObject("source");
            assertEquals("opentest4j-1.3.0-sources.jar", source.get("origin").getAsString(), source.toString());
            int ref = source.get("sourceReference").getAsInt();
            assertTrue(s.dap.ok("source", Map.of("source", Map.of("sourceReference", ref), "sourceReference", ref)).get("content").getAsString()
                    .contains("public class AssertionFailedError"));
            s.continueThread(tid);
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("expected defined: true"), "the library's own class ran: " + s.dap.stdout());
        }
    }

    static int lineOf(String text, String marker) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) if (lines[i].contains(marker)) return i + 1;
        throw new AssertionError(marker);
    }
}
