package dev.hotrestart.base;

import com.sun.jdi.Method;

import java.util.List;

/** How methods and types read to a Java developer, in frames, stops and messages. */
public final class MethodLabel {
    private MethodLabel() {}

    /**
     * {@code Service.handle(String, int)}: simple names, nested types with dots. A method a reload
     * added runs in its class's companion (see the agent's {@code Links}) and reads as a method of
     * the class; an instance method there takes {@code this} first, which is left out.
     */
    public static String of(Method m) {
        String owner = m.declaringType().name();
        int companion = owner.indexOf(COMPANION);
        List<String> args = m.argumentTypeNames();
        if (companion >= 0) {
            owner = owner.substring(0, companion);
            if (!args.isEmpty() && args.get(0).equals(owner) && takesThis(m)) args = args.subList(1, args.size());
        }
        StringBuilder b = new StringBuilder(simple(owner).replace('$', '.')).append('.').append(m.name()).append('(');
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(simple(args.get(i)).replace('$', '.'));
        }
        return b.append(')').toString();
    }

    /** In the name of a class holding what reloads added to a class. */
    public static final String COMPANION = "$$Added";

    private static boolean takesThis(Method m) {
        try {
            List<com.sun.jdi.LocalVariable> a = m.arguments();
            return !a.isEmpty() && a.get(0).name().equals("this");
        } catch (com.sun.jdi.AbsentInformationException e) {
            return true;
        }
    }

    /** The name without its package: {@code java.lang.String} → {@code String}. */
    public static String simple(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }
}
