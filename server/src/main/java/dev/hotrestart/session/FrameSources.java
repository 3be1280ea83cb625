package dev.hotrestart.session;

import com.sun.jdi.Location;
import com.sun.jdi.ReferenceType;
import dev.hotrestart.base.SourceLocator;
import dev.hotrestart.reload.ReplacedFrames;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourcePresentationHint;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The DAP {@code Source} of code the program runs: the file under 'sourcePaths', or, for code a
 * reload replaced, the text of that older version by reference.
 */
final class FrameSources {
    private final Map<ReferenceType, Source> byType = new HashMap<>();
    private SourceLocator sources;
    private ReplacedFrames replaced;

    FrameSources(SourceLocator sources) {
        this.sources = sources;
    }

    void connected(SourceLocator sources, ReplacedFrames replaced) {
        this.sources = sources;
        this.replaced = replaced;
    }

    /** Whether the code at {@code loc} is a version a reload replaced. */
    boolean runsReplacedCode(Location loc) {
        return replaced != null && replaced.runsReplacedCode(loc);
    }

    Source of(Location loc) {
        return of(loc, runsReplacedCode(loc));
    }

    /** {@code replacedCode}: the frame still runs the version before a reload; that version's text is shown. */
    Source of(Location loc, boolean replacedCode) {
        ReferenceType type = loc.declaringType();
        if (replacedCode) {
            String key = SourceLocator.keyOf(type);
            int ref = key == null ? 0 : replaced.previousText(key);
            if (ref > 0) return olderVersion(key, ref);
        }
        return byType.computeIfAbsent(type, ty -> {
            String key = SourceLocator.keyOf(ty);
            if (key == null) return null;
            Source s = new Source();
            s.setName(key.substring(key.lastIndexOf('/') + 1));
            Path p = sources.find(key);
            if (p != null) s.setPath(p.toString());
            else s.setPresentationHint(SourcePresentationHint.DEEMPHASIZE);
            return s;
        });
    }

    /** The text of an older version of a file, served by reference. */
    static Source olderVersion(String key, int ref) {
        Source s = new Source();
        s.setName(key.substring(key.lastIndexOf('/') + 1) + " (older version)");
        s.setSourceReference(ref);
        s.setPresentationHint(SourcePresentationHint.DEEMPHASIZE);
        return s;
    }

    /** The text of an older version by its reference, or null. */
    String text(int ref) {
        return replaced == null ? null : replaced.text(ref);
    }
}
