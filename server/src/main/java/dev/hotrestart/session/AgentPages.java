package dev.hotrestart.session;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ClassType;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import dev.hotrestart.agent.PageText;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A page of an object array described by the agent inside the debuggee ({@link PageText}): one
 * method call and one string read for the whole page, where reading each element's class and
 * each box's value takes two round trips per element. Works only where the agent is loaded and
 * the thread was stopped by an event (a breakpoint, a step, an exception); else the caller reads
 * the elements itself.
 */
final class AgentPages {
    /** One element: its tag (see {@link PageText#describe}) and, for a String or a box, its text. */
    record Element(char tag, String text) {
        boolean described() {
            return tag != 'o';
        }
    }

    private static final Logger LOG = Logger.getLogger(AgentPages.class.getName());
    private static final String[] BOX_TYPES = {"Boolean", "Byte", "Character", "Short", "Integer", "Long", "Float", "Double"};

    private AgentPages() {}

    /** Elements {@code from} to {@code from + n} of an object array, or null when the agent cannot tell. */
    static List<Element> describe(ArrayReference array, int from, int n, ThreadReference thread) {
        try {
            String sig = array.referenceType().signature();
            if (!sig.startsWith("[L") && !sig.startsWith("[[")) return null;
            VirtualMachine vm = array.virtualMachine();
            List<ReferenceType> types = vm.classesByName(PageText.class.getName());
            if (types.isEmpty() || !(types.get(0) instanceof ClassType pages)) return null;
            Method describe = pages.concreteMethodByName("describe", "(Ljava/lang/Object;II)Ljava/lang/String;");
            if (describe == null) return null;
            // runs only the agent's code, on this thread alone; other threads stay suspended
            Value text = pages.invokeMethod(thread, describe, List.of(array, vm.mirrorOf(from), vm.mirrorOf(n)),
                    ObjectReference.INVOKE_SINGLE_THREADED);
            List<Element> page = text instanceof StringReference s ? parse(s.value(), n) : null;
            LOG.fine(() -> "the agent described elements " + from + " to " + (from + n - 1) + (page == null ? ": unreadable" : ""));
            return page;
        } catch (Exception e) {
            // a thread paused rather than stopped by an event, or busy with a call: no calls possible
            LOG.log(Level.FINE, e, () -> "the agent could not describe elements " + from + " to " + (from + n - 1));
            return null;
        }
    }

    /** The {@code n} elements in {@code text}, or null when it does not hold exactly that many. */
    static List<Element> parse(String text, int n) {
        List<Element> out = new ArrayList<>(n);
        int i = 0;
        while (i < text.length()) {
            char tag = text.charAt(i++);
            if (tag == 'n' || tag == 'o') {
                out.add(new Element(tag, null));
                continue;
            }
            int colon = text.indexOf(':', i);
            if (colon < 0 || (tag != 's' && PageText.BOX_TAGS.indexOf(tag) < 0)) return null;
            int end = colon + 1 + Integer.parseInt(text, i, colon, 10);
            out.add(new Element(tag, text.substring(colon + 1, end)));
            i = end;
        }
        return out.size() == n ? out : null;
    }

    /** The simple type name of a described non-null element (a String or a box). */
    static String typeName(Element e) {
        return e.tag() == 's' ? "String" : BOX_TYPES[PageText.BOX_TAGS.indexOf(e.tag())];
    }
}
