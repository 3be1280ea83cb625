package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A program in a named module, launched with modulePaths and module/mainClass. */
class ModulePathTest {
    static final String MOD = "shop/Mod.java";

    @ParameterizedTest
    @CsvSource({"handler", "throw"})
    void aWrappedMethodInANamedModuleStopsReloadsAndRunsOn(String stopAt) throws Exception {
        Fixture f = Fixture.of("modular");
        try (Session s = Session.start(f, "app/shop.Mod")) {
            s.launchArgs.remove("classPaths");
            s.with("modulePaths", List.of(f.classes.toString())).with("wrap", List.of("shop.Mod#risky")).with("stopAt", stopAt);
            s.launch();
            JsonObject stop = s.stopped("exception");
            assertTrue(s.exceptionSentence(stop).contains("too big: x=20"), stop.toString());
            int tid = s.threadOf(stop);
            JsonObject target = EscapeTest.findTarget(s, tid);
            assertEquals("⟳ Mod.risky(int)", target.get("name").getAsString());
            assertEquals("\"x=20\"", s.locals(target.get("id").getAsInt()).get("label"));
            assertTrue(s.dap.stdout().contains("module app"), "it runs in its module: " + s.dap.stdout());

            f.edit(MOD, "if (x > 10)", "if (x > 100)");
            JsonObject body = s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            assertEquals("Mod.risky(int)", body.get("restarted").getAsString());
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("result x=20"), s.dap.stdout());
        }
    }
}
