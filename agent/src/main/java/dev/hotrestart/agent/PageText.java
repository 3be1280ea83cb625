package dev.hotrestart.agent;

/**
 * Describes a page of an object array in one string, for the debugger's Variables view: it
 * invokes {@link #describe} once and reads one string back, where reading each element's class
 * and each box's value costs two debugger round trips per element. Runs none of the program's
 * code: it compares classes and reads Strings and the JDK's primitive boxes, nothing else.
 */
public final class PageText {
    private static final Class<?>[] BOXES = {Boolean.class, Byte.class, Character.class, Short.class, Integer.class,
            Long.class, Float.class, Double.class};
    /** The tags of the boxes, in the order of {@code BOXES}; the debugger reads them with this same string. */
    public static final String BOX_TAGS = "ZBCSIJFD";

    private PageText() {}

    /**
     * The elements {@code from} to {@code from + count} (fewer at the end of the array), one after
     * the other: {@code n} for null; {@code o} for any other object (the debugger reads it
     * itself); else a tag, the text's length, {@code :} and the text. The tags: {@code s} a
     * String; {@code Z B C S I J F D} a Boolean, Byte, Character, Short, Integer, Long, Float or
     * Double, whose text is {@code String.valueOf} of its value. Nothing for {@code objects}
     * that is no object array.
     */
    public static String describe(Object objects, int from, int count) {
        // declared Object: the debugger then checks the argument's type without asking the JVM
        if (!(objects instanceof Object[])) return "";
        Object[] array = (Object[]) objects;
        int end = from + Math.min(count, array.length - from);
        StringBuilder out = new StringBuilder(Math.max(0, end - from) * 8);
        for (int i = from; i < end; i++) {
            Object o = array[i];
            char tag = o == null ? 'n' : o.getClass() == String.class ? 's' : 'o';
            for (int k = 0; tag == 'o' && k < BOXES.length; k++) {
                if (o.getClass() == BOXES[k]) tag = BOX_TAGS.charAt(k);
            }
            out.append(tag);
            if (tag == 'n' || tag == 'o') continue;
            // the JDK's own final classes: their toString is String.valueOf of the value
            String text = o.toString();
            out.append(text.length()).append(':').append(text);
        }
        return out.toString();
    }
}
