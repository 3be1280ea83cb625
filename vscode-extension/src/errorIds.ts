/**
 * The ids of the adapter's error responses (`body.error.id`), as server/.../base/ErrorId.java
 * numbers them: the extension matches these, never the message text, which is written for people
 * and may change. test/errorIds.test.ts keeps this table equal to the server's.
 */
export const ErrorId = {
    INTERNAL: 1000,
    BAD_REQUEST: 1001,
    UNSUPPORTED: 1002,
    WRONG_ORDER: 1003,
    ADAPTER_RUNTIME: 1004,

    BAD_CONFIGURATION: 1100,
    LAUNCH_FAILED: 1101,
    ATTACH_FAILED: 1102,
    DEBUGGEE_GONE: 1103,
    PROJECT_CLASS_PATH: 1104,

    THREAD_RUNNING: 1200,
    STALE_REFERENCE: 1201,
    NOT_STOPPED_THERE: 1202,
    VARIABLE: 1203,
    NO_SOURCE: 1204,

    EVALUATION: 1300,
    THROWN_BY_PROGRAM: 1301,

    /** The message lists every diagnostic as path:line:col: text, one a line after the first. */
    COMPILE_ERROR: 1400,
    NOTHING_TO_RELOAD: 1401,
    SOURCE_NOT_FOUND: 1402,
    METHOD_NOT_FOUND: 1403,
    SWAP_REFUSED: 1404,
    CANNOT_RESTART: 1405,
    COMPILER_UNAVAILABLE: 1406,
    EDIT_NEEDS_MORE: 1407,
    PARSER_CANNOT_READ: 1408,
} as const;

/** The error id of a DAP message: a failed response's `body.error.id`; undefined for anything else. */
export function errorIdOfResponse(message: unknown): number | undefined {
    const m = message as { type?: unknown; success?: unknown; body?: { error?: { id?: unknown } } } | undefined;
    if (!m || m.type !== 'response' || m.success !== false) return undefined;
    const id = m.body?.error?.id;
    return typeof id === 'number' ? id : undefined;
}

/** A failed request to the adapter: its message, and the id of its error response when one came. */
export class AdapterError extends Error {
    constructor(message: string, readonly errorId: number | undefined) {
        super(message);
    }
}

/** The error id a failed request was rejected with; undefined when it was not an adapter's error response. */
export function errorIdOf(e: unknown): number | undefined {
    return e instanceof AdapterError ? e.errorId : undefined;
}
