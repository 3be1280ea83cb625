package dev.hotrestart.agent;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The main class of a launch with 'tests': runs the selected classes ({@code com.acme.CartTest})
 * and methods ({@code com.acme.CartTest#addsTax}) on the JUnit Platform of the project's class
 * path (JUnit 5, and JUnit 4 when the vintage engine is there), prints each test's result and a
 * summary, and exits 0 when every test passed, 1 otherwise. It runs in the debuggee, so a test that
 * fails in a wrapped method stops there like any escape, and a fixed one runs again in this run.
 */
public final class TestRunner {
    private TestRunner() {}

    public static void main(String[] args) {
        List<DiscoverySelector> selectors = new ArrayList<DiscoverySelector>();
        for (String a : args) selectors.add(a.contains("#") ? DiscoverySelectors.selectMethod(a) : DiscoverySelectors.selectClass(a));
        Results results = new Results();
        long t0 = System.nanoTime();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectors).build(), results);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.flush();
        int ran = results.passed + results.failed;
        if (ran == 0 && results.skipped == 0) {
            System.out.println("No tests found for " + String.join(", ", args) + ". Check 'tests' (com.acme.CartTest or com.acme.CartTest#addsTax).");
            System.exit(1);
        }
        System.out.println("Tests: " + results.passed + " passed, " + results.failed + " failed"
                + (results.skipped > 0 ? ", " + results.skipped + " skipped" : "") + " (" + ms + " ms)"
                + (results.failed > 0 ? " — failed: " + String.join(", ", results.failedNames) : ""));
        System.exit(results.failed == 0 ? 0 : 1);
    }

    /** Counts and prints each test as it ends. */
    private static final class Results implements TestExecutionListener {
        int passed;
        int failed;
        int skipped;
        final List<String> failedNames = new ArrayList<String>();

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (!id.isTest()) return;
            skipped++;
            System.out.println("- " + name(id) + " skipped" + (reason == null ? "" : ": " + reason));
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Throwable thrown = result.getThrowable().orElse(null);
            if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                // an assumption that did not hold (assumeTrue): skipped, as Maven counts it, not failed
                if (id.isTest()) {
                    skipped++;
                    System.out.println("- " + name(id) + " skipped" + (thrown == null ? "" : ": " + thrown.getMessage()));
                }
                return;
            }
            if (!id.isTest()) {
                // a class whose set-up failed: its tests never ran, which is a failure too
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && thrown != null) {
                    failed++;
                    failedNames.add(name(id));
                    System.out.println("✘ " + name(id) + ": " + thrown);
                }
                return;
            }
            if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                passed++;
                System.out.println("✔ " + name(id));
            } else {
                failed++;
                failedNames.add(name(id));
                System.out.println("✘ " + name(id) + (thrown == null ? "" : ": " + thrown));
            }
        }

        /** CartTest.addsTax, as a stack trace names it; else JUnit's display name. */
        private static String name(TestIdentifier id) {
            TestSource source = id.getSource().orElse(null);
            if (source instanceof MethodSource) {
                MethodSource m = (MethodSource) source;
                String cls = m.getClassName();
                return cls.substring(cls.lastIndexOf('.') + 1) + "." + m.getMethodName()
                        + (shownAsMethod(id.getDisplayName(), m.getMethodName()) ? "" : " " + id.getDisplayName());
            }
            return id.getDisplayName();
        }

        /** Whether JUnit shows the test by its method's name: {@code addsTax()} (Jupiter) or {@code addsTax} (JUnit 4, through the vintage engine). */
        private static boolean shownAsMethod(String displayName, String method) {
            return displayName.equals(method) || displayName.startsWith(method + "(");
        }
    }
}
