package dev.hotrestart.session;

import dev.hotrestart.base.BinaryNames;
import java.util.ArrayList;
import java.util.List;

/**
 * An exception filter's condition: a comma-separated list of exception types, each simple
 * ({@code IOException}), qualified ({@code java.io.IOException}) or partly qualified
 * ({@code Ledger.Overdraft} for a nested type), subclasses included; {@code !Type} excludes. The
 * nearest type in the exception's superclass chain that the list names decides, so
 * {@code IOException, !FileNotFoundException} stops on every IOException but that one, and
 * {@code Exception, !RuntimeException, IllegalStateException} on checked exceptions and
 * IllegalStateException. An exception whose chain names none of them stops only when the list
 * has no type to include ({@code !FileNotFoundException} alone: every exception but that one).
 */
final class ExceptionCondition {
    /** No condition: every exception. */
    static final ExceptionCondition ANY = new ExceptionCondition(List.of(), List.of());

    private final List<String> included;
    private final List<String> excluded;

    private ExceptionCondition(List<String> included, List<String> excluded) {
        this.included = included;
        this.excluded = excluded;
    }

    /**
     * The condition as the user wrote it; blank is {@link #ANY}. Types need not exist (yet): a
     * class may load later.
     *
     * @throws IllegalArgumentException with a message for the user, when an entry is no type name
     */
    static ExceptionCondition parse(String text) {
        if (text == null || text.isBlank()) return ANY;
        List<String> included = new ArrayList<>(), excluded = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String entry = raw.strip();
            boolean exclude = entry.startsWith("!");
            String name = (exclude ? entry.substring(1) : entry).strip().replace('$', '.');
            if (!isTypeName(name)) {
                throw new IllegalArgumentException((entry.isEmpty() ? "An empty entry" : "'" + entry + "'")
                        + " is not an exception type. Write type names separated by commas, simple or qualified, "
                        + "with ! before those to leave out: IOException, !java.io.FileNotFoundException");
            }
            (exclude ? excluded : included).add(name);
        }
        return new ExceptionCondition(List.copyOf(included), List.copyOf(excluded));
    }

    private static boolean isTypeName(String name) {
        if (name.isEmpty()) return false;
        for (String part : name.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))) return false;
            if (!part.codePoints().allMatch(Character::isJavaIdentifierPart)) return false;
        }
        return true;
    }

    boolean isAny() {
        return included.isEmpty() && excluded.isEmpty();
    }

    /** The types to include, as written (nested types with dots); empty when any type may stop. */
    List<String> included() {
        return included;
    }

    /**
     * Whether an exception stops, given the binary names of its class and its superclasses,
     * nearest first (a chain that leaves out the top is read as far as it goes).
     */
    boolean stops(List<String> chain) {
        for (String type : chain) {
            for (String name : excluded) if (BinaryNames.names(name, type)) return false;
            for (String name : included) if (BinaryNames.names(name, type)) return true;
        }
        return included.isEmpty();
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>(included);
        for (String e : excluded) parts.add("!" + e);
        return String.join(", ", parts);
    }
}
