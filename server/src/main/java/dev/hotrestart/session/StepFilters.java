package dev.hotrestart.session;

import com.sun.jdi.Location;
import com.sun.jdi.Method;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a step never stops in ("stepFilters"): classes by pattern (given to the JVM, so a step
 * through them costs no event), and kinds of methods the session steps on through.
 */
record StepFilters(List<String> skipClasses, boolean skipSynthetics, boolean skipStaticInitializers, boolean skipConstructors) {
    /** "$JDK" in skipClasses: the JDK's own packages. */
    static final String JDK = "$JDK";
    static final List<String> JDK_CLASSES = List.of("java.*", "javax.*", "jdk.*", "sun.*", "com.sun.*", "org.ietf.*", "org.w3c.*", "org.xml.*");
    static final StepFilters DEFAULT = new StepFilters(List.of(JDK), true, false, false);
    /** The agent's classes, in the program's JVM: never the user's code. */
    static final String AGENT_CLASSES = "dev.hotrestart.agent.*";

    /** Whether a class is one of the JDK's, by {@link #JDK_CLASSES}. */
    static boolean isJdk(String className) {
        for (String p : JDK_CLASSES) if (className.startsWith(p.substring(0, p.length() - 1))) return true;
        return false;
    }

    static final String SKIP_CLASSES = "skipClasses", SKIP_SYNTHETICS = "skipSynthetics",
            SKIP_STATIC_INITIALIZERS = "skipStaticInitializers", SKIP_CONSTRUCTORS = "skipConstructors";

    /** The default as the schema shows it, in a fixed order. */
    static Map<String, Object> defaultValue() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(SKIP_CLASSES, DEFAULT.skipClasses);
        m.put(SKIP_SYNTHETICS, DEFAULT.skipSynthetics);
        return m;
    }

    /** The attribute's value, already checked by {@link #problem}; a key left out keeps its default. */
    static StepFilters of(Object value) {
        if (!(value instanceof Map<?, ?> m)) return DEFAULT;
        List<String> classes = DEFAULT.skipClasses;
        if (m.get(SKIP_CLASSES) instanceof List<?> l) {
            classes = new ArrayList<>();
            for (Object o : l) classes.add((String) o);
        }
        return new StepFilters(List.copyOf(classes), flag(m, SKIP_SYNTHETICS, DEFAULT.skipSynthetics),
                flag(m, SKIP_STATIC_INITIALIZERS, false), flag(m, SKIP_CONSTRUCTORS, false));
    }

    private static boolean flag(Map<?, ?> m, String key, boolean dflt) {
        return m.get(key) instanceof Boolean b ? b : dflt;
    }

    /**
     * The class exclusion filters of a step request: the patterns, with "$JDK" spelled out, and
     * always the adapter's agent (a class's first load runs its transformer, which a step into the
     * code that loads it would otherwise stop in).
     */
    List<String> exclusions() {
        List<String> out = new ArrayList<>(List.of(AGENT_CLASSES));
        for (String p : skipClasses) {
            if (p.equals(JDK)) out.addAll(JDK_CLASSES);
            else out.add(p);
        }
        return out;
    }

    /**
     * A step into ended at the entry of a method the user asked to skip: the step goes on. Only
     * the entry counts (code index 0, where a step into a method lands), so stepping line by line
     * inside a constructor with a breakpoint in it still stops.
     */
    boolean skipsEntryOf(Location at) {
        Method m = at.method();
        if (at.codeIndex() != 0) return false;
        return (skipConstructors && m.isConstructor()) || (skipStaticInitializers && m.isStaticInitializer());
    }

    /** Compiler-made bridges and accessors; lambda bodies are the user's code. */
    boolean skipsSynthetic(Method m) {
        return skipSynthetics && m.isSynthetic() && !m.name().startsWith("lambda$");
    }

    /** Null when {@code value} is a valid "stepFilters", else what is wrong with it. */
    static String problem(Object value) {
        if (!(value instanceof Map<?, ?> m)) return "an object with skipClasses, skipSynthetics, skipStaticInitializers, skipConstructors";
        List<String> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            switch (key) {
                case SKIP_CLASSES -> {
                    if (!(v instanceof List<?> l)) {
                        out.add("skipClasses must be an array of class patterns");
                        break;
                    }
                    for (Object o : l) {
                        String bad = patternProblem(o);
                        if (bad != null) out.add(bad);
                    }
                }
                case SKIP_SYNTHETICS, SKIP_STATIC_INITIALIZERS, SKIP_CONSTRUCTORS -> {
                    if (!(v instanceof Boolean)) out.add(key + " must be true or false");
                }
                default -> out.add("it has no '" + key + "' (it takes skipClasses, skipSynthetics, skipStaticInitializers, skipConstructors)");
            }
        }
        return out.isEmpty() ? null : String.join(", ", out);
    }

    /** The JVM takes a class name, a prefix ending in "*" or a suffix starting with "*"; nothing else matches anything. */
    private static String patternProblem(Object o) {
        if (!(o instanceof String p)) return "skipClasses must hold strings";
        if (p.equals(JDK)) return null;
        String body = p.startsWith("*") ? p.substring(1) : p.endsWith("*") ? p.substring(0, p.length() - 1) : p;
        if (body.isEmpty() || body.contains("*") || !body.matches("[\\p{L}\\p{N}_$.]+")) {
            return "'" + p + "' in skipClasses is not a class pattern (write com.acme.Generated, com.acme.*, *.Generated or $JDK)";
        }
        return null;
    }
}
