import * as cp from 'child_process';
import * as path from 'path';

/** A launch or attach configuration as VS Code hands it over: loose JSON. */
export type DebugConfig = { [key: string]: unknown; type?: string; request?: string; name?: string };

export interface MainClass {
    /** Fully qualified name, e.g. shop.Checkout. */
    className: string;
    file: string;
}

/** Everything the configuration provider needs from VS Code and the machine. */
export interface ConfigDeps {
    /** Java files of the workspace folder (build output and node_modules left out). */
    findJavaFiles(folder: string | undefined): Promise<string[]>;
    readFile(file: string): Promise<string>;
    fileExists(file: string): boolean;
    /** The file of the active editor, listed first when asking. */
    activeFile?: string;
    /** Asks the user to choose; undefined when dismissed. */
    pickMainClass(candidates: MainClass[], folder: string | undefined): Promise<MainClass | undefined>;
    /** Runs a program in a folder; ENOENT comes back as code null with `notFound`. */
    run(command: string, args: string[], cwd: string, signal: AbortSignal): Promise<RunResult>;
    /** Shows a cancellable progress notification while work runs. */
    withProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
    readText(file: string): string | undefined;
    tempFile(name: string): string;
    removeFile(file: string): void;
    mtime(file: string): number | undefined;
    showError(message: string): void;
    showWarning(message: string): void;
    platform: NodeJS.Platform;
}

export interface RunResult {
    code: number | null;
    stdout: string;
    stderr: string;
    notFound?: boolean;
}

/** Runs a program to completion; the signal kills it (the promise then rejects with an AbortError). */
export function runProcess(command: string, args: string[], cwd: string, signal: AbortSignal): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        // .cmd files (mvn.cmd, mvnw.cmd) only run through the shell on Windows
        cp.execFile(command, args, { cwd, signal, maxBuffer: 16 * 1024 * 1024, windowsHide: true, shell: process.platform === 'win32' }, (err, stdout, stderr) => {
            if (err && err.name === 'AbortError') return reject(err);
            const code = !err ? 0 : typeof err.code === 'number' ? err.code : null;
            resolve({ code, stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), notFound: err?.code === 'ENOENT' });
        });
    });
}

const COMMENTS = /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
const MAIN = /\bstatic\s+(?:(?:public|final|synchronized|strictfp)\s+)*void\s+main\s*\(\s*(?:final\s+)?String\s*(?:\[\s*\]|\.\.\.)/;
const MAIN_PUBLIC_FIRST = /\bpublic\s+(?:(?:final|synchronized|strictfp)\s+)*static\s+(?:(?:final|synchronized|strictfp)\s+)*void\s+main\s*\(/;
const PACKAGE = /^\s*package\s+([\w.]+)\s*;/m;

/** The class a Java source declares main in, or undefined. The file name is the class name. */
export function mainClassOf(file: string, source: string): MainClass | undefined {
    const code = source.replace(COMMENTS, ' ');
    if (!MAIN.test(code) && !MAIN_PUBLIC_FIRST.test(code)) return undefined;
    const pkg = PACKAGE.exec(code)?.[1];
    const simple = path.basename(file, '.java');
    if (simple === 'package-info' || simple === 'module-info') return undefined;
    return { className: pkg ? `${pkg}.${simple}` : simple, file };
}

export async function findMainClasses(folder: string | undefined, deps: ConfigDeps): Promise<MainClass[]> {
    const files = await deps.findJavaFiles(folder);
    // a Java file open outside the workspace (or with no folder open) counts too
    if (deps.activeFile?.endsWith('.java') && !files.includes(deps.activeFile)) files.push(deps.activeFile);
    const found: MainClass[] = [];
    for (const f of files) {
        const m = mainClassOf(f, await deps.readFile(f));
        if (m) found.push(m);
    }
    // the active editor's class first, then by name
    return found.sort((a, b) => {
        const aa = a.file === deps.activeFile ? 0 : 1;
        const bb = b.file === deps.activeFile ? 0 : 1;
        return aa - bb || a.className.localeCompare(b.className);
    });
}

function isMissing(v: unknown): boolean {
    return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/**
 * The configurations a new launch.json starts with: a launch of each main class in the
 * workspace (the first few), and an attach to port 5005.
 */
export async function initialConfigurations(folder: string | undefined, deps: ConfigDeps): Promise<DebugConfig[]> {
    const mains = (await findMainClasses(folder, deps)).slice(0, 5);
    const launches: DebugConfig[] = mains.length
        ? mains.map(m => ({ type: 'hotrestart', request: 'launch', name: `Launch ${m.className.split('.').pop()}`, mainClass: m.className }))
        : [{ type: 'hotrestart', request: 'launch', name: 'Launch with hot restart', mainClass: 'com.acme.App' }];
    return [...launches, {
        type: 'hotrestart', request: 'attach', name: 'Attach to port 5005', hostName: 'localhost', port: 5005,
        sourcePaths: ['${workspaceFolder}/src/main/java'],
    }];
}

/**
 * resolveDebugConfiguration, before variables are substituted: F5 without a launch.json
 * becomes a launch; a missing mainClass is found in the workspace, asking when there are
 * several (not for a 'tests' launch, which runs tests instead of a main). Returns undefined to
 * cancel the launch (the user was told why).
 */
export async function resolveConfiguration(folder: string | undefined, config: DebugConfig, deps: ConfigDeps): Promise<DebugConfig | undefined> {
    let c: DebugConfig = { ...config };
    if (!c.type && !c.request && !c.name) {
        c = { type: 'hotrestart', request: 'launch', name: 'Launch with hot restart', ...c };
    }
    if (c.request !== 'launch' || !isMissing(c.mainClass) || !isMissing(c.tests)) return c;
    const mains = await findMainClasses(folder, deps);
    if (mains.length === 0) {
        deps.showError('hotrestart: no class with "static void main(String[] args)" was found in the workspace. Set "mainClass" in launch.json.');
        return undefined;
    }
    const chosen = mains.length === 1 ? mains[0] : await deps.pickMainClass(mains, folder);
    if (!chosen) return undefined;
    c.mainClass = chosen.className;
    return c;
}

/**
 * resolveDebugConfigurationWithSubstitutedVariables: cwd defaults to the workspace folder. A
 * missing classPaths is left to the adapter, which asks Maven when cwd holds a pom.xml (and
 * caches the answer), so every editor gets the same class path.
 */
export async function resolveCwd(folder: string | undefined, config: DebugConfig): Promise<DebugConfig | undefined> {
    const c: DebugConfig = { ...config };
    if (c.request !== 'launch') return c;
    if (isMissing(c.cwd) && folder) c.cwd = folder;
    return c;
}
