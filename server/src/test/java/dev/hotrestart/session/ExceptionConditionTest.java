package dev.hotrestart.session;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** An exception filter's condition: which types it names, which of them decides, what it refuses. */
class ExceptionConditionTest {
    static final List<String> FILE_NOT_FOUND = List.of("java.io.FileNotFoundException", "java.io.IOException",
            "java.lang.Exception", "java.lang.Throwable", "java.lang.Object");
    static final List<String> UNCHECKED_IO = List.of("java.io.UncheckedIOException", "java.lang.RuntimeException",
            "java.lang.Exception", "java.lang.Throwable", "java.lang.Object");
    static final List<String> OVERDRAFT = List.of("com.acme.Ledger$Overdraft", "com.acme.LedgerException",
            "java.lang.RuntimeException", "java.lang.Exception", "java.lang.Throwable", "java.lang.Object");

    @Test
    void aTypeStopsItsSubclassesWhetherNamedSimplyOrQualified() {
        for (String text : List.of("IOException", "java.io.IOException", " IOException ,IllegalStateException")) {
            ExceptionCondition c = ExceptionCondition.parse(text);
            assertTrue(c.stops(FILE_NOT_FOUND), text);
            assertFalse(c.stops(UNCHECKED_IO), text);
        }
        assertTrue(ExceptionCondition.parse("Ledger.Overdraft").stops(OVERDRAFT), "a nested type by its outer type and name");
        assertTrue(ExceptionCondition.parse("com.acme.Ledger$Overdraft").stops(OVERDRAFT), "and by its binary name");
        assertFalse(ExceptionCondition.parse("io.IOException").stops(UNCHECKED_IO));
        assertFalse(ExceptionCondition.parse("OException").stops(FILE_NOT_FOUND), "a name is matched whole, at a dot");
    }

    @Test
    void theNearestNamedTypeDecides() {
        ExceptionCondition c = ExceptionCondition.parse("IOException, !FileNotFoundException");
        assertFalse(c.stops(FILE_NOT_FOUND));
        assertTrue(c.stops(List.of("java.nio.file.NoSuchFileException", "java.nio.file.FileSystemException", "java.io.IOException")));
        ExceptionCondition checkedAndOne = ExceptionCondition.parse("Exception, !RuntimeException, Ledger.Overdraft");
        assertTrue(checkedAndOne.stops(FILE_NOT_FOUND));
        assertFalse(checkedAndOne.stops(UNCHECKED_IO));
        assertTrue(checkedAndOne.stops(OVERDRAFT));
        assertFalse(ExceptionCondition.parse("IOException, !IOException").stops(FILE_NOT_FOUND), "named both ways: left out");
    }

    @Test
    void onlyExclusionsStopEverythingElse() {
        ExceptionCondition c = ExceptionCondition.parse("!FileNotFoundException");
        assertFalse(c.stops(FILE_NOT_FOUND));
        assertTrue(c.stops(UNCHECKED_IO));
        assertTrue(c.included().isEmpty(), "nothing to ask the JVM for by type");
        assertTrue(ExceptionCondition.parse("  ").isAny());
        assertTrue(ExceptionCondition.parse(null).isAny());
    }

    @Test
    void whatIsNoTypeNameIsRefusedWithHowToWriteIt() {
        for (String text : List.of("IOException FileNotFoundException", "IOException,", "!", "java..IOException", "IO*",
                "1Exception", "IOException; Error")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExceptionCondition.parse(text), text);
            assertTrue(e.getMessage().contains("is not an exception type") && e.getMessage().contains("IOException, !"), e.getMessage());
        }
        assertTrue(ExceptionCondition.parse("NoSuchTypeAnywhere").stops(List.of("NoSuchTypeAnywhere")),
                "an unknown name is no error: the class may load later");
    }
}
