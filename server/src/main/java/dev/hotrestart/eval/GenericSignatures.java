package dev.hotrestart.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JVM generic signatures (JVMS 4.7.9.1) far enough to type a member of a parameterized
 * receiver: {@code List<String>.get(int)} is a String, {@code Map<K, List<V>>.get(…)} a List of V.
 * Pure text work; what JDI offers as {@code genericSignature()} goes in.
 */
final class GenericSignatures {
    private GenericSignatures() {}

    /** A type in a signature: a class with its arguments, a type variable, an array, a primitive, or a wildcard. */
    sealed interface G permits Cls, Var, Arr, Prim, Wild {}

    /** {@code name} as JDI spells it ("java.util.Map$Entry"). */
    record Cls(String name, List<G> args) implements G {}

    record Var(String name) implements G {}

    record Arr(G component) implements G {}

    record Prim(char descriptor) implements G {}

    /** {@code ? extends bound} when {@code upper}; {@code ?} and {@code ? super …} have no useful bound (null). */
    record Wild(G bound) implements G {}

    private static final class Reader {
        final String s;
        int i;

        Reader(String s, int i) {
            this.s = s;
            this.i = i;
        }

        G type() {
            char c = s.charAt(i);
            switch (c) {
                case 'L': return cls();
                case 'T': {
                    int end = s.indexOf(';', i);
                    Var v = new Var(s.substring(i + 1, end));
                    i = end + 1;
                    return v;
                }
                case '[': i++; return new Arr(type());
                case '*': i++; return new Wild(null);
                case '+': i++; return new Wild(type());
                case '-': i++; type(); return new Wild(null);
                default: i++; return new Prim(c);
            }
        }

        private Cls cls() {
            i++; // L
            StringBuilder name = new StringBuilder();
            List<G> args = List.of();
            while (true) {
                char c = s.charAt(i);
                if (c == ';') {
                    i++;
                    return new Cls(name.toString().replace('/', '.'), args);
                } else if (c == '<') {
                    i++;
                    args = new ArrayList<>();
                    while (s.charAt(i) != '>') args.add(type());
                    i++;
                } else if (c == '.') {
                    // an inner class of a parameterized outer one: Outer<T>.Inner<U>; only the inner's arguments count here
                    name.append('$');
                    args = List.of();
                    i++;
                } else {
                    name.append(c);
                    i++;
                }
            }
        }

        /** Skips {@code <T:bound;U::bound;>} and returns the variables' names. */
        List<String> typeParameters() {
            List<String> names = new ArrayList<>();
            if (i >= s.length() || s.charAt(i) != '<') return names;
            i++;
            while (s.charAt(i) != '>') {
                int colon = s.indexOf(':', i);
                names.add(s.substring(i, colon));
                i = colon;
                while (s.charAt(i) == ':') {
                    i++;
                    if (s.charAt(i) != ':') type(); // an empty class bound is followed by an interface bound
                }
            }
            i++;
            return names;
        }
    }

    /** A field's or local's signature ("Ljava/util/List<Ljava/lang/String;>;"). */
    static G type(String signature) {
        return new Reader(signature, 0).type();
    }

    /** The type variables a class or method declares, in order. */
    static List<String> typeParameters(String classOrMethodSignature) {
        return classOrMethodSignature == null ? List.of() : new Reader(classOrMethodSignature, 0).typeParameters();
    }

    /** A class signature's superclass and interfaces, as written there (in terms of its own variables). */
    static List<G> supertypes(String classSignature) {
        Reader r = new Reader(classSignature, 0);
        r.typeParameters();
        List<G> out = new ArrayList<>();
        while (r.i < classSignature.length()) out.add(r.type());
        return out;
    }

    /** A method signature's result type. */
    static G returnType(String methodSignature) {
        return new Reader(methodSignature, methodSignature.lastIndexOf(')') + 1).type();
    }

    /** The class's variables bound to the arguments a use of it gives; empty for a raw use. */
    static Map<String, G> bindings(List<String> params, Cls use) {
        Map<String, G> m = new HashMap<>();
        if (use.args().size() != params.size()) return m;
        for (int k = 0; k < params.size(); k++) m.put(params.get(k), use.args().get(k));
        return m;
    }

    static G substitute(G t, Map<String, G> vars) {
        if (t instanceof Var v) return vars.getOrDefault(v.name(), v);
        if (t instanceof Arr a) return new Arr(substitute(a.component(), vars));
        if (t instanceof Wild w) return w.bound() == null ? w : new Wild(substitute(w.bound(), vars));
        if (t instanceof Cls c && !c.args().isEmpty()) {
            List<G> args = new ArrayList<>();
            for (G a : c.args()) args.add(substitute(a, vars));
            return new Cls(c.name(), args);
        }
        return t;
    }

    /** An expression of this type has the members of: a wildcard's upper bound; null when a variable is left. */
    static G concrete(G t) {
        if (t instanceof Wild w) return w.bound() == null ? null : concrete(w.bound());
        if (t instanceof Var) return null;
        if (t instanceof Arr a) {
            G c = concrete(a.component());
            return c == null ? null : new Arr(c);
        }
        return t;
    }

    /** The JDI name of a concrete type ("java.lang.String", "int[]"). */
    static String name(G t) {
        if (t instanceof Cls c) return c.name();
        if (t instanceof Arr a) return name(a.component()) + "[]";
        if (t instanceof Prim p) {
            return switch (p.descriptor()) {
                case 'Z' -> "boolean";
                case 'B' -> "byte";
                case 'C' -> "char";
                case 'S' -> "short";
                case 'I' -> "int";
                case 'J' -> "long";
                case 'F' -> "float";
                case 'D' -> "double";
                default -> "void";
            };
        }
        throw new IllegalArgumentException("not concrete: " + t);
    }
}
