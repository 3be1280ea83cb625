package dev.hotrestart.session;

import com.sun.jdi.ThreadReference;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.BreakpointEventArguments;
import org.eclipse.lsp4j.debug.ContinuedEventArguments;
import org.eclipse.lsp4j.debug.ExitedEventArguments;
import org.eclipse.lsp4j.debug.InvalidatedAreas;
import org.eclipse.lsp4j.debug.InvalidatedEventArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.TerminatedEventArguments;
import org.eclipse.lsp4j.debug.ThreadEventArguments;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

/** The events the adapter sends the client, each built in one place. */
public final class ClientEvents {
    private final IDebugProtocolClient client;
    private final ThreadStops stops;
    private final boolean invalidatedSupported;

    ClientEvents(IDebugProtocolClient client, ThreadStops stops, boolean invalidatedSupported) {
        this.client = client;
        this.stops = stops;
        this.invalidatedSupported = invalidatedSupported;
    }

    public void stopped(ThreadReference t, String reason, Integer[] hitIds, String text, String description) {
        StoppedEventArguments a = new StoppedEventArguments();
        a.setReason(reason);
        a.setThreadId(stops.id(t));
        a.setAllThreadsStopped(false);
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
        c.setAllThreadsContinued(false);
        client.continued(c);
    }

    public void thread(ThreadReference t, String reason) {
        ThreadEventArguments a = new ThreadEventArguments();
        a.setReason(reason);
        a.setThreadId(stops.id(t));
        client.thread(a);
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
        a.setBreakpoint(bp);
        client.breakpoint(a);
    }

    /** What the stacks show changed (frames on replaced code): clients that understand it fetch them again. */
    public void stacksInvalidated() {
        if (!invalidatedSupported) return;
        InvalidatedEventArguments inv = new InvalidatedEventArguments();
        inv.setAreas(new String[]{InvalidatedAreas.STACKS});
        client.invalidated(inv);
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
