package dev.hotrestart.tests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code hotrestart demo}, the newcomer's first look, must always tell its whole story. */
class DemoTest {
    @Test
    void demoStopsFixesReloadsAndFinishes() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Fixture.debuggeeJavaHome().resolve("bin/java").toString(),
                "-jar", DapClient.serverJar().toString(), "demo"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the demo did not finish within 120 s; it printed:\n" + output.get(5, TimeUnit.SECONDS));
        }
        String out = output.get(10, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "exit code; the demo printed:\n" + out);
        for (String expected : List.of(
                "→ launch {mainClass: shop.Checkout",
                "← stopped: exception — Escaped Checkout.total",
                "← output: hotrestart: java.lang.ArrayIndexOutOfBoundsException: Index 4 out of bounds for length 4"
                        + " escaped Checkout.total(int[]). Fix the method",
                "⟳ Checkout.total(int[])",
                "processed = 3",
                "+ for (int i = 1; i < prices.length; i++) {",
                "→ restartFrameWithReload {frameId:",
                "← reloaded [shop.Checkout.total(int[])], restarted Checkout.total(int[])",
                "program │ order 4: $57.97",
                "program │ 5 orders, revenue $176.95",
                "← exited: code 0",
                "Orders processed before the failure: 3")) {
            assertTrue(out.contains(expected), "the demo's output lacks '" + expected + "':\n" + out);
        }
        assertTrue(!out.contains("\tat ") && !out.contains("Exception in thread"), "the demo printed a stack trace:\n" + out);
        // the program's first three orders ran once: the restart re-ran only the failed method
        assertEquals(1, out.split("order 1: ", -1).length - 1, out);
    }
}
