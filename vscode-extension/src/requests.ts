import { AdapterError, errorIdOfResponse } from './errorIds';
import { errorText } from './feedback';

/** The part of vscode.DebugAdapterTracker used here. */
export interface ResponseTracker {
    onDidSendMessage(message: unknown): void;
}

/** How a request reaches the adapter: vscode.DebugSession.customRequest. */
export type Send = (command: string, args?: unknown) => PromiseLike<any>;

/**
 * Requests to the adapter whose failures carry the error response's id (body.error.id).
 *
 * VS Code's DebugSession.customRequest rejects with the message alone, so the id is taken on the
 * way in: a DebugAdapterTracker's onDidSendMessage runs in the extension host before the message
 * is passed on to the workbench, which only then rejects customRequest and sends the rejection
 * back to the extension host. So when a request is rejected, its failed response is already noted.
 * Which failed response was this request's: one request per session and command is in flight at a
 * time (another waits for it), and the note is cleared as it is sent, so the last failure of that
 * command is its own. That holds for the commands only the extension sends (reloadClass,
 * restartFrameWithReload, propagateException); a failed stackTrace may be VS Code's own, but no one
 * reads that id. Request ids (request_seq) would not help: customRequest does not tell its seq.
 */
export class AdapterRequests {
    /** Per session: command → error id of its latest failed response (undefined: a failure without an id). */
    private readonly failed = new Map<string, Map<string, number | undefined>>();
    /** Per session and command: the request in flight, which the next one waits for. */
    private readonly inFlight = new Map<string, Map<string, Promise<void>>>();

    /** The tracker for one session; VS Code's DebugAdapterTrackerFactory hands it out. */
    tracker(sessionId: string): ResponseTracker {
        const failed = of(this.failed, sessionId);
        return {
            onDidSendMessage: message => {
                const m = message as { type?: unknown; success?: unknown; command?: unknown } | undefined;
                if (m?.type !== 'response' || m.success !== false || typeof m.command !== 'string') return;
                failed.set(m.command, errorIdOfResponse(message));
            },
        };
    }

    /** Sends a request; a failed response rejects with an AdapterError carrying its id. */
    send(sessionId: string, command: string, args: unknown, send: Send): Promise<any> {
        const queue = of(this.inFlight, sessionId);
        const before = queue.get(command) ?? Promise.resolve();
        const result = before.then(() => this.sendNow(sessionId, command, args, send));
        const done = result.then(() => undefined, () => undefined);
        queue.set(command, done);
        void done.then(() => {
            if (queue.get(command) === done) queue.delete(command);
        });
        return result;
    }

    private async sendNow(sessionId: string, command: string, args: unknown, send: Send): Promise<any> {
        const failed = this.failed.get(sessionId);
        failed?.delete(command);
        try {
            return await send(command, args);
        } catch (e) {
            // no failed response seen (no tracker, or the request never got an answer): as it came
            if (!failed?.has(command)) throw e;
            const errorId = failed.get(command);
            failed.delete(command);
            throw new AdapterError(errorText(e), errorId);
        }
    }

    /** Drops what is kept for a session that ended. */
    forget(sessionId: string): void {
        this.failed.delete(sessionId);
        this.inFlight.delete(sessionId);
    }
}

function of<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
    let inner = map.get(key);
    if (!inner) map.set(key, (inner = new Map()));
    return inner;
}
