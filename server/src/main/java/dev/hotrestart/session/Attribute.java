package dev.hotrestart.session;

import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every launch and attach attribute the adapter accepts: its type, where it applies, its
 * default and what it means. Validation reads this table, and so does {@code --schema}, from
 * which editor integrations and docs take their schema: one source of truth.
 */
public enum Attribute {
    MAIN_CLASS("mainClass", Type.STRING, Where.LAUNCH, null,
            "Fully qualified name of the class whose main method starts the program (module/class for a module). "
                    + "Default: the one class with main in the sources, when there is exactly one."),
    TESTS("tests", Type.STRING_OR_STRINGS, Where.LAUNCH, null,
            "Tests to run instead of a main class: com.acme.CartTest (a class) or com.acme.CartTest#addsTax (a method), "
                    + "on the JUnit Platform (JUnit 5; JUnit 4 through the vintage engine). The debug console shows each result "
                    + "and a summary; the exit code is 0 when all pass. Their classes are wrapped: a failing test stops."),
    CLASS_PATHS("classPaths", Type.STRINGS, Where.BOTH, null,
            "Class path entries (folders and jars). Launch: the program's class path; default, when cwd holds a pom.xml, "
                    + "the project's class path from Maven (runtime scope, test scope with 'tests'; kept until pom.xml changes). Attach: used for compiling reloads; "
                    + "default the debuggee's own class path."),
    MODULE_PATHS("modulePaths", Type.STRINGS, Where.LAUNCH, null, "Module path entries."),
    SOURCE_PATHS("sourcePaths", Type.STRINGS, Where.BOTH, null,
            "Folders that hold the program's sources. Default: src/main/java and src/test/java under cwd when they exist, else cwd."),
    VM_ARGS("vmArgs", Type.STRING_OR_STRINGS, Where.LAUNCH, null, "Extra options for the debuggee JVM, e.g. -Xmx512m."),
    ARGS("args", Type.STRING_OR_STRINGS, Where.LAUNCH, null, "Program arguments: an array, or one string split at spaces."),
    CWD("cwd", Type.STRING, Where.LAUNCH, null, "Working directory of the debuggee. Default: the adapter's working directory."),
    ENV("env", Type.STRING_MAP, Where.LAUNCH, null, "Environment variables added to the debuggee's environment."),
    JAVA_HOME("javaHome", Type.STRING, Where.BOTH, null,
            "JDK that runs the debuggee and compiles reloads. Default: the JDK running the adapter."),
    STOP_ON_ENTRY("stopOnEntry", Type.BOOLEAN, Where.LAUNCH, false, "Stop at the first line of main."),
    CONSOLE("console", Type.enumOf("internalConsole", "integratedTerminal"), Where.LAUNCH, "internalConsole",
            "Where the program's output goes: the debug console, or the editor's terminal (runInTerminal)."),
    WRAP("wrap", Type.STRINGS, Where.BOTH, null,
            "Extra wrapped methods: com.acme.Service#handle, com.acme.Service, com.acme.* (one package), com.acme.** (and sub-packages)."),
    NO_WRAP("noWrap", Type.STRINGS, Where.BOTH, null, "Methods, classes or packages never wrapped; same syntax as wrap."),
    PROPAGATED_EXCEPTIONS("propagatedExceptions", Type.STRINGS, Where.BOTH, null,
            "Exception classes (subclasses included) that pass through wrapped methods without stopping."),
    RELOAD_ON_CONTINUE("reloadOnContinue", Type.BOOLEAN, Where.BOTH, true,
            "Continue on an escaped exception reloads the method before re-running it; false re-runs without reloading."),
    CONTINUE_ACTION("continueAction", Type.enumOf("restart", "propagate"), Where.BOTH, "restart",
            "What continue does on an escaped exception: re-run the method (restart) or let the exception go on (propagate)."),
    STOP_AT("stopAt", Type.enumOf("handler", "throw"), Where.BOTH, "handler",
            "Where an escaping exception stops: in the wrapped method once the exception leaves it, at no cost while "
                    + "exceptions are caught (handler, through the hotrestart agent); or at the throw site with every frame live (throw)."),
    STEP_FILTERS("stepFilters", Type.STEP_FILTERS, Where.BOTH, StepFilters.defaultValue(),
            "What a step never stops in: classes (skipClasses: $JDK for the JDK's own, com.acme.* for a package and its sub-packages, "
                    + "*.Generated for a class name ending), synthetic methods, static initializers, constructors. Default: the JDK's classes and synthetic methods."),
    SUSPEND_ALL("suspendAll", Type.BOOLEAN, Where.BOTH, false,
            "A stop (breakpoint, step, exception, pause) suspends every thread of the program, and continue resumes them all; "
                    + "false: only the thread that stops."),
    FETCH_SOURCES("fetchSources", Type.BOOLEAN, Where.BOTH, false,
            "When a library class has no -sources.jar beside its jar nor in the local Maven repository, fetch it with Maven "
                    + "(its coordinates from the jar's pom.properties) in the background; its frames show it once it is there."),
    EVALUATE_TIMEOUT("evaluateTimeout", Type.INTEGER, Where.BOTH, 5000, "Time limit in ms for method calls made by evaluation."),
    HOST_NAME("hostName", Type.STRING, Where.ATTACH, "localhost", "Host of the JVM to attach to."),
    PORT("port", Type.INTEGER, Where.ATTACH, null, "JDWP port of the JVM to attach to (required)."),
    TIMEOUT("timeout", Type.INTEGER, Where.ATTACH, 10000, "How long to try attaching, in ms.");

