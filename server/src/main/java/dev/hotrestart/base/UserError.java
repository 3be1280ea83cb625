package dev.hotrestart.base;

/**
 * The one error type of the adapter: a message written for the person in the editor, saying
 * what went wrong and what to do next, and an {@link ErrorId} for clients that act on the kind
 * of failure. It becomes a DAP error response in the protocol layer, in one place; nothing else
 * formats errors.
 */
public class UserError extends RuntimeException {
    private final ErrorId id;

    public UserError(ErrorId id, String message) {
        super(message);
        this.id = id;
    }

    public UserError(ErrorId id, String message, Throwable cause) {
        super(message, cause);
        this.id = id;
    }

    public ErrorId id() {
        return id;
    }
}
