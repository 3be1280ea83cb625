package dev.hotrestart.project;

import java.nio.file.Path;
import java.util.List;

/**
 * A project's class path: {@code fromBuildTool} when the build tool was asked this time (the
 * slow case, seconds), false when the cache answered; {@code millis} what it took;
 * {@code notKept} why the answer could not be kept for the next launch (null when it was, or
 * came from the cache); {@code compiledBecause}, when the class path came from the cache but the
 * build tool compiled the project's classes, why (its sources changed since), else null.
 */
public record ClassPath(List<Path> entries, boolean fromBuildTool, long millis, String notKept, String compiledBecause) {}
