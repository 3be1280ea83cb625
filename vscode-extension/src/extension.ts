// The only module that talks to VS Code: it wires the plain modules to the editor's API.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { descriptorFactory } from './adapter';
import { CommandDeps, HotSession, propagateException, reloadClass, reloadOnSave, restartFrameWithReload } from './commands';
import { ConfigDeps, DebugConfig, initialConfigurations, MainClass, resolveConfiguration, resolveCwd, runProcess } from './config';
import { CompileDiagnostic, diagnosticsOfEvent, FeedbackUi } from './feedback';
import { realJavaEnvironment } from './java';
import { AdapterRequests } from './requests';

const TYPE = 'hotrestart';

function settings() {
    return vscode.workspace.getConfiguration('hotrestart');
}

function feedbackUi(problems: vscode.DiagnosticCollection): FeedbackUi {
    return {
        setProblems(list: CompileDiagnostic[]) {
            problems.clear();
            const byFile = new Map<string, vscode.Diagnostic[]>();
            for (const d of list) {
                const line = Math.max(d.line - 1, 0);
                const col = Math.max((d.column ?? 1) - 1, 0);
                const diagnostic = new vscode.Diagnostic(new vscode.Range(line, col, line, d.column ? col + 1 : Number.MAX_SAFE_INTEGER), d.message, vscode.DiagnosticSeverity.Error);
                diagnostic.source = 'hotrestart reload';
                byFile.set(d.file, [...(byFile.get(d.file) ?? []), diagnostic]);
            }
            for (const [file, diagnostics] of byFile) problems.set(vscode.Uri.file(file), diagnostics);
        },
        showError(message: string, offerProblems: boolean) {
            const action = 'Show Problems';
            void vscode.window.showErrorMessage(message, ...(offerProblems ? [action] : [])).then(choice => {
                if (choice === action) void vscode.commands.executeCommand('workbench.actions.view.problems');
            });
        },
        flashStatus(text: string) {
            vscode.window.setStatusBarMessage(text, 5000);
        },
    };
}

function configDeps(): ConfigDeps {
    return {
        async findJavaFiles(folder) {
            const include = folder ? new vscode.RelativePattern(folder, '**/*.java') : '**/*.java';
            const uris = await vscode.workspace.findFiles(include, '**/{node_modules,target,build,out,bin,.git}/**', 5000);
            return uris.map(u => u.fsPath);
        },
        readFile: file => fs.promises.readFile(file, 'utf8'),
        fileExists: file => fs.existsSync(file),
        activeFile: vscode.window.activeTextEditor?.document.uri.fsPath,
        async pickMainClass(candidates: MainClass[], folder) {
            const items = candidates.map(c => ({
                label: c.className.split('.').pop()!,
                description: c.className,
                detail: folder ? path.relative(folder, c.file) : c.file,
                candidate: c,
            }));
            const picked = await vscode.window.showQuickPick(items, {
                title: 'hotrestart: which main class?',
                placeHolder: 'Several classes have a main method; choose the one to launch (set "mainClass" in launch.json to skip this)',
                matchOnDescription: true,
            });
            return picked?.candidate;
        },
        run: runProcess,
        withProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
            return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
                const abort = new AbortController();
                token.onCancellationRequested(() => abort.abort());
                return work(abort.signal);
            }));
        },
        readText(file) {
            try {
                return fs.readFileSync(file, 'utf8');
            } catch {
                return undefined;
            }
        },
        tempFile: name => path.join(os.tmpdir(), name),
        removeFile: file => fs.rmSync(file, { force: true }),
        mtime(file) {
            try {
                return fs.statSync(file).mtimeMs;
            } catch {
                return undefined;
            }
        },
        showError: message => void vscode.window.showErrorMessage(message),
        showWarning: message => void vscode.window.showWarningMessage(message),
        platform: process.platform,
    };
}

