package dev.hotrestart.eval;

import com.sun.jdi.ObjectReference;

/** What the names $exception and $return stand for in a thread's stop; either may be null. */
public record Specials(ObjectReference exception, Returned returned) {
    public static final Specials NONE = new Specials(null, null);
}