    public enum Where { LAUNCH, ATTACH, BOTH }

    public final String key;
    public final Type type;
    public final Where where;
    public final Object defaultValue;
    public final String description;

    Attribute(String key, Type type, Where where, Object defaultValue, String description) {
        this.key = key;
        this.type = type;
        this.where = where;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public boolean appliesTo(boolean launch) {
        return where == Where.BOTH || (launch ? where == Where.LAUNCH : where == Where.ATTACH);
    }

    /** The JSON schema of one request's attributes, as editors want it. */
    public static Map<String, Object> schema(boolean launch) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (Attribute a : values()) {
            if (!a.appliesTo(launch)) continue;
            Map<String, Object> p = new LinkedHashMap<>(a.type.schema());
            p.put("description", a.description);
            if (a.defaultValue != null) p.put("default", a.defaultValue);
            props.put(a.key, p);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        // 'mainClass' may be left out when the sources hold one class with main (ProjectDefaults)
        s.put("required", launch ? List.of() : List.of("port"));
        s.put("properties", props);
        return s;
    }

    /** Attribute value types, with their check and their JSON schema. */
    public static final class Type {
        static final Type STRING = new Type("a string", Map.of("type", "string"));
        static final Type STRINGS = new Type("an array of strings", Map.of("type", "array", "items", Map.of("type", "string")));
        static final Type STRING_OR_STRINGS = new Type("a string or an array of strings",
                Map.of("type", List.of("string", "array"), "items", Map.of("type", "string")));
        static final Type BOOLEAN = new Type("true or false", Map.of("type", "boolean"));
        static final Type INTEGER = new Type("a whole number", Map.of("type", "integer"));
        static final Type STEP_FILTERS = new Type("step filters", stepFiltersSchema());
        static final Type STRING_MAP = new Type("an object of string values",
                Map.of("type", "object", "additionalProperties", Map.of("type", "string")));

        final String expected;
        final Map<String, Object> schema;
        final List<String> choices;

        private Type(String expected, Map<String, Object> schema) {
            this(expected, schema, null);
        }

        private Type(String expected, Map<String, Object> schema, List<String> choices) {
            this.expected = expected;
            this.schema = schema;
            this.choices = choices;
        }

        private static Map<String, Object> stepFiltersSchema() {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put(StepFilters.SKIP_CLASSES, Map.of("type", "array", "items", Map.of("type", "string"), "default", List.of(StepFilters.JDK),
                    "description", "Classes a step never stops in: a name, com.acme.* (a package and its sub-packages), *.Suffix, or $JDK (the JDK's own). Replaces the default list."));
            props.put(StepFilters.SKIP_SYNTHETICS, Map.of("type", "boolean", "default", true,
                    "description", "Step on through methods the compiler made (bridges, accessors); lambda bodies are not skipped."));
            props.put(StepFilters.SKIP_STATIC_INITIALIZERS, Map.of("type", "boolean", "default", false,
                    "description", "A step into a static initializer goes on to the code the user called."));
            props.put(StepFilters.SKIP_CONSTRUCTORS, Map.of("type", "boolean", "default", false,
                    "description", "A step into a constructor goes on to the code the user called."));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("type", "object");
            s.put("properties", props);
            s.put("additionalProperties", false);
            return s;
        }

        static Type enumOf(String... choices) {
            return new Type("one of " + String.join(", ", choices),
                    Map.of("type", "string", "enum", List.of(choices)), List.of(choices));
        }

        Map<String, Object> schema() {
            return schema;
        }

        /** Null when the value fits, else what was expected. */
        String check(Object v) {
            if (this == STRING) return v instanceof String ? null : expected;
            if (this == STRINGS) return isStrings(v) ? null : expected;
            if (this == STRING_OR_STRINGS) return v instanceof String || isStrings(v) ? null : expected;
            if (this == BOOLEAN) return v instanceof Boolean ? null : expected;
            if (this == INTEGER) {
                // editors whose configurations hold only strings (Helix) send numbers as strings
                if (v instanceof String str) return str.trim().matches("-?\\d+") ? null : expected;
                return v instanceof Number && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue()) ? null : expected;
            }
            if (this == STRING_MAP) {
                if (!(v instanceof Map)) return expected;
                for (Object o : ((Map<?, ?>) v).values()) if (!(o instanceof String)) return expected;
                return null;
            }
            if (this == STEP_FILTERS) return StepFilters.problem(v);
            if (choices != null) return choices.contains(v) ? null : expected;
            return null;
        }

        private static boolean isStrings(Object v) {
            if (!(v instanceof List)) return false;
            for (Object o : (List<?>) v) if (!(o instanceof String)) return false;
            return true;
        }
    }