export function activate(context: vscode.ExtensionContext): void {
    const problems = vscode.languages.createDiagnosticCollection('hotrestart');
    const ui = feedbackUi(problems);
    const running = new Map<string, vscode.DebugSession>();
    // customRequest rejects without the error id: the tracker notes it on the way in
    const requests = new AdapterRequests();

    const toHot = (s: vscode.DebugSession): HotSession => ({
        id: s.id,
        type: s.type,
        configuration: s.configuration,
        workspaceFolder: s.workspaceFolder?.uri.fsPath,
        customRequest: (command, args) => requests.send(s.id, command, args, (c, a) => s.customRequest(c, a)),
    });
    const deps: CommandDeps = {
        activeStackItem: () => {
            // a DebugStackFrame {session, threadId, frameId} or a DebugThread {session, threadId}
            const item = vscode.debug.activeStackItem as { session: vscode.DebugSession; threadId: number; frameId?: number } | undefined;
            if (!item) return undefined;
            return { session: toHot(item.session), threadId: item.threadId, ...(typeof item.frameId === 'number' ? { frameId: item.frameId } : {}) };
        },
        activeSession: () => {
            const s = vscode.debug.activeDebugSession;
            return s ? toHot(s) : undefined;
        },
        sessions: () => [...running.values()].map(toHot),
        activeJavaFile: () => {
            const doc = vscode.window.activeTextEditor?.document;
            return doc && doc.languageId === 'java' && doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
        },
        resumeAfterRestart: () => settings().get<boolean>('resumeAfterRestart', true),
        ui,
    };

    const factory = descriptorFactory(
        () => ({
            extensionPath: context.extensionPath,
            javaEnvironment: realJavaEnvironment(settings().get<string>('java.home') || undefined),
            storageDir: context.globalStorageUri.fsPath,
            hoverCalls: settings().get<boolean>('hoverCalls', false),
        }),
        (command, args, options) => new vscode.DebugAdapterExecutable(command, args, options),
        (skipped, used) => void vscode.window.showWarningMessage(
            `hotrestart: ${skipped.filter(s => s.startsWith('hotrestart.java.home')).join('; ')}. Using ${used.java} (Java ${used.version}, from ${used.source}) instead.`),
    );

    context.subscriptions.push(
        problems,
        vscode.debug.registerDebugAdapterDescriptorFactory(TYPE, factory),
        vscode.debug.registerDebugAdapterTrackerFactory(TYPE, { createDebugAdapterTracker: s => requests.tracker(s.id) }),
        vscode.debug.registerDebugConfigurationProvider(TYPE, {
            provideDebugConfigurations: folder =>
                initialConfigurations(folder?.uri.fsPath, configDeps()) as Promise<vscode.DebugConfiguration[]>,
            resolveDebugConfiguration: (folder, config) =>
                resolveConfiguration(folder?.uri.fsPath, config as DebugConfig, configDeps()) as Promise<vscode.DebugConfiguration | undefined>,
            resolveDebugConfigurationWithSubstitutedVariables: (folder, config) =>
                resolveCwd(folder?.uri.fsPath, config as DebugConfig) as Promise<vscode.DebugConfiguration | undefined>,
        }),
        vscode.debug.onDidStartDebugSession(s => {
            if (s.type === TYPE) running.set(s.id, s);
        }),
        // after every reload, whatever started it (Continue, a command, a save): its compile errors, or none
        vscode.debug.onDidReceiveDebugSessionCustomEvent(e => {
            if (e.session.type !== TYPE || e.event !== 'reloadDiagnostics') return;
            const list = diagnosticsOfEvent(e.body);
            if (list) ui.setProblems(list);
        }),
        vscode.debug.onDidTerminateDebugSession(s => {
            requests.forget(s.id);
            if (running.delete(s.id) && running.size === 0) problems.clear();
        }),
        vscode.commands.registerCommand('hotrestart.restartFrameWithReload', (...args: unknown[]) => restartFrameWithReload(args, deps)),
        vscode.commands.registerCommand('hotrestart.reloadClass', (...args: unknown[]) => reloadClass(args, deps)),
        vscode.commands.registerCommand('hotrestart.propagateException', (...args: unknown[]) => propagateException(args, deps)),
        vscode.workspace.onDidSaveTextDocument(doc => {
            if (doc.uri.scheme !== 'file' || running.size === 0) return;
            void reloadOnSave(doc.uri.fsPath, doc.languageId, settings().get<boolean>('reloadOnSave', false), deps);
        }),
    );
}

export function deactivate(): void { }
