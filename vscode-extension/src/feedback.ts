import * as path from 'path';
import { ErrorId, errorIdOf } from './errorIds';

/** One compiler diagnostic from a failed reload: `path:line:col: message` (col may be missing). */
export interface CompileDiagnostic {
    file: string;
    /** 1-based, as javac writes it. */
    line: number;
    /** 1-based; undefined when the compiler gave none. */
    column?: number;
    message: string;
}

const DIAGNOSTIC = /^(.+?):(\d+):(?:(\d+):)?\s(.+)$/;

/**
 * The diagnostics in a reload error message: its first line says what happened, each later line
 * of the form `path:line:col: message` is one compiler error, and indented lines after one
 * (javac's `symbol:`, `location:`) belong to it. Relative paths resolve against `base`.
 */
export function parseDiagnostics(message: string, base?: string): CompileDiagnostic[] {
    const out: CompileDiagnostic[] = [];
    for (const line of message.split(/\r?\n/).slice(1)) {
        if (/^\s/.test(line) && out.length > 0 && line.trim()) {
            out[out.length - 1].message += '\n' + line.trim();
            continue;
        }
        const m = DIAGNOSTIC.exec(line.trim());
        if (!m || !/\.java$/i.test(m[1])) continue;
        const file = path.isAbsolute(m[1]) || !base ? m[1] : path.resolve(base, m[1]);
        out.push({ file, line: Number(m[2]), column: m[3] ? Number(m[3]) : undefined, message: m[4] });
    }
    return out;
}

/** What the user sees; the extension implements it with notifications, the Problems panel and the status bar. */
export interface FeedbackUi {
    /** Replaces hotrestart's entries in the Problems panel. */
    setProblems(problems: CompileDiagnostic[]): void;
    showError(message: string, offerProblems: boolean): void;
    flashStatus(text: string): void;
}

/** The text of a failed request's error, as VS Code's customRequest and DebugClient reject with it. */
export function errorText(e: unknown): string {
    if (e instanceof Error) return e.message;
    if (e && typeof e === 'object' && 'message' in e) return String((e as { message: unknown }).message);
    return String(e);
}

/**
 * Shows a failed reload: a notification, and when the edit does not compile (the error id says so,
 * whatever the text) its diagnostics, in the notification and in the Problems panel.
 */
export function reportFailure(what: string, e: unknown, ui: FeedbackUi, base?: string): CompileDiagnostic[] {
    const text = errorText(e);
    const diagnostics = errorIdOf(e) === ErrorId.COMPILE_ERROR ? parseDiagnostics(text, base) : [];
    ui.setProblems(diagnostics);
    if (diagnostics.length === 0) {
        ui.showError(`hotrestart: ${what} failed: ${text}`, false);
    } else {
        const first = text.split(/\r?\n/)[0].replace(/:$/, '');
        const shown = diagnostics.slice(0, 3).map(d => `${path.basename(d.file)}:${d.line}${d.column ? ':' + d.column : ''}: ${d.message}`);
        const more = diagnostics.length > shown.length ? ` (${diagnostics.length - shown.length} more in the Problems panel)` : '';
        ui.showError(`hotrestart: ${what} failed. ${first}: ${shown.join(' · ')}${more}`, true);
    }
    return diagnostics;
}

/**
 * The diagnostics of the adapter's `reloadDiagnostics` event, sent after every reload whatever
 * started it (Continue included): the compile errors of a failed one, none after a good one.
 * Undefined for a body that is not such an event's.
 */
export function diagnosticsOfEvent(body: unknown): CompileDiagnostic[] | undefined {
    const b = body as { diagnostics?: unknown; errorId?: unknown } | undefined;
    const list = b?.diagnostics;
    if (!Array.isArray(list)) return undefined;
    // a failure other than a compile error (nothing to reload yet, a refused swap) says nothing
    // of the compile errors shown: they stay
    if (b?.errorId !== undefined && b.errorId !== ErrorId.COMPILE_ERROR) return undefined;
    const out: CompileDiagnostic[] = [];
    for (const d of list as { path?: unknown; line?: unknown; column?: unknown; message?: unknown }[]) {
        if (typeof d?.path !== 'string' || typeof d.message !== 'string') continue;
        const line = typeof d.line === 'number' && d.line > 0 ? d.line : 1;
        const column = typeof d.column === 'number' && d.column > 0 ? d.column : undefined;
        out.push({ file: d.path, line, column, message: d.message });
    }
    return out;
}

export function reportSuccess(text: string, ui: FeedbackUi): void {
    ui.setProblems([]);
    ui.flashStatus(text);
}
