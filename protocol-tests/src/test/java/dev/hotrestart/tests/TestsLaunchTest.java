package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A launch with 'tests': the selected JUnit 5 tests run in the debuggee on the JUnit Platform, with
 * each result and a summary in the debug console and the exit code of the run; a failing test
 * stops where it failed, and after the fix, continue runs it again and the run goes on.
 */
// the first launch on the shared copy pays Maven's time, the timed second reads the cache
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestsLaunchTest {
    /** The copy the tests that edit nothing share: the cache holds its class path by its folder. */
    private static final Fixture SHOP = Fixture.maven("shop", "lib", "app");

    /** One cache for the class: Maven is asked once for the test class path, the other launches read it. */
    private static Path cache;

    @BeforeAll
    static void cacheFolder() throws IOException {
        cache = Fixture.tempDir("hotrestart-cache-");
    }

    private static Session tests(Fixture shop, Object selectors) throws IOException {
        Session s = Session.start(DapClient.stdio(Map.of("XDG_CACHE_HOME", cache.toString())), shop, "unused", Map.of());
        s.launchArgs.remove("mainClass");
        s.launchArgs.remove("classPaths");
        s.launchArgs.remove("sourcePaths");
        s.launchArgs.put("tests", selectors);
        return s;
    }

    @Test
    @Order(1)
    void aTestMethodPassesAndTheRunExitsZero() throws Exception {
        try (Session s = tests(SHOP, "shop.CartTest#addsTax")) {
            s.launch();
            s.assertExit(0);
            String out = s.dap.stdout();
            assertTrue(out.contains("✔ CartTest.addsTax\n"), out);
            assertTrue(out.contains("Tests: 1 passed, 0 failed"), out);
            assertTrue(!out.contains("smallPricesKeepTheirCents"), "only the method selected runs: " + out);
        }
    }

    @Test
    @Order(2)
    void aFailingTestThatDoesNotStopFailsTheRun() throws Exception {
        try (Session s = tests(SHOP, List.of("shop.CartTest"))) {
            s.with("propagatedExceptions", List.of("org.opentest4j.AssertionFailedError"));
            long t0 = System.nanoTime();
            s.launch();
            s.assertExit(1);
            System.out.println("[numbers] shop.CartTest under the adapter (class path cached), launch to exit: "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            String out = s.dap.stdout();
            assertTrue(out.contains("✔ CartTest.addsTax\n"), out);
            assertTrue(out.contains("✘ CartTest.smallPricesKeepTheirCents: org.opentest4j.AssertionFailedError: expected: <3> but was: <2>"), out);
            assertTrue(out.contains("Tests: 1 passed, 1 failed") && out.contains("failed: CartTest.smallPricesKeepTheirCents"), out);
        }
    }

    @Test
    @Order(3)
    void aFailingAssertionStopsAndTheFixedTestPassesInTheSameRun() throws Exception {
        Fixture shop = Fixture.maven("shop", "lib", "app");
        try (Session s = tests(shop, List.of("shop.CartTest"))) {
            long ms = stopFixAndContinue(s, List.of("expected: <3> but was: <2>", "CartTest.smallPricesKeepTheirCents"),
                    shop.root.resolve("app/src/test/java/shop/CartTest.java"), "assertEquals(3, Prices.withTax(2)); // WRONG",
                    "assertEquals(2, Prices.withTax(2));", "✔ CartTest.smallPricesKeepTheirCents\n");
            System.out.println("[numbers] failing test fixed, continue to the test's result: " + ms + " ms");
            assertTrue(s.dap.stdout().contains("Tests: 2 passed, 0 failed"), s.dap.stdout());
        }
    }

    /** JUnit 4 tests through the vintage engine the project declares; the project was never built (the launch compiles it). */
    @Test
    void aJUnit4TestRunsThroughTheVintageEngineAndStopsWhereItFails() throws Exception {
        Fixture vintage = Fixture.maven("vintage");
        try (Session s = tests(vintage, List.of("legacy.DiscountTest"))) {
            stopFixAndContinue(s, List.of("expected:<91> but was:<90>", "DiscountTest.tenPercent"),
                    vintage.root.resolve("src/test/java/legacy/DiscountTest.java"), "assertEquals(91, Discount.apply(100, 10)); // WRONG",
                    "assertEquals(90, Discount.apply(100, 10));", "✔ DiscountTest.tenPercent\n");
            String out = s.dap.stdout();
            assertTrue(out.contains("✔ DiscountTest.halfOff\n") && out.contains("Tests: 2 passed, 0 failed"), out);
        }
    }

    /**
     * Launches, stops where the test failed (its sentence holding each of {@code said}), saves the
     * fix ({@code wrong} → {@code right}) and continues: ms from the continue to the {@code passed}
     * line; the run then ends with exit code 0.
     */
    private static long stopFixAndContinue(Session s, List<String> said, Path test, String wrong, String right, String passed) throws Exception {
        s.launch();
        JsonObject stop = s.stopped("exception");
        int thread = s.threadOf(stop);
        String sentence = s.exceptionSentence(stop);
        assertTrue(said.stream().allMatch(sentence::contains), sentence);
        Files.writeString(test, Files.readString(test).replace(wrong, right));
        long t0 = System.nanoTime();
        s.continueThread(thread);
        s.dap.awaitStdout(passed);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        s.assertExit(0);
        return ms;
    }
}
