package dev.hotrestart.session;

import dev.hotrestart.base.BinaryNames;
import com.sun.jdi.ClassType;
import com.sun.jdi.Location;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.ExceptionEvent;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.ExceptionRequest;
import dev.hotrestart.jvm.Requests;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.ExceptionFilterOptions;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsArguments;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The exception breakpoint filters {@code caught} and {@code uncaught}, each with an optional
 * {@link ExceptionCondition}: which thrown exceptions stop, and the JVM's requests that report them.
 * <p>
 * What an exception costs the program: with no filter set and the agent watching escapes, nothing
 * here asks for exception events, so none costs more than without a debugger. A filter whose
 * condition names types to include asks the JVM for those types only, one request per loaded
 * class named (the JVM checks subclasses itself, and a class that loads later gets its request
 * as it loads): another type's exception costs no event. ThroughputBench: IllegalArgumentExceptions
 * under a caught filter for IllegalStateException ran at 476,000/s against 496,000/s with no
 * filter; decided here, one event each, 2,400/s. A filter with nothing to include (no condition,
 * or only {@code !Type}) needs every exception reported, and decides here.
 */
final class ExceptionFilters {
    static final String CAUGHT = "caught";
    static final String UNCAUGHT = "uncaught";
    /** Marks the class prepare requests that watch for the named exception types to load. */
    private static final String TYPE_WATCH = "hotrestart.exceptionType";
    /** Thrown and caught inside these, an exception is the JDK's own business: it never stops "caught". */
    private static final String[] JDK = {"java.", "javax.", "jdk.", "sun.", "com.sun."};

    /** The filters' conditions; null while a filter is off. */
    private ExceptionCondition caught, uncaught;
    private VirtualMachine vm;
    /** Escapes are found by the agent (true), or at the throw site from every exception's event. */
    private boolean handlerMode;
    /** Every exception, caught or not: for the throw-site detector and for filters with no type to include. */
    private ExceptionRequest every;
    /** The requests for named types, and the class prepare requests that add them as the types load. */
    private final List<EventRequest> byType = new ArrayList<>();
    private final Set<ReferenceType> typesWatched = new HashSet<>();

    void connected(VirtualMachine vm, boolean handlerMode) {
        this.vm = vm;
        this.handlerMode = handlerMode;
        every = vm.eventRequestManager().createExceptionRequest(null, true, true);
        every.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        updateRequests();
    }

    /**
     * Sets the filters the client names, in {@code filters} and (with conditions) in
     * {@code filterOptions}; one Breakpoint for each, in that order. A filter the adapter does not
     * have, or a condition that is no list of types, is reported on its Breakpoint and not set.
     */
    Breakpoint[] set(SetExceptionBreakpointsArguments args) {
        List<Breakpoint> out = new ArrayList<>();
        ExceptionCondition newCaught = null, newUncaught = null;
        List<ExceptionFilterOptions> entries = new ArrayList<>();
        if (args.getFilters() != null) {
            for (String id : args.getFilters()) {
                ExceptionFilterOptions o = new ExceptionFilterOptions();
                o.setFilterId(id);
                entries.add(o);
            }
        }
        if (args.getFilterOptions() != null) entries.addAll(List.of(args.getFilterOptions()));
        for (ExceptionFilterOptions o : entries) {
            Breakpoint b = new Breakpoint();
            String id = o.getFilterId();
            if (!CAUGHT.equals(id) && !UNCAUGHT.equals(id)) {
                b.setVerified(false);
                b.setMessage("No exception filter '" + id + "': there are '" + CAUGHT + "' and '" + UNCAUGHT + "'.");
                out.add(b);
                continue;
            }
            try {
                ExceptionCondition c = ExceptionCondition.parse(o.getCondition());
                if (CAUGHT.equals(id)) newCaught = c;
                else newUncaught = c;
                b.setVerified(true);
            } catch (IllegalArgumentException e) {
                b.setVerified(false);
                b.setMessage("Condition of the '" + id + "' filter: " + e.getMessage());
            }
            out.add(b);
        }
        caught = newCaught;
        uncaught = newUncaught;
        updateRequests();
        return out.toArray(new Breakpoint[0]);
    }

    /** Whether a thrown exception stops the thread, by the filters and their conditions. */
    boolean stops(ExceptionEvent e) {
        Location catchSite = e.catchLocation();
        ExceptionCondition c = catchSite == null ? uncaught : caught;
        if (c == null) return false;
        if (catchSite != null && isJdk(e.location()) && isJdk(catchSite)) return false;
        return c.isAny() || c.stops(chain(e.exception().referenceType()));
    }

    /** Whether a class prepare request is one of ours, watching for a named exception type to load. */
    static boolean watchesTypes(EventRequest r) {
        return Boolean.TRUE.equals(r.getProperty(TYPE_WATCH));
    }

    /** A class with a name a condition may mean has loaded: it is watched if the name is its. */
    void classPrepared(ReferenceType t) {
        watch(t);
    }

    private static boolean isJdk(Location l) {
        String name = l.declaringType().name();
        for (String p : JDK) if (name.startsWith(p)) return true;
        return false;
    }

    /** The binary names of a class and its superclasses, nearest first (JDI keeps superclasses: no round trip after the first). */
    private static List<String> chain(ReferenceType t) {
        List<String> out = new ArrayList<>();
        for (ClassType c = t instanceof ClassType ct ? ct : null; c != null; c = c.superclass()) out.add(c.name());
        return out;
    }

    /** The requests the filters need now, replacing those they needed before. */
    private void updateRequests() {
        if (vm == null) return; // set when the JVM connects
        EventRequestManager erm = vm.eventRequestManager();
        for (EventRequest r : byType) erm.deleteEventRequest(r);
        byType.clear();
        typesWatched.clear();
        boolean needsEvery = !handlerMode || (caught != null && caught.included().isEmpty())
                || (uncaught != null && uncaught.included().isEmpty());
        every.setEnabled(needsEvery);
        if (needsEvery) return; // every exception is reported anyway: requests by type would report some twice
        Set<String> names = new HashSet<>();
        if (caught != null) names.addAll(caught.included());
        if (uncaught != null) names.addAll(uncaught.included());
        if (names.isEmpty()) return;
        for (String name : names) {
            // JDI's class filters take a * at one end only: this one matches the type's last
            // name in any package or enclosing class (and a few more, which watch() tells apart)
            ClassPrepareRequest r = erm.createClassPrepareRequest();
            r.addClassFilter("*" + name.substring(name.lastIndexOf('.') + 1));
            // suspends the loading thread, so that the type's request is in place before its first throw
            byType.add(Requests.suspendingThread(r, TYPE_WATCH));
        }
        for (ReferenceType t : vm.allClasses()) watch(t); // JDI keeps this list; no round trip
    }

    /** Asks the JVM for the exceptions of this class (and its subclasses), by the filters that name it. */
    private void watch(ReferenceType t) {
        if (!(t instanceof ClassType) || typesWatched.contains(t)) return;
        boolean forCaught = names(caught, t), forUncaught = names(uncaught, t);
        if (!forCaught && !forUncaught) return;
        typesWatched.add(t);
        byType.add(Requests.suspendingThread(vm.eventRequestManager().createExceptionRequest(t, forCaught, forUncaught), null));
    }

    private static boolean names(ExceptionCondition c, ReferenceType t) {
        if (c == null) return false;
        for (String name : c.included()) if (BinaryNames.names(name, t.name())) return true;
        return false;
    }
}
