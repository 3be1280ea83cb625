package dev.hotrestart.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A validated launch or attach configuration, with defaults applied. */
public final class Config {
    public final boolean launch;
    private final Map<String, Object> raw;

    public Config(Map<String, Object> raw, boolean launch) {
        Attribute.validate(raw, launch);
        this.raw = raw;
        this.launch = launch;
    }

    /** This configuration with {@code added} attributes (what the project supplies for those left out). */
    Config with(Map<String, Object> added) {
        Map<String, Object> all = new LinkedHashMap<>(raw);
        all.putAll(added);
        return new Config(all, launch);
    }

    public String string(Attribute a) {
        Object v = raw.get(a.key);
        return v == null ? (String) a.defaultValue : (String) v;
    }

    public boolean bool(Attribute a) {
        Object v = raw.get(a.key);
        return v == null ? Boolean.TRUE.equals(a.defaultValue) : (Boolean) v;
    }

    public int integer(Attribute a) {
        Object v = raw.get(a.key);
        if (v instanceof String str) return Integer.parseInt(str.trim());
        return v == null ? (a.defaultValue == null ? -1 : (Integer) a.defaultValue) : ((Number) v).intValue();
    }

    /** The value as sent, for attributes with a structure of their own; null when left out. */
    Object raw(Attribute a) {
        return raw.get(a.key);
    }

    public boolean has(Attribute a) {
        return raw.get(a.key) != null;
    }

    /** Lists, and for string-or-list attributes a string split at white space. */
    public List<String> list(Attribute a) {
        Object v = raw.get(a.key);
        if (v == null) return Collections.emptyList();
        if (v instanceof String) {
            String s = ((String) v).trim();
            return s.isEmpty() ? Collections.emptyList() : splitArgs(s);
        }
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) out.add((String) o);
        return out;
    }

    public Map<String, String> env() {
        Object v = raw.get(Attribute.ENV.key);
        Map<String, String> out = new LinkedHashMap<>();
        if (v != null) ((Map<?, ?>) v).forEach((k, val) -> out.put(String.valueOf(k), (String) val));
        return out;
    }

    /** The JDK that runs the debuggee and compiles for it: 'javaHome', else the adapter's own. */
    public String javaHome() {
        return has(Attribute.JAVA_HOME) ? string(Attribute.JAVA_HOME) : System.getProperty("java.home");
    }

    public Path cwd() {
        String c = string(Attribute.CWD);
        return c == null ? Paths.get("").toAbsolutePath() : Paths.get(c).toAbsolutePath();
    }

    public List<Path> sourcePaths() {
        List<Path> out = new ArrayList<>();
        Path cwd = cwd();
        for (String s : list(Attribute.SOURCE_PATHS)) out.add(cwd.resolve(s).normalize());
        if (out.isEmpty()) {
            for (String d : Arrays.asList("src/main/java", "src/test/java")) {
                Path p = cwd.resolve(d);
                if (Files.isDirectory(p)) out.add(p);
            }
            if (out.isEmpty()) out.add(cwd);
        }
        return out;
    }

    public List<Path> classPaths() {
        List<Path> out = new ArrayList<>();
        for (String s : list(Attribute.CLASS_PATHS)) out.add(cwd().resolve(s).normalize());
        return out;
    }

    /** Splits a command line at white space, keeping double-quoted parts together. */
    static List<String> splitArgs(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false, any = false;
        for (char c : s.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) out.add(cur.toString());
        return out;
    }
}
