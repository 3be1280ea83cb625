package dev.hotrestart.eval;

import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

/**
 * An expression that cannot be evaluated: it does not parse, names nothing, or its types do not
 * fit. For a breakpoint condition this means "fix the condition", not "the program failed".
 */
public class EvalError extends UserError {
    public EvalError(String message) {
        super(ErrorId.EVALUATION, message);
    }
}
