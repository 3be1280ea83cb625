package dev.hotrestart.session;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** How a function breakpoint's name is read: the class, the method, and the parameter types if any. */
class FunctionNameTest {
    @Test
    void namesWithAndWithoutParameters() {
        assertEquals(new FunctionName("com.acme.Cart", "total", null), FunctionName.parse("com.acme.Cart#total"));
        assertEquals(new FunctionName("Cart.Line", "price", List.of()), FunctionName.parse(" Cart.Line#price() "));
        assertEquals(new FunctionName("Cart$Line", "<init>", List.of("int[][]", "String[]")),
                FunctionName.parse("Cart$Line#<init>(int [][], String...)"));
        assertEquals(List.of("java.util.Map", "List[]"), FunctionName.parse("C#m(java.util.Map<String, List<Integer>>, List<?>[])").params());
    }

    @Test
    void malformedNamesSayWhatIsWrong() {
        assertMessage("Cart", "it needs one '#' between the class and the method");
        assertMessage("a#b#c", "it needs one '#'");
        assertMessage("#total", "the class is missing");
        assertMessage("Cart#", "the method is missing");
        assertMessage("Cart#total(int", "no closing ')'");
        assertMessage("Cart#total(int,)", "'' is not a parameter type");
        assertMessage("com..Cart#total", "'com..Cart' is not a class name");
        assertMessage("Cart#to-tal", "'to-tal' is not a method name");
    }

    @Test
    void parameterTypesMatchByTheirWholeNameOrItsEnd() {
        List<String> actual = List.of("java.lang.String", "int[]", "com.acme.Cart$Line");
        assertTrue(FunctionName.paramsMatch(List.of("String", "int[]", "Line"), actual));
        assertTrue(FunctionName.paramsMatch(List.of("java.lang.String", "int[]", "Cart.Line"), actual));
        assertTrue(FunctionName.paramsMatch(List.of("String", "int[]", "com.acme.Cart$Line"), actual));
        assertFalse(FunctionName.paramsMatch(List.of("String", "int", "Line"), actual), "an array is not its element");
        assertFalse(FunctionName.paramsMatch(List.of("ring", "int[]", "Line"), actual), "the end of a name is a whole part of it");
        assertFalse(FunctionName.paramsMatch(List.of("String", "int[]"), actual));
    }

    private static void assertMessage(String name, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FunctionName.parse(name));
        assertTrue(e.getMessage().contains(part) && e.getMessage().endsWith("write Class#method or Class#method(int, String)."), e.getMessage());
    }
}
