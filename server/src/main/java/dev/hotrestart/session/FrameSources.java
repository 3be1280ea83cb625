package dev.hotrestart.session;

import com.sun.jdi.Location;
import com.sun.jdi.ReferenceType;
import dev.hotrestart.base.ArchiveSources;
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

    /** Sources found since (a library's fetched): every class's is looked up again. */
    void forgetSources() {
        byType.clear();
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
            if (p != null) {
                s.setPath(p.toString());
                return s;
            }
            s.setPresentationHint(SourcePresentationHint.DEEMPHASIZE);
            ArchiveSources archives = sources.archives();
            ArchiveSources.Found found = archives == null ? null : archives.find(ty.name(), key);
            if (found != null) {
                // a library's or the JDK's source, read-only: a copy an editor can open, and its text by reference
                s.setPath(found.file().toString());
                s.setSourceReference(found.ref());
                s.setOrigin(found.origin());
            } else if (archives != null && StepFilters.isJdk(ty.name())) {
                String why = archives.jdkMissing(ty.name()); // a javax.* class of a library jar has no JDK to blame
                if (why != null) s.setOrigin("no source: " + why);
            }
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

    /** The text of an older version, or of a library's or the JDK's source, by its reference; null for none. */
    String text(int ref) {
        ArchiveSources archives = sources.archives();
        ArchiveSources.Found found = archives == null || ref < ArchiveSources.FIRST_REF ? null : archives.byRef(ref);
        if (found != null) {
            try {
                return archives.text(found);
            } catch (java.io.IOException e) {
                return null;
            }
        }
        return replaced == null ? null : replaced.text(ref);
    }
}
