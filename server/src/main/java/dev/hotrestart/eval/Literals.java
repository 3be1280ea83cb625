package dev.hotrestart.eval;

import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;

/** Java literals as values in the debuggee, with the compiler's range checks. */
final class Literals {
    private Literals() {}

    /** {@code negated}: the literal follows a unary minus, so 2147483648 and its long twin are in range. */
    static Value mirror(VirtualMachine vm, LiteralExpr e, boolean negated) {
        if (e instanceof NullLiteralExpr) return null;
        if (e instanceof BooleanLiteralExpr b) return vm.mirrorOf(b.getValue());
        if (e instanceof CharLiteralExpr c) return vm.mirrorOf(c.asChar());
        if (e instanceof TextBlockLiteralExpr t) return vm.mirrorOf(t.asString());
        if (e instanceof StringLiteralExpr s) return vm.mirrorOf(s.asString());
        if (e instanceof LongLiteralExpr l) {
            String v = l.getValue().replace("_", "");
            v = v.substring(0, v.length() - 1);
            if (negated && isDecimal(v) && v.equals("9223372036854775808")) return vm.mirrorOf(Long.MIN_VALUE);
            return vm.mirrorOf(parseLong(v, e));
        }
        if (e instanceof IntegerLiteralExpr i) {
            String v = i.getValue().replace("_", "");
            if (negated && v.equals("2147483648")) return vm.mirrorOf(Integer.MIN_VALUE);
            long n = parseLong(v, e);
            boolean decimal = isDecimal(v);
            if (decimal ? n > Integer.MAX_VALUE : (n >>> 32) != 0) throw new EvalError("The literal " + i.getValue() + " is out of range for int; add L for a long.");
            return vm.mirrorOf((int) n);
        }
        if (e instanceof DoubleLiteralExpr x) {
            String v = x.getValue().replace("_", "");
            char last = Character.toLowerCase(v.charAt(v.length() - 1));
            if (last == 'f') return vm.mirrorOf(Float.parseFloat(v));
            return vm.mirrorOf(Double.parseDouble(v));
        }
        throw new EvalError("Unknown literal " + e);
    }

    private static boolean isDecimal(String v) {
        return !(v.length() > 1 && v.charAt(0) == '0');
    }

    private static long parseLong(String v, LiteralExpr e) {
        try {
            String s = v.toLowerCase();
            if (s.startsWith("0x")) return Long.parseUnsignedLong(s.substring(2), 16);
            if (s.startsWith("0b")) return Long.parseUnsignedLong(s.substring(2), 2);
            if (s.length() > 1 && s.startsWith("0")) return Long.parseUnsignedLong(s.substring(1), 8);
            return Long.parseLong(s);
        } catch (NumberFormatException x) {
            throw new EvalError("The literal " + e + " is out of range.");
        }
    }
}
