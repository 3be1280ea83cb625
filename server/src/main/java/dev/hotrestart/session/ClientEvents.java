package dev.hotrestart.session;

import com.sun.jdi.ThreadReference;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.BreakpointEventArguments;
import org.eclipse.lsp4j.debug.ContinuedEventArguments;
import org.eclipse.lsp4j.debug.ExitedEventArguments;
import org.eclipse.lsp4j.debug.InvalidatedAreas;
import org.eclipse.lsp4j.debug.InvalidatedEventArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.ProgressEndEventArguments;
import org.eclipse.lsp4j.debug.ProgressStartEventArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.TerminatedEventArguments;
import org.eclipse.lsp4j.debug.ThreadEventArguments;
import dev.hotrestart.base.UserError;
import dev.hotrestart.reload.CompileFailure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The events the adapter sends the client, each built in one place. */
public final class ClientEvents {
    private final HotRestartClient client;
    private final ThreadStops stops;
    private final boolean invalidatedSupported;
    private final ClientColumns columns;

    ClientEvents(HotRestartClient client, ThreadStops stops, boolean invalidatedSupported, ClientColumns columns) {
        this.columns = columns;
        this.client = client;
        this.stops = stops;
        this.invalidatedSupported = invalidatedSupported;
    }

    /** "suspendAll": a stop stops every thread, and what resumes a thread resumes them all. */
    private boolean allThreads;

    void suspendAll(boolean all) {
        allThreads = all;
    }

    public void stopped(ThreadReference t, String reason, Integer[] hitIds, String text, String description) {
        StoppedEventArguments a = new StoppedEventArguments();
        a.setReason(reason);
        a.setThreadId(stops.id(t));
        a.setAllThreadsStopped(allThreads);
        a.setPreserveFocusHint(false);
        if (hitIds != null) a.setHitBreakpointIds(hitIds);
        if (text != null) a.setText(text);
        if (description != null) a.setDescription(description);
        client.stopped(a);
    }

    /** A thread that a custom request resumed: unlike after 'continue', the client does not know it runs. */
    public void continued(ThreadReference t) {
        ContinuedEventArguments c = new ContinuedEventArguments();
        c.setThreadId(stops.id(t));
        c.setAllThreadsContinued(allThreads);
        client.continued(c);
    }

    public void thread(ThreadReference t, String reason) {
        ThreadEventArguments a = new ThreadEventArguments();
        a.setReason(reason);
        a.setThreadId(stops.id(t));
        client.thread(a);
    }

    /**
     * DAP's progress events for a slow step, when the client said it shows them
     * ({@code supportsProgressReporting}); else nothing.
     */
    public dev.hotrestart.project.Progress progress(boolean supported) {
        if (!supported) return dev.hotrestart.project.Progress.NONE;
        String id = "hotrestart-" + java.util.UUID.randomUUID();
        return new dev.hotrestart.project.Progress() {
            @Override
            public void start(String title) {
                ProgressStartEventArguments a = new ProgressStartEventArguments();
                a.setProgressId(id);
                a.setTitle(title);
                a.setCancellable(false);
                client.progressStart(a);
            }

            @Override
            public void end(String message) {
                ProgressEndEventArguments a = new ProgressEndEventArguments();
                a.setProgressId(id);
                a.setMessage(message);
                client.progressEnd(a);
            }
        };
    }

    /** {@code category}: console, stdout, stderr. */
    public void output(String category, String text) {
        OutputEventArguments o = new OutputEventArguments();
        o.setCategory(category);
        o.setOutput(text);
        client.output(o);
    }

    /** A line of the debug console that says where it came from (a logpoint). */
    public void output(String text, Source source, int line) {
        OutputEventArguments o = new OutputEventArguments();
        o.setCategory("console");
        o.setOutput(text);
        o.setSource(source);
        o.setLine(line);
        client.output(o);
    }

    /** Says what failed to the debug console, with the adapter's name, as stderr. */
    public void failure(String message) {
        output("stderr", "hotrestart: " + message + "\n");
    }

    public void breakpointChanged(Breakpoint bp) {
        BreakpointEventArguments a = new BreakpointEventArguments();
        a.setReason("changed");
        a.setBreakpoint(columns.out(bp));
        client.breakpoint(a);
    }

    /** What the stacks show changed (frames on replaced code): clients that understand it fetch them again. */
    public void stacksInvalidated() {
        if (!invalidatedSupported) return;
        InvalidatedEventArguments inv = new InvalidatedEventArguments();
        inv.setAreas(new String[]{InvalidatedAreas.STACKS});
        client.invalidated(inv);
    }

    /** How the last reload went, for editors that show compile errors (see {@link HotRestartClient#reloadDiagnostics}). */
    public void reloadDiagnostics(List<CompileFailure.Diagnostic> diagnostics, UserError failure) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (CompileFailure.Diagnostic d : diagnostics) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", d.path());
            m.put("line", d.line());
            m.put("column", d.column());
            m.put("message", d.message());
            list.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("diagnostics", list);
        if (failure != null) {
            body.put("errorId", failure.id().id);
            body.put("message", failure.getMessage());
        }
        client.reloadDiagnostics(body);
    }

    public void exited(int code) {
        ExitedEventArguments ex = new ExitedEventArguments();
        ex.setExitCode(code);
        client.exited(ex);
    }

    public void terminated() {
        client.terminated(new TerminatedEventArguments());
    }

    /** Asks the client to run the debuggee in its terminal; the answer is not awaited (it arrives on the busy reader thread). */
    public void runInTerminal(org.eclipse.lsp4j.debug.RunInTerminalRequestArguments args) {
        client.runInTerminal(args);
    }
}
