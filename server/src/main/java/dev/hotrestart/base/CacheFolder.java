package dev.hotrestart.base;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The adapter's cache folder: {@code $XDG_CACHE_HOME/hotrestart}, else {@code ~/.cache/hotrestart}. */
public final class CacheFolder {
    private CacheFolder() {}

    /** Null when there is no home folder to put it in. */
    public static Path path() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty() && Paths.get(xdg).isAbsolute()) return Paths.get(xdg, "hotrestart");
        String home = System.getProperty("user.home");
        return home == null || home.isEmpty() ? null : Paths.get(home, ".cache", "hotrestart");
    }
}
