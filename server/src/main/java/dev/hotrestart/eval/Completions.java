package dev.hotrestart.eval;

import com.github.javaparser.ast.expr.*;
import com.sun.jdi.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the debug console can complete at the cursor: the frame's locals, fields and methods,
 * or after a dot the members of what stands before it. The receiver's type comes from reading
 * it when it is a chain of names, fields and elements (nothing runs in the program), else from
 * its static type; methods are never called to find it.
 */
public final class Completions {
    /** One proposal: {@code text} replaces {@code length} characters from {@code start} (0-based) of the line. */
    public record Candidate(String label, String text, Kind kind, String detail, int start, int length) {}

    public enum Kind { VARIABLE, FIELD, METHOD, KEYWORD }

    private Completions() {}

    public static List<Candidate> at(Debuggee d, ThreadReference thread, int depth, String line, int cursor) {
        cursor = Math.max(0, Math.min(cursor, line.length()));
        int start = cursor;
        while (start > 0 && Character.isJavaIdentifierPart(line.charAt(start - 1))) start--;
        String prefix = line.substring(start, cursor);
        int dot = start - 1;
        while (dot >= 0 && Character.isWhitespace(line.charAt(dot))) dot--;
        Map<String, Candidate> out = new LinkedHashMap<>();
        try {
            StackFrame frame = thread.frame(depth);
            if (dot >= 0 && line.charAt(dot) == '.') {
                String receiver = line.substring(receiverStart(line, dot), dot).trim();
                if (receiver.isEmpty() || receiver.chars().allMatch(Character::isDigit)) return List.of();
                members(d, thread, depth, frame, receiver, prefix, start, out);
            } else {
                names(frame, prefix, start, out);
            }
        } catch (IncompatibleThreadStateException | InvalidStackFrameException e) {
            throw new EvalError("The thread is running; completions need it stopped.");
        } catch (EvalError e) {
            return List.of(); // nothing to propose before an expression that does not work
        }
        List<Candidate> sorted = new ArrayList<>(out.values());
        sorted.sort(Comparator.comparing((Candidate c) -> c.kind().ordinal()).thenComparing(Candidate::label));
        return sorted;
    }

    private static void names(StackFrame frame, String prefix, int start, Map<String, Candidate> out) {
        try {
            for (LocalVariable lv : frame.visibleVariables()) {
                add(out, lv.name(), lv.name(), Kind.VARIABLE, lv.typeName(), prefix, start);
            }
        } catch (AbsentInformationException e) {
            // compiled without -g: no locals by name
        }
        Method m = frame.location().method();
        ReferenceType here = m.declaringType();
        if (!m.isStatic()) add(out, "this", "this", Kind.KEYWORD, here.name(), prefix, start);
        typeMembers(here, !m.isStatic(), true, prefix, start, out);
    }

    private static void members(Debuggee d, ThreadReference thread, int depth, StackFrame frame, String receiver, String prefix,
                                int start, Map<String, Candidate> out) throws IncompatibleThreadStateException {
        Expression e = Expressions.parse(receiver);
        StaticTypes.T t = StaticTypes.in(d, frame).scope(e);
        String typeName = t.name();
        if (!t.isType() && readsOnly(e)) {
            try {
                Value v = new Evaluator(d, thread, depth, Evaluator.Mode.READ_ONLY, null).evaluate(e);
                if (v != null) typeName = v.type().name();
            } catch (RuntimeException ignored) {
                // an unreadable receiver (null, out of bounds): its declared type still has members
            }
        }
        if (typeName == null || typeName.equals("null") || TypeNames.PRIMITIVES.contains(typeName)) return;
        if (typeName.endsWith("[]")) {
            add(out, "length", "length", Kind.FIELD, "int", prefix, start);
            typeName = "java.lang.Object";
        }
        ReferenceType rt = d.types.loaded(typeName, frame.location().declaringType());
        if (rt == null) return;
        typeMembers(rt, !t.isType(), false, prefix, start, out);
        if (rt instanceof InterfaceType) {
            ReferenceType object = d.types.loaded("java.lang.Object", rt);
            if (object != null) typeMembers(object, true, false, prefix, start, out);
        }
    }

    /** True when evaluating the expression cannot run code: names, fields, elements, literals, this. */
    private static boolean readsOnly(Expression e) {
        return e.findAll(Expression.class, x -> x instanceof MethodCallExpr || x instanceof ObjectCreationExpr
                || x instanceof ArrayCreationExpr || x instanceof AssignExpr || x instanceof UnaryExpr || x instanceof BinaryExpr).isEmpty();
    }

    private static void typeMembers(ReferenceType t, boolean instance, boolean outer, String prefix, int start, Map<String, Candidate> out) {
        for (Field f : t.allFields()) {
            if (f.isSynthetic() || (!instance && !f.isStatic())) continue;
            add(out, f.name(), f.name(), Kind.FIELD, f.typeName(), prefix, start);
        }
        List<Method> methods = t instanceof ClassType ct ? ct.allMethods() : t.allMethods();
        for (Method m : methods) {
            if (m.isConstructor() || m.isStaticInitializer() || m.isSynthetic() || m.isBridge() || (!instance && !m.isStatic())) continue;
            String label = Invoker.signature(m);
            add(out, label, m.name() + (m.argumentTypeNames().isEmpty() ? "()" : "("), Kind.METHOD, m.returnTypeName(), prefix, start);
        }
        if (outer && t instanceof ClassType) {
            int dollar = t.name().lastIndexOf('$');
            // fields of enclosing classes are in scope too (static ones at least)
            List<ReferenceType> enclosing = dollar < 0 ? List.of() : t.virtualMachine().classesByName(t.name().substring(0, dollar));
            if (!enclosing.isEmpty()) typeMembers(enclosing.get(0), false, true, prefix, start, out);
        }
    }

    private static void add(Map<String, Candidate> out, String label, String text, Kind kind, String detail, String prefix, int start) {
        if (!label.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) return;
        out.putIfAbsent(label, new Candidate(label, text, kind, detail, start, prefix.length()));
    }

    /** Where the receiver before the dot at {@code dot} starts: names, dots, (calls) and [elements], "strings". */
    static int receiverStart(String line, int dot) {
        int i = dot - 1;
        while (i >= 0) {
            char c = line.charAt(i);
            if (Character.isJavaIdentifierPart(c) || c == '.') {
                i--;
            } else if (c == ')' || c == ']') {
                char open = c == ')' ? '(' : '[';
                int depth = 0;
                for (; i >= 0; i--) {
                    char k = line.charAt(i);
                    if (k == c) depth++;
                    else if (k == open && --depth == 0) break;
                }
                i--;
            } else if (c == '"') {
                i--;
                while (i >= 0 && !(line.charAt(i) == '"' && (i == 0 || line.charAt(i - 1) != '\\'))) i--;
                i--;
            } else {
                break;
            }
        }
        return i + 1;
    }
}
