package dev.hotrestart.session;

import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;
import dev.hotrestart.eval.BreakpointRule;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsResponse;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsResponse;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceBreakpoint;

import java.nio.file.Paths;

/**
 * setBreakpoints and setExceptionBreakpoints. Line breakpoints live in {@link Breakpoints}; the
 * exception filters ({@link ExceptionFilters}) decide which thrown exceptions stop, beside the
 * escapes from wrapped methods.
 */
public final class BreakpointRequests {
    private final Breakpoints breakpoints;
    private final ExceptionFilters exceptionFilters;

    BreakpointRequests(Breakpoints breakpoints, ExceptionFilters exceptionFilters) {
        this.breakpoints = breakpoints;
        this.exceptionFilters = exceptionFilters;
    }

    public SetBreakpointsResponse setBreakpoints(SetBreakpointsArguments args) {
        Source src = args.getSource();
        if (src == null || src.getPath() == null) {
            throw new UserError(ErrorId.BAD_REQUEST, "setBreakpoints needs source.path: the file's path.");
        }
        SourceBreakpoint[] sbs = args.getBreakpoints();
        int[] lines;
        Object[] rules = null;
        if (sbs != null) {
            lines = new int[sbs.length];
            rules = new Object[sbs.length];
            for (int i = 0; i < sbs.length; i++) {
                lines[i] = sbs[i].getLine();
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
        r.setBreakpoints(breakpoints.set(Paths.get(src.getPath()).toAbsolutePath().normalize(), lines, rules).toArray(new Breakpoint[0]));
        return r;
    }

    public SetExceptionBreakpointsResponse setExceptionBreakpoints(SetExceptionBreakpointsArguments args) {
        SetExceptionBreakpointsResponse r = new SetExceptionBreakpointsResponse();
        r.setBreakpoints(exceptionFilters.set(args));
        return r;
    }
}
