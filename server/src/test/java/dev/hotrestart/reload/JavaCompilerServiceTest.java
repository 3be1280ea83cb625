package dev.hotrestart.reload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session's javac compiles one file after another, each against the program's class path. */
class JavaCompilerServiceTest {
    static final String PRICED = "package p; public interface Priced { int price(); }";
    static final String SHOP = "package p; public class Shop implements Priced { public int price() { return 1; } }";

    @Test
    void aFileThatUsesAClassAnotherCompileJustCompiledFromSourceStillFindsItOnTheClassPath(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes.resolve("p"));
        // the program as built: both on the class path
        JavaCompilerService build = new JavaCompilerService(List.of(classes), Path.of(System.getProperty("java.home")));
        Files.write(classes.resolve("p/Priced.class"), build.compile("Priced.java", PRICED, 17, l -> l, "Priced.java").get("p.Priced"));
        Files.write(classes.resolve("p/Shop.class"), build.compile("Shop.java", SHOP, 17, l -> l, "Shop.java").get("p.Shop"));
        build.close();
        JavaCompilerService javac = new JavaCompilerService(List.of(classes), Path.of(System.getProperty("java.home")));
        try {
            // the warm-up compiles one file, a reload then compiles another that uses it
            javac.compile("Priced.java", PRICED, 17, l -> l, "Priced.java");
            Map<String, byte[]> shop = javac.compile("Shop.java", SHOP, 17, l -> l, "Shop.java");
            assertTrue(shop.containsKey("p.Shop"), shop.keySet().toString());
            // and back again, and the same file twice
            javac.compile("Priced.java", PRICED, 17, l -> l, "Priced.java");
            javac.compile("Shop.java", SHOP, 17, l -> l, "Shop.java");
            assertTrue(javac.compile("Shop.java", SHOP, 17, l -> l, "Shop.java").containsKey("p.Shop"));
        } finally {
            javac.close();
        }
    }
}
