package dev.hotrestart.eval;

import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.UnaryExpr;

/**
 * Java's operators on primitive values, computed in the adapter: boxed Java values in
 * (Integer, Long, Character, Boolean...), boxed values out, with the promotion, overflow and
 * shift rules of the language. No JDI here, so it is tested on its own.
 */
public final class Arithmetic {
    private Arithmetic() {}

    /** The primitive type name of a boxed value: "int", "char", "boolean"... */
    public static String typeOf(Object v) {
        if (v instanceof Integer) return "int";
        if (v instanceof Long) return "long";
        if (v instanceof Double) return "double";
        if (v instanceof Float) return "float";
        if (v instanceof Character) return "char";
        if (v instanceof Short) return "short";
        if (v instanceof Byte) return "byte";
        if (v instanceof Boolean) return "boolean";
        throw new IllegalArgumentException("not a primitive: " + v);
    }

    public static boolean isNumeric(Object v) {
        return v instanceof Number || v instanceof Character;
    }

    private static long asLong(Object v) {
        return v instanceof Character c ? c : ((Number) v).longValue();
    }

    private static double asDouble(Object v) {
        return v instanceof Character c ? c : ((Number) v).doubleValue();
    }

    private static float asFloat(Object v) {
        return v instanceof Character c ? c : ((Number) v).floatValue();
    }

    /** Binary numeric promotion (JLS 5.6.2): the type both operands are converted to. */
    public static String promote(Object l, Object r) {
        String a = typeOf(l), b = typeOf(r);
        if (a.equals("double") || b.equals("double")) return "double";
        if (a.equals("float") || b.equals("float")) return "float";
        if (a.equals("long") || b.equals("long")) return "long";
        return "int";
    }

    /** Unary numeric promotion: byte, short and char become int. */
    public static String promote(Object v) {
        String t = typeOf(v);
        return t.equals("byte") || t.equals("short") || t.equals("char") ? "int" : t;
    }

    public static Object binary(BinaryExpr.Operator op, Object l, Object r) {
        switch (op) {
            case AND: case OR:
                throw new IllegalStateException("short-circuit operators are evaluated by the caller");
            case SIGNED_RIGHT_SHIFT: case UNSIGNED_RIGHT_SHIFT: case LEFT_SHIFT:
                return shift(op, l, r);
            default:
        }
        if (l instanceof Boolean a && r instanceof Boolean b) {
            switch (op) {
                case EQUALS: return a.booleanValue() == b.booleanValue();
                case NOT_EQUALS: return a.booleanValue() != b.booleanValue();
                case BINARY_AND: return a & b;
                case BINARY_OR: return a | b;
                case XOR: return a ^ b;
                default: throw new EvalError("The operator " + op.asString() + " is undefined for boolean operands.");
            }
        }
        if (!isNumeric(l) || !isNumeric(r)) {
            throw new EvalError("The operator " + op.asString() + " is undefined for the argument types "
                    + typeOf(l) + ", " + typeOf(r) + ".");
        }
        String t = promote(l, r);
        switch (t) {
            case "double": {
                double a = asDouble(l), b = asDouble(r);
                switch (op) {
                    case PLUS: return a + b;
                    case MINUS: return a - b;
                    case MULTIPLY: return a * b;
                    case DIVIDE: return a / b;
                    case REMAINDER: return a % b;
                    case LESS: return a < b;
                    case LESS_EQUALS: return a <= b;
                    case GREATER: return a > b;
                    case GREATER_EQUALS: return a >= b;
                    case EQUALS: return a == b;
                    case NOT_EQUALS: return a != b;
                    default: throw undefined(op, t);
                }
            }
            case "float": {
                float a = asFloat(l), b = asFloat(r);
                switch (op) {
                    case PLUS: return a + b;
                    case MINUS: return a - b;
                    case MULTIPLY: return a * b;
                    case DIVIDE: return a / b;
                    case REMAINDER: return a % b;
                    case LESS: return a < b;
                    case LESS_EQUALS: return a <= b;
                    case GREATER: return a > b;
                    case GREATER_EQUALS: return a >= b;
                    case EQUALS: return a == b;
                    case NOT_EQUALS: return a != b;
                    default: throw undefined(op, t);
                }
            }
            case "long": {
                long a = asLong(l), b = asLong(r);
                switch (op) {
                    case PLUS: return a + b;
                    case MINUS: return a - b;
                    case MULTIPLY: return a * b;
                    case DIVIDE: if (b == 0) throw divideByZero(); return a / b;
                    case REMAINDER: if (b == 0) throw divideByZero(); return a % b;
                    case LESS: return a < b;
                    case LESS_EQUALS: return a <= b;
                    case GREATER: return a > b;
                    case GREATER_EQUALS: return a >= b;
                    case EQUALS: return a == b;
                    case NOT_EQUALS: return a != b;
                    case BINARY_AND: return a & b;
                    case BINARY_OR: return a | b;
                    case XOR: return a ^ b;
                    default: throw undefined(op, t);
                }
            }
            default: {
                int a = (int) asLong(l), b = (int) asLong(r);
                switch (op) {
                    case PLUS: return a + b;
                    case MINUS: return a - b;
                    case MULTIPLY: return a * b;
                    case DIVIDE: if (b == 0) throw divideByZero(); return a / b;
                    case REMAINDER: if (b == 0) throw divideByZero(); return a % b;
                    case LESS: return a < b;
                    case LESS_EQUALS: return a <= b;
                    case GREATER: return a > b;
                    case GREATER_EQUALS: return a >= b;
                    case EQUALS: return a == b;
                    case NOT_EQUALS: return a != b;
                    case BINARY_AND: return a & b;
                    case BINARY_OR: return a | b;
                    case XOR: return a ^ b;
                    default: throw undefined(op, t);
                }
            }
        }
    }

