// The few parts of the `vscode` module that activate() touches, recording what it registers.
// Loaded in place of `vscode` by test/extension.test.ts; nothing else uses it.

export const registered = {
    commands: new Map<string, (...args: unknown[]) => unknown>(),
    descriptorFactories: new Map<string, { createDebugAdapterDescriptor(session: unknown): unknown }>(),
    trackerFactories: new Map<string, { createDebugAdapterTracker(session: unknown): { onDidSendMessage?(message: unknown): void } }>(),
    sessionListeners: { start: [] as ((session: unknown) => void)[], terminate: [] as ((session: unknown) => void)[] },
    customEventListeners: [] as ((e: { session: { type: string }; event: string; body?: unknown }) => void)[],
    configurationProviders: new Map<string, {
        resolveDebugConfiguration?(folder: unknown, config: unknown): unknown;
        resolveDebugConfigurationWithSubstitutedVariables?(folder: unknown, config: unknown): unknown;
    }>(),
    saveListeners: [] as ((doc: unknown) => void)[],
    diagnostics: new Map<string, unknown[]>(),
    errors: [] as string[],
    status: [] as string[],
};

const disposable = { dispose() { } };
const event = <T>(sink?: (f: T) => void) => (f: T) => {
    sink?.(f);
    return disposable;
};

export class DebugAdapterExecutable {
    constructor(readonly command: string, readonly args: string[], readonly options?: unknown) { }
}
export class Range {
    constructor(readonly startLine: number, readonly startCharacter: number, readonly endLine: number, readonly endCharacter: number) { }
}
export class Diagnostic {
    source?: string;
    constructor(readonly range: Range, readonly message: string, readonly severity: number) { }
}
export const DiagnosticSeverity = { Error: 0 };
export const ProgressLocation = { Notification: 15 };
export class RelativePattern {
    constructor(readonly base: string, readonly pattern: string) { }
}
export const Uri = { file: (fsPath: string) => ({ fsPath, scheme: 'file', toString: () => `file://${fsPath}` }) };

export const languages = {
    createDiagnosticCollection: () => ({
        set: (uri: { fsPath: string }, d: unknown[]) => void registered.diagnostics.set(uri.fsPath, d),
        clear: () => registered.diagnostics.clear(),
        dispose() { },
    }),
};
export const debug = {
    activeStackItem: undefined as unknown,
    activeDebugSession: undefined as unknown,
    registerDebugAdapterDescriptorFactory: (type: string, f: never) => (registered.descriptorFactories.set(type, f), disposable),
    registerDebugConfigurationProvider: (type: string, p: never) => (registered.configurationProviders.set(type, p), disposable),
    registerDebugAdapterTrackerFactory: (type: string, f: never) => (registered.trackerFactories.set(type, f), disposable),
    onDidStartDebugSession: event<(s: unknown) => void>(f => registered.sessionListeners.start.push(f)),
    onDidTerminateDebugSession: event<(s: unknown) => void>(f => registered.sessionListeners.terminate.push(f)),
    onDidReceiveDebugSessionCustomEvent: event<(e: { session: { type: string }; event: string; body?: unknown }) => void>(
        f => registered.customEventListeners.push(f)),
};
export const commands = {
    registerCommand: (id: string, f: (...args: unknown[]) => unknown) => (registered.commands.set(id, f), disposable),
    executeCommand: async () => undefined,
};
/** The hotrestart.* settings, by their name under hotrestart; unset ones read as their default. */
export const settings: { [key: string]: unknown } = {};
export const workspace = {
    getConfiguration: () => ({ get: <T>(key: string, fallback?: T) => (key in settings ? settings[key] as T : fallback) }),
    onDidSaveTextDocument: event<(doc: unknown) => void>(f => registered.saveListeners.push(f)),
    findFiles: async () => [],
};
export const window = {
    activeTextEditor: undefined,
    showErrorMessage: async (m: string) => void registered.errors.push(m),
    showWarningMessage: async (m: string) => void registered.errors.push(m),
    showQuickPick: async () => undefined,
    setStatusBarMessage: (t: string) => (registered.status.push(t), disposable),
    withProgress: async (_o: unknown, work: (p: unknown, t: unknown) => unknown) => work({}, { onCancellationRequested: () => disposable }),
};
