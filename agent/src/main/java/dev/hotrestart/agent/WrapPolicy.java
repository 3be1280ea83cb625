package dev.hotrestart.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which methods are wrapped, decided from names and the marks read off class files. Shared by
 * the agent (at class load) and the adapter (for the throw-site detector), so both agree.
 * Precedence: {@code noWrap} patterns, then {@code @NoHotRestart}/{@code @HotRestart} on the
 * method, then on its class, then {@code wrap} patterns, then {@code @HotRestart} on the package.
 */
public final class WrapPolicy {
    public static final String HOT = "HotRestart";
    public static final String NO = "NoHotRestart";

    private final List<Pattern> wrap = new ArrayList<Pattern>();
    private final List<Pattern> noWrap = new ArrayList<Pattern>();

    public WrapPolicy(List<String> wrap, List<String> noWrap) {
        for (String w : wrap) if (!w.trim().isEmpty()) this.wrap.add(Pattern.parse(w));
        for (String w : noWrap) if (!w.trim().isEmpty()) this.noWrap.add(Pattern.parse(w));
    }

    /**
     * @param methodMark {@link #HOT}, {@link #NO} or null: the method's own annotation
     * @param typeMark the same for its class
     * @param packageWrapped whether the package carries {@code @HotRestart}
     */
    public boolean decide(String className, String methodName, String methodMark, String typeMark, boolean packageWrapped) {
        for (Pattern p : noWrap) if (p.matches(className, methodName)) return false;
        if (NO.equals(methodMark)) return false;
        if (HOT.equals(methodMark)) return true;
        if (NO.equals(typeMark)) return false;
        if (HOT.equals(typeMark)) return true;
        for (Pattern p : wrap) if (p.matches(className, methodName)) return true;
        return packageWrapped;
    }

    /** True when some wrap pattern could wrap a method of this class. */
    public boolean patternMayMatch(String className) {
        for (Pattern p : wrap) if (p.matchesClass(className)) return true;
        return false;
    }

    /**
     * Methods the compiler writes without marking them synthetic, which nobody edits: an enum's
     * {@code values()} and {@code valueOf(String)}. Never wrapped, or a caught bad name would stop.
     */
    public static boolean compilerMade(boolean isEnum, String name, String descriptor) {
        return isEnum && (name.equals("values") && descriptor.startsWith("()[")
                || name.equals("valueOf") && descriptor.startsWith("(Ljava/lang/String;)"));
    }

    /** Platform and adapter classes are never wrapped. */
    public static boolean neverWrapped(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.") || className.startsWith("dev.hotrestart.agent.");
    }

    /** {@code Lcom/acme/HotRestart;} → {@code HotRestart}: annotations match by simple name. */
    public static String simpleAnnotationName(String descriptor) {
        String s = descriptor.substring(1, descriptor.length() - 1);
        int cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf('$'));
        return s.substring(cut + 1);
    }

    /** The agent's argument string: wrap and noWrap patterns. */
    public static String encode(List<String> wrap, List<String> noWrap) {
        return "wrap=" + join(wrap) + ";noWrap=" + join(noWrap);
    }

    public static WrapPolicy decode(String args) {
        List<String> wrap = Collections.emptyList();
        List<String> noWrap = Collections.emptyList();
        if (args != null) {
            for (String part : args.split(";")) {
                int eq = part.indexOf('=');
                if (eq < 0) continue;
                String key = part.substring(0, eq);
                List<String> values = split(part.substring(eq + 1));
                if (key.equals("wrap")) wrap = values;
                if (key.equals("noWrap")) noWrap = values;
            }
        }
        return new WrapPolicy(wrap, noWrap);
    }

    private static String join(List<String> values) {
        StringBuilder b = new StringBuilder();
        for (String v : values) {
            if (b.length() > 0) b.append(',');
            b.append(v.trim());
        }
        return b.toString();
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<String>();
        for (String v : s.split(",")) if (!v.trim().isEmpty()) out.add(v.trim());
        return out;
    }

    /**
     * One pattern: {@code com.acme.Service#handle}, {@code com.acme.Service}, {@code com.acme.*}
     * (that package), {@code com.acme.**} (and its sub-packages). Nested classes may be written
     * with {@code $} or {@code .}.
     */
    public static final class Pattern {
        final String type;
        final String method;
        final boolean onePackage;
        final boolean subPackages;

        private Pattern(String type, String method, boolean onePackage, boolean subPackages) {
            this.type = type;
            this.method = method;
            this.onePackage = onePackage;
            this.subPackages = subPackages;
        }

        public static Pattern parse(String text) {
            String t = text.trim();
            String method = null;
            int hash = t.indexOf('#');
            if (hash >= 0) {
                method = t.substring(hash + 1);
                t = t.substring(0, hash);
            }
            if (t.endsWith(".**")) return new Pattern(t.substring(0, t.length() - 3), method, false, true);
            if (t.endsWith(".*")) return new Pattern(t.substring(0, t.length() - 2), method, true, false);
            return new Pattern(t.replace('$', '.'), method, false, false);
        }

        public boolean matches(String className, String methodName) {
            return (method == null || method.equals(methodName)) && matchesClass(className);
        }

        boolean matchesClass(String className) {
            if (subPackages) return className.startsWith(type + ".");
            if (onePackage) {
                int dot = className.lastIndexOf('.');
                return dot > 0 && className.substring(0, dot).equals(type);
            }
            return className.replace('$', '.').equals(type);
        }
    }
}
