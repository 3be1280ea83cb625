package dev.hotrestart.base;

import com.sun.jdi.Method;

import java.util.List;

/** How methods and types read to a Java developer, in frames, stops and messages. */
public final class MethodLabel {
    private MethodLabel() {}

    /** {@code Service.handle(String, int)}: simple names, nested types with dots. */
    public static String of(Method m) {
        String type = simple(m.declaringType().name()).replace('$', '.');
        StringBuilder b = new StringBuilder(type).append('.').append(m.name()).append('(');
        List<String> args = m.argumentTypeNames();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(simple(args.get(i)).replace('$', '.'));
        }
        return b.append(')').toString();
    }

    /** The name without its package: {@code java.lang.String} → {@code String}. */
    public static String simple(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }
}
