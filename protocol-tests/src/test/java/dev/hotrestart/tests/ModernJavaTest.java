package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A debuggee newer than the adapter's JDK: its javac compiles the reload, at its class file version. */
class ModernJavaTest {
    @Test
    void aRecordAndPatternSwitchMethodReloadsOnTheDebuggeesJdk() throws Exception {
        int feature = Fixture.debuggeeFeature();
        assumeTrue(feature >= 21, "needs a Java 21+ debuggee (this pass runs Java " + feature + ")");
        Fixture f = Fixture.of("modern", feature, Fixture.debuggeeJavaHome());
        try (Session s = Session.start(f, "modern.Shapes")) {
            s.launch();
            JsonObject stop = s.stopped("exception");
            assertTrue(s.exceptionSentence(stop).endsWith("circle 2 escaped Shapes.area(Shapes.Shape)"), stop.toString());
            // the debuggee JDK's javac reports errors as this adapter's does: the edited file's line
            f.edit("modern/Shapes.java", "    @HotRestart\n    int area(", "    // moved down a line\n    @HotRestart\n    int area(");
            f.edit("modern/Shapes.java", "case Circle c -> throw new UnsupportedOperationException(\"circle \" + c.r());",
                    "case Circle c -> 3 * c.radius();");
            String msg = s.dap.error("restartFrameWithReload", Map.of("threadId", s.threadOf(stop)));
            assertTrue(msg.contains(f.file("modern/Shapes.java") + ":" + f.line("modern/Shapes.java", "c.radius()") + ":")
                    && msg.contains("cannot find symbol"), msg);
            f.edit("modern/Shapes.java", "case Circle c -> 3 * c.radius();", "case Circle c -> 3 * c.r() * c.r();");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", s.threadOf(stop), "resume", true));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("area=9,12"), s.dap.stdout());
        }
    }
}
