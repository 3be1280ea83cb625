package dev.hotrestart.eval;

import com.github.javaparser.ast.expr.BinaryExpr.Operator;
import com.github.javaparser.ast.expr.UnaryExpr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ArithmeticTest {
    @Test
    void promotionFollowsTheLanguage() {
        assertEquals("int", Arithmetic.promote((byte) 1, 'c'));
        assertEquals("long", Arithmetic.promote(1, 2L));
        assertEquals("float", Arithmetic.promote(1L, 2f));
        assertEquals("double", Arithmetic.promote(1f, 2.0));
        assertEquals("int", Arithmetic.promote((short) 3));
    }

    @Test
    void overflowDivisionAndShiftsAsInJava() {
        assertEquals(Integer.MIN_VALUE, Arithmetic.binary(Operator.PLUS, Integer.MAX_VALUE, 1));
        assertEquals(Long.MIN_VALUE, Arithmetic.binary(Operator.PLUS, Long.MAX_VALUE, 1));
        assertEquals(-3, Arithmetic.binary(Operator.DIVIDE, -7, 2));
        assertEquals(2, Arithmetic.binary(Operator.LEFT_SHIFT, 1, 33));
        assertEquals(1L << 33, Arithmetic.binary(Operator.LEFT_SHIFT, 1L, 33));
        assertEquals(-10 >>> 28, Arithmetic.binary(Operator.UNSIGNED_RIGHT_SHIFT, -10, 28L));
        assertEquals(98, Arithmetic.binary(Operator.PLUS, 'a', 1));
        assertEquals(Double.POSITIVE_INFINITY, Arithmetic.binary(Operator.DIVIDE, 1.0, 0));
        assertThrows(EvalError.class, () -> Arithmetic.binary(Operator.DIVIDE, 1, 0));
        assertThrows(EvalError.class, () -> Arithmetic.binary(Operator.PLUS, true, 1));
        assertEquals(true, Arithmetic.binary(Operator.XOR, true, false));
        assertEquals(-6, Arithmetic.unary(UnaryExpr.Operator.BITWISE_COMPLEMENT, 5));
        assertEquals(-120, Arithmetic.unary(UnaryExpr.Operator.MINUS, 'x'));
    }

    @Test
    void castsAndWidening() {
        assertEquals((byte) -56, Arithmetic.cast(200, "byte"));
        assertEquals((int) -3.99, Arithmetic.cast(-3.99, "int"));
        assertEquals((long) 1e19, Arithmetic.cast(1e19, "long"));
        assertEquals(0, Arithmetic.cast(Double.NaN, "int"));
        assertEquals('A', Arithmetic.cast(65, "char"));
        assertNull(Arithmetic.cast(true, "int"));
        assertTrue(Arithmetic.widens("char", "int"));
        assertFalse(Arithmetic.widens("short", "char"));
        assertTrue(Arithmetic.widens("long", "float"));
        assertFalse(Arithmetic.widens("double", "int"));
        assertTrue(Arithmetic.fitsConstant(100, "byte"));
        assertFalse(Arithmetic.fitsConstant(200, "byte"));
    }

    @Test
    void logTemplatesAndHitConditionsParseOnce() {
        List<Object> parts = BreakpointRule.template("a={a} {{literal}} b={m(\"}\")}");
        assertEquals(4, parts.size(), parts.toString());
        assertEquals("a=", parts.get(0));
        assertEquals(" {literal} b=", parts.get(2));
        assertThrows(EvalError.class, () -> BreakpointRule.parse(null, "sometimes", null));
        assertThrows(EvalError.class, () -> BreakpointRule.parse("i >", null, null));
        assertThrows(EvalError.class, () -> BreakpointRule.parse(null, null, "x={x"));
        assertNull(BreakpointRule.parse(" ", "", null));
        assertNotNull(BreakpointRule.parse(null, "% 10", null));
    }
}