    /** Checks the attributes of a launch or attach request; the error names the attribute. */
    public static void validate(Map<String, Object> args, boolean launch) {
        List<String> problems = new ArrayList<>();
        for (Attribute a : values()) {
            Object v = args.get(a.key);
            if (v == null) continue;
            String expected = a.type.check(v);
            if (expected != null && a.type == Type.STEP_FILTERS) {
                problems.add("'" + a.key + "': " + expected);
            } else if (expected != null) {
                problems.add("'" + a.key + "' must be " + expected + ", got " + describe(v));
            } else if (!a.appliesTo(launch)) {
                problems.add("'" + a.key + "' applies to " + (launch ? "attach" : "launch") + " only");
            }
        }
        if (!launch && args.get("port") == null) {
            problems.add(0, "'port' is required: the JDWP port the JVM listens on (it was started with -agentlib:jdwp=transport=dt_socket,server=y,address=PORT)");
        }
        if (!problems.isEmpty()) {
            throw new UserError(ErrorId.BAD_CONFIGURATION, "Invalid " + (launch ? "launch" : "attach") + " configuration: " + String.join("; ", problems) + ".");
        }
    }

    private static String describe(Object v) {
        if (v instanceof String) return "the string \"" + v + "\"";
        if (v instanceof Number) return "the number " + v;
        if (v instanceof Boolean) return v.toString();
        if (v instanceof List) return "an array";
        if (v instanceof Map) return "an object";
        return String.valueOf(v);
    }
}
