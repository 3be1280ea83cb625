package dev.hotrestart.session;

import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import dev.hotrestart.eval.BreakpointRule;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.BreakpointNotVerifiedReason;

import java.util.ArrayList;
import java.util.List;

/**
 * A breakpoint as the client knows it (a line, a function or a field) and the JVM requests that
 * stand for it. What the kinds share lives here: the id, the rule (condition, hit count, log
 * message), what the client was last told, and the hit counts the JVM counts itself.
 */
abstract class ClientBreakpoint {
    /** On each request: the id of the breakpoint it belongs to. */
    static final String BP_ID = "hotrestart.bp";
    /** On a request with a count filter: how many hits the JVM passes over before it reports one. */
    private static final String PASSED = "hotrestart.passed";

    final int id;
    /** Condition, hit count, log message; null for a plain breakpoint. */
    BreakpointRule rule;
    /** Why the rule was refused when set: such a breakpoint gets no requests. */
    String refused;
    /** Why the condition cannot work where the breakpoint is: no request there. */
    String conditionProblem;
    boolean verified;
    /** Why it is not verified, as the client was told; null when verified. */
    String message;
    /** Unverified for now, verified when a class loads (DAP's reason "pending"), rather than refused ("failed"). */
    boolean pending;
    final List<EventRequest> requests = new ArrayList<>();

    ClientBreakpoint(int id, Object rule) {
        this.id = id;
        if (rule instanceof BreakpointRule r) this.rule = r;
        if (rule instanceof String why) this.refused = why;
    }

    /** The stopped event's reason: "breakpoint", "function breakpoint", "data breakpoint". */
    abstract String reason();

    /** The breakpoint as the client sees it: id, verified, message, and where it is. */
    abstract Breakpoint toDap();

    /** A request like the spent one (same place, same filters) for the next count, tagged, not yet enabled. */
    abstract EventRequest renew(EventRequestManager erm, EventRequest spent);

    /** What a stop says besides its reason: the stopped event's description, and a line for the debug console (either may be null). */
    record Said(String description, String console) {}

    /** What a hit of this breakpoint that stops the thread says; {@code at}: where the program is (below the agent's hook, when a compiled condition called it). */
    Said said(LocatableEvent e, com.sun.jdi.Location at) {
        return new Said(null, null);
    }

    /** The marker of the condition compiled into the program for this breakpoint (see CompiledConditions); -1: none. */
    int marker() {
        return -1;
    }

    /** The site its condition is compiled into, when it wants one, and the key of that site's file; null when none. */
    dev.hotrestart.reload.ConditionSites.Site site() {
        return null;
    }

    String siteKey() {
        return null;
    }

    /** Fills what every kind reports the same way. */
    Breakpoint dap() {
        Breakpoint bp = new Breakpoint();
        bp.setId(id);
        bp.setVerified(verified);
        bp.setMessage(message);
        if (!verified && message != null) bp.setReason(pending ? BreakpointNotVerifiedReason.PENDING : BreakpointNotVerifiedReason.FAILED);
        return bp;
    }

    /** Marks a new request as this breakpoint's: it suspends its thread only; {@link #arm} enables it. */
    <R extends EventRequest> R tag(R r) {
        r.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        r.putProperty(BP_ID, id);
        return r;
    }

    /**
     * Enables the breakpoint's new requests. A hit count with no condition, on a breakpoint
     * with one request, is counted by the JVM: the request reports only the next hit that can
     * match, and none when no later hit can.
     */
    void arm() {
        boolean counted = countedByJvm();
        for (EventRequest r : requests) {
            if (r.isEnabled()) continue;
            if (counted) {
                long next = rule.nextMatch();
                if (next == 0) continue; // stays set and verified, never reported again
                if (next > 1) {
                    int n = (int) Math.min(next, Integer.MAX_VALUE);
                    r.addCountFilter(n);
                    r.putProperty(PASSED, (long) n - 1);
                }
            }
            r.enable();
        }
    }

    private boolean countedByJvm() {
        return rule != null && rule.countedByJvm() && requests.size() == 1;
    }

    /**
     * After a hit of a breakpoint the JVM counts: a request with a count filter reports once
     * and is spent, so it is replaced by one counting to the next hit that can match.
     */
    void counted(EventRequestManager erm, EventRequest fired) {
        if (!countedByJvm() || requests.get(0) != fired) return;
        if (fired.getProperty(PASSED) == null && rule.nextMatch() == 1) return; // every hit reports: keep it
        requests.set(0, renew(erm, fired));
        erm.deleteEventRequest(fired);
        arm();
    }

    /** The hits the JVM passed over before reporting this one. */
    static long passedOver(EventRequest r) {
        return r.getProperty(PASSED) instanceof Long n ? n : 0;
    }

    /** Deletes the breakpoint's requests in the JVM. */
    void clear(EventRequestManager erm) {
        erm.deleteEventRequests(requests);
        requests.clear();
    }
}