    /** Shifts promote each operand on its own; the result has the left operand's type. */
    private static Object shift(BinaryExpr.Operator op, Object l, Object r) {
        if (!isNumeric(l) || !isNumeric(r) || l instanceof Double || l instanceof Float || r instanceof Double || r instanceof Float) {
            throw new EvalError("The operator " + op.asString() + " is undefined for the argument types "
                    + typeOf(l) + ", " + typeOf(r) + ".");
        }
        long n = asLong(r);
        if (promote(l).equals("long")) {
            long a = asLong(l);
            switch (op) {
                case LEFT_SHIFT: return a << n;
                case SIGNED_RIGHT_SHIFT: return a >> n;
                default: return a >>> n;
            }
        }
        int a = (int) asLong(l);
        switch (op) {
            case LEFT_SHIFT: return a << n;
            case SIGNED_RIGHT_SHIFT: return a >> n;
            default: return a >>> n;
        }
    }

    public static Object unary(UnaryExpr.Operator op, Object v) {
        switch (op) {
            case LOGICAL_COMPLEMENT:
                if (v instanceof Boolean b) return !b;
                throw new EvalError("The operator ! is undefined for the argument type " + typeOf(v) + ".");
            case PLUS: case MINUS: case BITWISE_COMPLEMENT: {
                if (!isNumeric(v)) throw new EvalError("The operator " + op.asString() + " is undefined for the argument type " + typeOf(v) + ".");
                String t = promote(v);
                boolean minus = op == UnaryExpr.Operator.MINUS;
                if (op == UnaryExpr.Operator.BITWISE_COMPLEMENT) {
                    if (t.equals("long")) return ~asLong(v);
                    if (t.equals("int")) return ~(int) asLong(v);
                    throw new EvalError("The operator ~ is undefined for the argument type " + t + ".");
                }
                switch (t) {
                    case "double": return minus ? -asDouble(v) : asDouble(v);
                    case "float": return minus ? -asFloat(v) : asFloat(v);
                    case "long": return minus ? -asLong(v) : asLong(v);
                    default: return minus ? -(int) asLong(v) : (int) asLong(v);
                }
            }
            default:
                throw new IllegalStateException("increment and decrement are assignments: " + op);
        }
    }

    /** A cast between primitive types (JLS 5.1.2, 5.1.3), or null when the types do not convert. */
    public static Object cast(Object v, String to) {
        if (v instanceof Boolean) return to.equals("boolean") ? v : null;
        if (!isNumeric(v)) return null;
        switch (to) {
            case "int": return v instanceof Double || v instanceof Float ? (int) asDouble(v) : (int) asLong(v);
            case "long": return v instanceof Double || v instanceof Float ? (long) asDouble(v) : asLong(v);
            case "short": return v instanceof Double || v instanceof Float ? (short) (int) asDouble(v) : (short) asLong(v);
            case "byte": return v instanceof Double || v instanceof Float ? (byte) (int) asDouble(v) : (byte) asLong(v);
            case "char": return v instanceof Double || v instanceof Float ? (char) (int) asDouble(v) : (char) asLong(v);
            case "double": return asDouble(v);
            case "float": return v instanceof Double d ? (float) d.doubleValue() : asFloat(v);
            default: return null;
        }
    }

    private static final String[] WIDENING_ORDER = {"byte", "short", "int", "long", "float", "double"};

    /** True when a value of primitive type {@code from} widens to {@code to} (or is the same type). */
    public static boolean widens(String from, String to) {
        if (from.equals(to)) return true;
        if (from.equals("boolean") || to.equals("boolean") || to.equals("char") || to.equals("byte")) return false;
        if (from.equals("char")) return to.equals("int") || to.equals("long") || to.equals("float") || to.equals("double");
        if (to.equals("short")) return from.equals("byte");
        int a = indexOf(from), b = indexOf(to);
        return a >= 0 && b >= 0 && a < b;
    }

    private static int indexOf(String t) {
        for (int i = 0; i < WIDENING_ORDER.length; i++) if (WIDENING_ORDER[i].equals(t)) return i;
        return -1;
    }

    /** Narrowing an int constant to byte, short or char is allowed where it fits (JLS 5.2). */
    public static boolean fitsConstant(Object v, String to) {
        if (!(v instanceof Integer i)) return false;
        switch (to) {
            case "byte": return i >= Byte.MIN_VALUE && i <= Byte.MAX_VALUE;
            case "short": return i >= Short.MIN_VALUE && i <= Short.MAX_VALUE;
            case "char": return i >= 0 && i <= Character.MAX_VALUE;
            default: return false;
        }
    }

    private static EvalError undefined(BinaryExpr.Operator op, String t) {
        return new EvalError("The operator " + op.asString() + " is undefined for " + t + " operands.");
    }

    private static EvalError divideByZero() {
        return new EvalError("java.lang.ArithmeticException: / by zero");
    }
}
