package dev.hotrestart.session;

import com.sun.jdi.VirtualMachine;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.ExceptionRequest;
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
import java.util.Arrays;
import java.util.List;

/**
 * setBreakpoints and setExceptionBreakpoints. Line breakpoints live in {@link Breakpoints}; the
 * exception filters decide which thrown exceptions stop, beside the escapes from wrapped methods.
 */
public final class BreakpointRequests {
    private final Breakpoints breakpoints;
    private boolean catchCaught, catchUncaught;
    private ExceptionRequest exceptionRequest;
    private boolean handlerMode;

    BreakpointRequests(Breakpoints breakpoints) {
        this.breakpoints = breakpoints;
    }

    /** The JVM is connected: one exception request serves the filters and, without the agent, the escape detector. */
    void connected(VirtualMachine vm, boolean handlerMode) {
        this.handlerMode = handlerMode;
        exceptionRequest = vm.eventRequestManager().createExceptionRequest(null, true, true);
        exceptionRequest.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        updateExceptionRequest();
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
        List<String> filters = args.getFilters() == null ? List.of() : Arrays.asList(args.getFilters());
        catchCaught = filters.contains("caught");
        catchUncaught = filters.contains("uncaught");
        updateExceptionRequest();
        SetExceptionBreakpointsResponse r = new SetExceptionBreakpointsResponse();
        Breakpoint[] bps = new Breakpoint[filters.size()];
        for (int i = 0; i < bps.length; i++) {
            bps[i] = new Breakpoint();
            bps[i].setVerified(true);
        }
        r.setBreakpoints(bps);
        return r;
    }

    /** Whether an exception that is caught (or not) stops, by the filters the client set. */
    boolean stopsAt(boolean uncaught) {
        return uncaught ? catchUncaught : catchCaught;
    }

    /** The throw-site detector runs only where needed: it makes every exception cost an event. */
    private void updateExceptionRequest() {
        if (exceptionRequest == null) return;
        exceptionRequest.setEnabled(!handlerMode || catchCaught || catchUncaught);
    }
}
