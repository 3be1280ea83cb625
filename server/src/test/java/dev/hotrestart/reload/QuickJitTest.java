package dev.hotrestart.reload;

import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JVM takes the directive that keeps javac and the parser with the quick compiler. */
class QuickJitTest {
    @Test
    void theJvmListsTheDirectiveOnce() throws Exception {
        QuickJit.apply();
        QuickJit.apply();
        String printed = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint", null, null);
        assertTrue(printed.contains("com/sun/tools/javac/*.*"), printed);
        assertTrue(printed.contains("com/github/javaparser/GeneratedJavaParser*.*"), printed);
        int first = printed.indexOf("com/sun/tools/javac/*.*");
        assertTrue(printed.indexOf("com/sun/tools/javac/*.*", first + 1) < 0, "applied twice:\n" + printed);
    }
}
