package dev.hotrestart.dap;

/**
 * The one error type of the adapter: a message written for the person in the editor, saying
 * what went wrong and what to do next. It becomes a DAP error response (and, where the
 * request asks for it, an output event) in {@link DapServer}; nothing else formats errors.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
