package dev.hotrestart.session;

import com.sun.jdi.Method;

import java.util.ArrayList;
import java.util.List;

/**
 * A function breakpoint's name: {@code Class#method} (every overload) or
 * {@code Class#method(ParamType, …)} (the one with those parameters). The class is written fully
 * qualified, simple, or partly qualified, nested classes with {@code .} or {@code $}; parameter
 * types simple or qualified, with {@code []} or {@code ...}, type arguments ignored.
 * {@code <init>} or the class's simple name names the constructors.
 *
 * @param params the parameter types as written, without type arguments and with {@code ...} as
 *               {@code []}; null when no list was given (every overload)
 */
record FunctionName(String className, String method, List<String> params) {
    static final String FORM = "write Class#method or Class#method(int, String)";

    /** The name, or an IllegalArgumentException whose message says what is wrong with it, for the user. */
    static FunctionName parse(String text) {
        String t = text == null ? "" : text.strip();
        int hash = t.indexOf('#');
        if (hash < 0 || hash != t.lastIndexOf('#')) throw malformed(t, "it needs one '#' between the class and the method");
        String cls = t.substring(0, hash).strip();
        String rest = t.substring(hash + 1).strip();
        if (!isTypeName(cls)) throw malformed(t, cls.isEmpty() ? "the class is missing" : "'" + cls + "' is not a class name");
        int paren = rest.indexOf('(');
        String method = (paren < 0 ? rest : rest.substring(0, paren)).strip();
        if (!isIdentifier(method) && !method.equals("<init>") && !method.equals("<clinit>")) {
            throw malformed(t, method.isEmpty() ? "the method is missing" : "'" + method + "' is not a method name");
        }
        if (paren < 0) return new FunctionName(cls, method, null);
        if (!rest.endsWith(")")) throw malformed(t, "the parameter list has no closing ')'");
        String inside = withoutTypeArguments(rest.substring(paren + 1, rest.length() - 1)).strip();
        List<String> params = new ArrayList<>();
        if (!inside.isEmpty()) {
            for (String p : inside.split(",", -1)) {
                String type = p.strip().replaceAll("\\s+", "");
                boolean varargs = type.endsWith("...");
                if (varargs) type = type.substring(0, type.length() - 3) + "[]";
                String element = type;
                while (element.endsWith("[]")) element = element.substring(0, element.length() - 2);
                if (!isTypeName(element)) throw malformed(t, "'" + p.strip() + "' is not a parameter type");
                params.add(type);
            }
        }
        return new FunctionName(cls, method, params);
    }

    private static IllegalArgumentException malformed(String text, String why) {
        return new IllegalArgumentException("'" + text + "' is not a method to stop in: " + why + "; " + FORM + ".");
    }

    /** Whether the method is one this name names (by name and, when given, by parameter types). */
    boolean names(Method m) {
        boolean byName = m.isConstructor()
                ? method.equals("<init>") || method.equals(simple(className))
                : m.name().equals(method);
        return byName && (params == null || paramsMatch(params, m.argumentTypeNames()));
    }

    /** Whether written parameter types fit the method's: each the same type, named in full or by its end. */
    static boolean paramsMatch(List<String> written, List<String> actual) {
        if (written.size() != actual.size()) return false;
        for (int i = 0; i < written.size(); i++) {
            String w = written.get(i).replace('$', '.');
            String a = actual.get(i).replace('$', '.');
            if (!a.equals(w) && !a.endsWith("." + w)) return false;
        }
        return true;
    }

    /** The last part of a class name: {@code a.b.Outer$Inner} → {@code Inner}. */
    static String simple(String className) {
        String dotted = className.replace('$', '.');
        return dotted.substring(dotted.lastIndexOf('.') + 1);
    }

    private static String withoutTypeArguments(String s) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (char c : s.toCharArray()) {
            if (c == '<') depth++;
            else if (c == '>') depth--;
            else if (depth == 0) b.append(c);
        }
        return b.toString();
    }

    /** Identifiers joined by '.' or '$'. */
    private static boolean isTypeName(String s) {
        if (s.isEmpty()) return false;
        for (String part : s.split("[.$]", -1)) {
            if (!isIdentifier(part)) return false;
        }
        return true;
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) return false;
        for (int i = 1; i < s.length(); i++) if (!Character.isJavaIdentifierPart(s.charAt(i))) return false;
        return true;
    }
}
