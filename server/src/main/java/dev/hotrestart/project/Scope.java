package dev.hotrestart.project;

/** What a class path is for: running the program (runtime scope) or its tests (test scope). */
public enum Scope {
    RUNTIME("runtime"),
    TEST("test");

    /** The scope's name in Maven (and Gradle's configurations are named after the same idea). */
    final String name;

    Scope(String name) {
        this.name = name;
    }
}
