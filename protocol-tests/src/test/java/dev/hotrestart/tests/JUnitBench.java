package dev.hotrestart.tests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tests under the adapter against the same tests under plain Maven, and a failing test fixed and
 * run again. The project is the two-module {@code shop}, its classes compiled and up to date.
 * <ul>
 *   <li>A test run: {@code shop.CartTest} (passing) from the adapter's start to the program's exit,
 *   with the class path cached (a first launch fills the cache), against {@code mvn -o -q test -pl
 *   app -am -Dtest=shop.CartTest} (what a user runs; plain {@code surefire:test} cannot resolve the
 *   sibling module without an install), alternated run by run, medians.</li>
 *   <li>A re-run: the failing test stops, the fix is saved 3 s later (the time to read and edit), and
 *   continue runs it again: from the continue to the test's result line. Also right at the stop
 *   (javac still cold) for the record. The baseline is the user's other way: the same test under
 *   plain Maven again.</li>
 * </ul>
 * Prints; does not judge. Run: {@code mvn -pl protocol-tests test -P bench -Dtest=JUnitBench}.
 */
class JUnitBench {
    static final int RUNS = Integer.getInteger("bench.runs", 5);
    static final String WRONG = "assertEquals(3, Prices.withTax(2)); // WRONG";
    static final String RIGHT = "assertEquals(2, Prices.withTax(2));";

    @Test
    void testsUnderTheAdapterAgainstMaven() throws Exception {
        Fixture shop = Fixture.maven("shop", "lib", "app");
        Path cache = Fixture.tempDir("hotrestart-cache-");
        Path test = shop.root.resolve("app/src/test/java/shop/CartTest.java");
        String failing = Files.readString(test);
        FileTime compiledFrom = Files.getLastModifiedTime(test);

        // the passing version, as the user has it after the fix (its mtime kept: the classes stay up to date)
        writeKeepingTime(test, failing.replace(WRONG, RIGHT), compiledFrom);
        Path classes = shop.root.resolve("app/target/test-classes");
        compileTest(shop, test, classes);
        runUnderAdapter(shop, cache); // fills the class path cache
        List<Double> adapter = new ArrayList<>(), maven = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            maven.add(runUnderMaven(shop));
            adapter.add(runUnderAdapter(shop, cache));
        }
        System.out.println("test runs, adapter: " + adapter + " ms; Maven: " + maven + " ms");

        // the failing version for the re-runs
        writeKeepingTime(test, failing, compiledFrom);
        compileTest(shop, test, classes);
        List<Double> warm = new ArrayList<>(), cold = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            warm.add(rerun(shop, cache, test, failing, compiledFrom, 3000));
            cold.add(rerun(shop, cache, test, failing, compiledFrom, 0));
        }
        System.out.println("re-runs 3 s after the stop: " + warm + " ms; right at the stop: " + cold + " ms");

        double a = Bench.median(adapter), m = Bench.median(maven);
        Bench bench = new Bench("tests");
        bench.figure("testRunMs", "shop.CartTest (2 tests) under the adapter, adapter start to exit, class path cached", a, "ms")
                .baseline("the same tests under plain Maven (mvn -o -q test -pl app -am -Dtest=shop.CartTest, up to date)", m)
                .target("ratio ≤ 1.5", a / m <= 1.5);
        double w = Bench.median(warm);
        bench.figure("failingTestRerunMs", "a failing test fixed 3 s after its stop: continue to the test's result", w, "ms")
                .baseline("running the test again under plain Maven", m)
                .target("≤ 100 ms", w <= 100);
        bench.figure("failingTestRerunAtStopMs", "the same, the fix saved right at the stop", Bench.median(cold), "ms")
                .baseline("running the test again under plain Maven", m)
                .target(null, null);
        bench.write();
    }

    private static void writeKeepingTime(Path file, String text, FileTime time) throws IOException {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, time);
    }

    /** Compiles the test class as the fixture did, newer than its source, so that the launch finds the classes up to date. */
    private static void compileTest(Fixture shop, Path test, Path classes) throws Exception {
        String cp = String.join(java.io.File.pathSeparator, System.getProperty("java.class.path"), shop.root.resolve("lib/target/classes").toString());
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-g", "-nowarn", "--release", "17", "-cp", cp,
                "-d", classes.toString(), test.toString());
        assertEquals(0, rc, "the test class compiles");
    }

    private static Session tests(Fixture shop, Path cache) throws IOException {
        Session s = Session.start(DapClient.stdio(Map.of("XDG_CACHE_HOME", cache.toString())), shop, "unused", Map.of());
        s.launchArgs.remove("mainClass");
        s.launchArgs.remove("classPaths");
        s.launchArgs.remove("sourcePaths");
        s.launchArgs.put("tests", List.of("shop.CartTest"));
        return s;
    }

    /** Adapter start (its process) to the program's exit, ms. */
    private static double runUnderAdapter(Fixture shop, Path cache) throws Exception {
        long t0 = System.nanoTime();
        try (Session s = tests(shop, cache)) {
            s.launch();
            s.assertExit(0);
            double ms = (System.nanoTime() - t0) / 1e6;
            assertTrue(s.dap.stdout().contains("Tests: 2 passed, 0 failed"), s.dap.stdout());
            assertTrue(s.dap.allEvents().stream().noneMatch(e -> e.toString().contains("with Maven in")), "no Maven in the timed launches");
            return ms;
        }
    }

    private static double runUnderMaven(Fixture shop) throws Exception {
        List<String> cmd = List.of("mvn", "-o", "-q", "-B", "test", "-pl", "app", "-am", "-Dtest=shop.CartTest",
                "-Dsurefire.failIfNoSpecifiedTests=false");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(shop.root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        double ms = (System.nanoTime() - t0) / 1e6;
        assertEquals(0, rc, "plain Maven runs the tests: " + out);
        return ms;
    }

    /** The failing test stops; after {@code pauseMs} the fix is saved and continue runs it: ms from the continue to its result. */
    private static double rerun(Fixture shop, Path cache, Path test, String failing, FileTime compiledFrom, long pauseMs) throws Exception {
        try (Session s = tests(shop, cache)) {
            s.launch();
            int thread = s.threadOf(s.stopped("exception"));
            Thread.sleep(pauseMs);
            Files.writeString(test, failing.replace(WRONG, RIGHT));
            long t0 = System.nanoTime();
            s.continueThread(thread);
            s.dap.awaitStdout("✔ CartTest.smallPricesKeepTheirCents\n");
            double ms = (System.nanoTime() - t0) / 1e6;
            s.assertExit(0);
            return ms;
        } finally {
            writeKeepingTime(test, failing, compiledFrom); // as compiled: the next launch needs no Maven
        }
    }
}
