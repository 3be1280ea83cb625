import * as path from 'path';
import { ErrorId, errorIdOf } from './errorIds';
import { FeedbackUi, reportFailure, reportSuccess } from './feedback';
import { resolveFrameTarget, resolveThread, SessionLike, StackItemLike, UserFacingError } from './frames';

/** A hotrestart session with the configuration it was started with. */
export interface HotSession extends SessionLike {
    configuration: { [key: string]: unknown };
    workspaceFolder?: string;
}

/** What the commands read from VS Code. */
export interface CommandDeps {
    activeStackItem(): StackItemLike | undefined;
    activeSession(): SessionLike | undefined;
    /** Running hotrestart sessions. */
    sessions(): HotSession[];
    /** The Java file of the active editor, if any. */
    activeJavaFile(): string | undefined;
    resumeAfterRestart(): boolean;
    ui: FeedbackUi;
}

function baseOf(session: SessionLike, deps: CommandDeps): string | undefined {
    const s = deps.sessions().find(x => x.id === session.id);
    const cwd = s?.configuration.cwd;
    return typeof cwd === 'string' ? cwd : s?.workspaceFolder;
}

function list(names: unknown): string {
    return Array.isArray(names) && names.length ? names.join(', ') : 'nothing';
}

/** Restart Frame with Reload: from the call stack menu, the debug toolbar, the key binding or the palette. */
export async function restartFrameWithReload(args: unknown[], deps: CommandDeps): Promise<void> {
    let target;
    try {
        target = await resolveFrameTarget(args, deps.activeStackItem(), deps.sessions(), deps.activeSession());
    } catch (e) {
        if (e instanceof UserFacingError) return deps.ui.showError(`hotrestart: ${e.message}`, false);
        throw e;
    }
    const request: { frameId?: number; threadId?: number; resume: boolean } = { resume: deps.resumeAfterRestart() };
    if (target.frameId !== undefined) request.frameId = target.frameId;
    if (target.threadId !== undefined) request.threadId = target.threadId;
    try {
        const body = await target.session.customRequest('restartFrameWithReload', request);
        reportSuccess(`$(check) hotrestart: reloaded ${list(body?.reloaded)}; running ${body?.restarted ?? 'the method'} again`, deps.ui);
    } catch (e) {
        reportFailure('Restart Frame with Reload', e, deps.ui, baseOf(target.session, deps));
    }
}

/** The session a file belongs to: under its sourcePaths, else under its cwd or workspace folder. */
export function isFileOfSession(file: string, session: HotSession): boolean {
    const config = session.configuration;
    const base = typeof config.cwd === 'string' ? config.cwd : session.workspaceFolder;
    const roots = Array.isArray(config.sourcePaths) && config.sourcePaths.length
        ? config.sourcePaths.filter((p): p is string => typeof p === 'string').map(p => (base ? path.resolve(base, p) : p))
        : base ? [base] : [];
    return roots.some(root => {
        const rel = path.relative(root, file);
        return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    });
}

function sessionForFile(file: string, deps: CommandDeps): HotSession | undefined {
    const sessions = deps.sessions();
    const active = deps.activeSession();
    const own = sessions.filter(s => isFileOfSession(file, s));
    return own.find(s => s.id === active?.id) ?? own[0] ?? sessions.find(s => s.id === active?.id) ?? sessions[0];
}

function fileArg(args: unknown[]): string | undefined {
    const a = args[0];
    if (typeof a === 'string' && a.endsWith('.java') && !a.includes('://')) return a;
    if (a && typeof a === 'object' && typeof (a as { fsPath?: unknown }).fsPath === 'string') {
        const p = (a as { fsPath: string }).fsPath;
        return p.endsWith('.java') ? p : undefined;
    }
    return undefined;
}

/** Reload Class: hot-swaps every method-body change of a Java file, without popping any frame. */
export async function reloadClass(args: unknown[], deps: CommandDeps): Promise<void> {
    const file = fileArg(args) ?? deps.activeJavaFile();
    if (!file) return deps.ui.showError('hotrestart: open the Java file to reload in the editor first.', false);
    const session = sessionForFile(file, deps);
    if (!session) return deps.ui.showError('hotrestart: no hotrestart debug session is running.', false);
    await sendReloadClass(session, file, deps, false);
}

/** Failures that only mean "nothing of this file runs yet" or "not a file of this session's sources": not worth a notification on save. */
const QUIET_ON_SAVE: ReadonlySet<number | undefined> = new Set([ErrorId.NOTHING_TO_RELOAD, ErrorId.SOURCE_NOT_FOUND]);

async function sendReloadClass(session: HotSession, file: string, deps: CommandDeps, quiet: boolean): Promise<void> {
    try {
        const body = await session.customRequest('reloadClass', { source: { path: file } });
        reportSuccess(`$(check) hotrestart: reloaded ${list(body?.reloaded)}`, deps.ui);
    } catch (e) {
        if (quiet && QUIET_ON_SAVE.has(errorIdOf(e))) return;
        reportFailure(`Reloading ${path.basename(file)}`, e, deps.ui, baseOf(session, deps));
    }
}

/** hotrestart.reloadOnSave: a saved Java file of a running session is hot-swapped. */
export async function reloadOnSave(file: string, languageId: string, enabled: boolean, deps: CommandDeps): Promise<void> {
    if (!enabled || languageId !== 'java') return;
    for (const session of deps.sessions().filter(s => isFileOfSession(file, s))) {
        await sendReloadClass(session, file, deps, true);
    }
}

/** Propagate Exception: the next wrapped method further out becomes the restart target, or the exception goes on. */
export async function propagateException(args: unknown[], deps: CommandDeps): Promise<void> {
    let t;
    try {
        t = resolveThread(args, deps.activeStackItem(), deps.sessions());
    } catch (e) {
        if (e instanceof UserFacingError) return deps.ui.showError(`hotrestart: ${e.message}`, false);
        throw e;
    }
    try {
        const body = await t.session.customRequest('propagateException', { threadId: t.threadId });
        deps.ui.flashStatus(body?.target
            ? `$(debug-step-out) hotrestart: the exception now stops in ${body.target}`
            : '$(debug-step-out) hotrestart: the exception goes on; no wrapped method is left');
    } catch (e) {
        reportFailure('Propagate Exception', e, deps.ui, baseOf(t.session, deps));
    }
}
