/** The part of vscode.DebugSession the commands use. */
export interface SessionLike {
    id: string;
    type: string;
    customRequest(command: string, args?: unknown): PromiseLike<any>;
}

/** vscode.DebugStackFrame ({session, threadId, frameId}) or vscode.DebugThread ({session, threadId}). */
export interface StackItemLike {
    session: SessionLike;
    threadId: number;
    frameId?: number;
}

/** Which frame (or which thread's restart target) a request is about. */
export interface FrameTarget {
    session: SessionLike;
    threadId?: number;
    /** The DAP frame id; absent means the thread's restart target. */
    frameId?: number;
}

export class UserFacingError extends Error {}

/**
 * The call stack view hands contributed commands the frame's source URI and then a context
 * object whose ids are VS Code's own, e.g. frameId "stackframe:thread:<session>:<thread>:<index>:<source name>".
 * The DAP frame id is not in it, but the thread and the frame's index in the stack are.
 */
interface CallStackPosition {
    sessionId: string;
    threadId: number;
    index?: number;
    frameName?: string;
}

const FRAME_ID = /^stackframe:thread:(.+?):(\d+):(\d+):/;
const THREAD_ID = /^thread:(.+?):(\d+)$/;

export function callStackPosition(args: unknown[]): CallStackPosition | undefined {
    for (const a of args) {
        if (!a || typeof a !== 'object') continue;
        const ctx = a as { sessionId?: unknown; threadId?: unknown; frameId?: unknown; frameName?: unknown };
        if (typeof ctx.frameId === 'string') {
            const m = FRAME_ID.exec(ctx.frameId);
            if (m) {
                return {
                    sessionId: typeof ctx.sessionId === 'string' ? ctx.sessionId : m[1],
                    threadId: Number(m[2]),
                    index: Number(m[3]),
                    frameName: typeof ctx.frameName === 'string' ? ctx.frameName : undefined,
                };
            }
        }
        if (typeof ctx.threadId === 'string') {
            const m = THREAD_ID.exec(ctx.threadId);
            if (m) return { sessionId: typeof ctx.sessionId === 'string' ? ctx.sessionId : m[1], threadId: Number(m[2]) };
        }
    }
    return undefined;
}

/**
 * The frame a call stack menu, toolbar button or key press means:
 * 1. the frame the call stack menu was opened on (its DAP id read back from the adapter by thread and index),
 * 2. else the focused frame, vscode.debug.activeStackItem,
 * 3. else the focused thread, meaning its restart target (threadId only),
 * 4. else the active hotrestart session, where the adapter picks the one thread stopped on an escaped exception.
 */
export async function resolveFrameTarget(
    args: unknown[],
    active: StackItemLike | undefined,
    sessions: SessionLike[],
    activeSession: SessionLike | undefined,
): Promise<FrameTarget> {
    const pos = callStackPosition(args);
    if (pos) {
        const session = sessions.find(s => s.id === pos.sessionId);
        if (session && session.type === 'hotrestart') {
            if (pos.index === undefined) return { session, threadId: pos.threadId };
            const frame = await frameAt(session, pos.threadId, pos.index);
            if (frame && (pos.frameName === undefined || frame.name === pos.frameName)) {
                return { session, threadId: pos.threadId, frameId: frame.id };
            }
        }
    }
    if (active && active.session.type === 'hotrestart') {
        return active.frameId !== undefined
            ? { session: active.session, threadId: active.threadId, frameId: active.frameId }
            : { session: active.session, threadId: active.threadId };
    }
    if (activeSession && activeSession.type === 'hotrestart') return { session: activeSession };
    throw new UserFacingError('No hotrestart debug session is stopped: start one, and run this when the program stops.');
}

async function frameAt(session: SessionLike, threadId: number, index: number): Promise<{ id: number; name: string } | undefined> {
    try {
        const r = await session.customRequest('stackTrace', { threadId, startFrame: index, levels: 1 });
        const f = r?.stackFrames?.[0];
        return f && typeof f.id === 'number' ? { id: f.id, name: String(f.name) } : undefined;
    } catch {
        return undefined;
    }
}

/** The thread a thread-level request (propagateException) is about. */
export function resolveThread(args: unknown[], active: StackItemLike | undefined, sessions: SessionLike[]): { session: SessionLike; threadId: number } {
    const pos = callStackPosition(args);
    if (pos) {
        const session = sessions.find(s => s.id === pos.sessionId);
        if (session && session.type === 'hotrestart') return { session, threadId: pos.threadId };
    }
    if (active && active.session.type === 'hotrestart') return { session: active.session, threadId: active.threadId };
    throw new UserFacingError('Select a stopped thread of a hotrestart session in the Call Stack view first.');
}
