package dev.hotrestart.session;

import org.eclipse.lsp4j.debug.Variable;

import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** What evaluate, setExpression and setVariable answer of a value: as the Variables view shows it. */
record Shown(String value, String type, int reference, Integer indexed) {
    static Shown of(Variable v) {
        return new Shown(v.getValue(), v.getType(), v.getVariablesReference(), v.getIndexedVariables());
    }

    /** Copies the four into a response, through its setters. */
    void into(Consumer<String> value, Consumer<String> type, IntConsumer reference, Consumer<Integer> indexed) {
        value.accept(this.value);
        type.accept(this.type);
        reference.accept(this.reference);
        indexed.accept(this.indexed);
    }
}
