package dev.hotrestart.session;

import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;
import dev.hotrestart.eval.BreakpointRule;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.BreakpointLocation;
import org.eclipse.lsp4j.debug.BreakpointLocationsArguments;
import org.eclipse.lsp4j.debug.BreakpointLocationsResponse;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsResponse;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsResponse;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceBreakpoint;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * setBreakpoints and setExceptionBreakpoints. Line breakpoints live in {@link Breakpoints}; the
 * exception filters ({@link ExceptionFilters}) decide which thrown exceptions stop, beside the
 * escapes from wrapped methods.
 */
public final class BreakpointRequests {
    private final Breakpoints breakpoints;
    private final ExceptionFilters exceptionFilters;
    private final ClientColumns columns;

    BreakpointRequests(Breakpoints breakpoints, ExceptionFilters exceptionFilters, ClientColumns columns) {
        this.breakpoints = breakpoints;
        this.columns = columns;
        this.exceptionFilters = exceptionFilters;
    }

    public SetBreakpointsResponse setBreakpoints(SetBreakpointsArguments args) {
        Source src = args.getSource();
        // a library's or the JDK's source that the client knows by its reference only
        java.nio.file.Path byRef = src == null || src.getPath() != null || src.getSourceReference() == null ? null
                : breakpoints.pathOf(src.getSourceReference());
        if (src == null || (src.getPath() == null && byRef == null)) {
            throw new UserError(ErrorId.BAD_REQUEST, "setBreakpoints needs source.path: the file's path"
                    + (src != null && src.getSourceReference() != null ? " (no source has the reference " + src.getSourceReference() + ")" : "") + ".");
        }
        SourceBreakpoint[] sbs = args.getBreakpoints();
        int[] lines;
        int[] atColumns = null;
        Object[] rules = null;
        if (sbs != null) {
            lines = new int[sbs.length];
            rules = new Object[sbs.length];
            for (int i = 0; i < sbs.length; i++) {
                lines[i] = sbs[i].getLine();
                int column = columns.in(sbs[i].getColumn());
                if (column > 0) {
                    if (atColumns == null) atColumns = new int[sbs.length];
                    atColumns[i] = column;
                }
                try {
                    rules[i] = BreakpointRule.parse(sbs[i].getCondition(), sbs[i].getHitCondition(), sbs[i].getLogMessage());
                } catch (UserError err) {
                    rules[i] = err.getMessage(); // refused: reported on the breakpoint
                }
            }
        } else if (args.getLines() != null) {
            lines = new int[args.getLines().length];
            for (int i = 0; i < lines.length; i++) lines[i] = args.getLines()[i];
        } else {
            lines = new int[0];
        }
        SetBreakpointsResponse r = new SetBreakpointsResponse();
        java.nio.file.Path path = byRef != null ? byRef : Paths.get(src.getPath()).toAbsolutePath().normalize();
        List<Breakpoint> set = breakpoints.set(path, lines, atColumns, rules);
        set.forEach(columns::out);
        r.setBreakpoints(set.toArray(new Breakpoint[0]));
        return r;
    }

    /**
     * Where on the lines asked a breakpoint can stop: each line's own code, and each lambda whose
     * body starts there. An editor shows these as places for column breakpoints.
     */
    public BreakpointLocationsResponse breakpointLocations(BreakpointLocationsArguments args) {
        BreakpointLocationsResponse r = new BreakpointLocationsResponse();
        if (args == null || args.getSource() == null || args.getSource().getPath() == null) {
            r.setBreakpoints(new BreakpointLocation[0]);
            return r;
        }
        java.nio.file.Path path = Paths.get(args.getSource().getPath()).toAbsolutePath().normalize();
        int last = args.getEndLine() == null ? args.getLine() : Math.min(args.getEndLine(), args.getLine() + 1000);
        List<BreakpointLocation> out = new ArrayList<>();
        LinePositions positions = breakpoints.positions(path);
        for (int line = args.getLine(); line <= last && positions != null; line++) {
            for (LinePositions.Place p : positions.places(line)) {
                BreakpointLocation l = new BreakpointLocation();
                l.setLine(p.line());
                l.setColumn(columns.out(p.column()));
                out.add(l);
            }
        }
        r.setBreakpoints(out.toArray(new BreakpointLocation[0]));
        return r;
    }

    public SetExceptionBreakpointsResponse setExceptionBreakpoints(SetExceptionBreakpointsArguments args) {
        SetExceptionBreakpointsResponse r = new SetExceptionBreakpointsResponse();
        r.setBreakpoints(exceptionFilters.set(args));
        return r;
    }
}
