package dev.hotrestart.base;

import java.util.ArrayList;
import java.util.List;

/** Class names as written in source, and the binary names they may stand for. */
public final class BinaryNames {
    private BinaryNames() {}

    /** {@code a.b.C.D} as binary names, outermost reading first: {@code a.b.C.D}, {@code a.b.C$D}, {@code a.b$C$D}, … */
    public static List<String> of(String written) {
        List<String> out = new ArrayList<>();
        String n = written;
        out.add(n);
        for (int i = n.lastIndexOf('.'); i > 0; i = n.lastIndexOf('.')) {
            n = n.substring(0, i) + "$" + n.substring(i + 1);
            out.add(n);
        }
        return out;
    }

    /**
     * Whether a class name as the user wrote it names the class of this binary name: all of it, or
     * its tail at a dot, so a package or an outer class may be left out ({@code Line},
     * {@code Cart.Line} and {@code Cart$Line} all name {@code com.acme.Cart$Line}).
     */
    public static boolean names(String written, String binaryName) {
        String w = written.replace('$', '.');
        String full = binaryName.replace('$', '.');
        return full.equals(w) || full.endsWith("." + w);
    }
}
