package dev.hotrestart.jvm;

import com.sun.jdi.request.EventRequest;

/** Event requests made the way the session makes them: tagged, with a suspend policy, enabled. */
public final class Requests {
    private Requests() {}

    /** Enables a request whose event suspends only its thread; {@code tag} (may be null) is a property set to TRUE. */
    public static <R extends EventRequest> R suspendingThread(R r, String tag) {
        return enable(r, tag, EventRequest.SUSPEND_EVENT_THREAD);
    }

    /** Enables a request whose event suspends nothing: the session only takes note. */
    public static <R extends EventRequest> R noting(R r) {
        return enable(r, null, EventRequest.SUSPEND_NONE);
    }

    private static <R extends EventRequest> R enable(R r, String tag, int suspendPolicy) {
        if (tag != null) r.putProperty(tag, Boolean.TRUE);
        r.setSuspendPolicy(suspendPolicy);
        r.enable();
        return r;
    }
}
