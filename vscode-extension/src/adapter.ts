import * as fs from 'fs';
import * as path from 'path';
import { findJava, FoundJava, JavaEnvironment } from './java';

/** Where packaging puts the server jar inside the extension. */
export function serverJarPath(extensionPath: string): string {
    return path.join(extensionPath, 'server', 'hotrestart-server.jar');
}

/** How to start the adapter: what VS Code's DebugAdapterExecutable is made of. */
export interface AdapterCommand {
    command: string;
    args: string[];
    /** The session's workspace folder: relative paths of an attach configuration resolve against it. */
    cwd?: string;
    java: FoundJava;
}

export interface AdapterDeps {
    extensionPath: string;
    javaEnvironment: JavaEnvironment;
    jarExists?: (jar: string) => boolean;
    /**
     * A folder of the extension's own (VS Code's globalStorage) where the adapter's class-data
     * archive is kept; without one the adapter starts without it.
     */
    storageDir?: string;
    /** The jar's size and modification time, and whether a file exists; tests replace them. */
    stat?: (file: string) => { size: number; mtimeMs: number } | undefined;
    removeOld?: (dir: string, keep: string) => void;
    /** The `hotrestart.hoverCalls` setting: hovers may call methods (the adapter's --hover-calls). */
    hoverCalls?: boolean;
}

/**
 * JVM options that give the adapter a class-data archive of its own classes (AppCDS): made by
 * the first session on this jar and this Java, used by every later one; about a third off the
 * time from launch to the first stop. Java 19 and newer make and check it themselves; Java 17
 * and 18 write it when the first session ends. JVM log lines go to stderr: stdout is the DAP
 * channel. Empty when there is no storage folder.
 */
export function archiveArgs(java: FoundJava, jar: string, deps: AdapterDeps): string[] {
    const stat = deps.stat ?? statFile;
    const jarStat = stat(jar);
    if (!deps.storageDir || !jarStat) return [];
    const key = `${Math.floor(jarStat.mtimeMs / 1000)}-${jarStat.size}-${hash(`${java.home} ${java.version}`)}`;
    const archive = path.join(deps.storageDir, `server-${key}.jsa`);
    const args = ['-Xlog:disable', '-Xlog:all=warning,cds=error:stderr']; // the archive's first run skips classes with a warning each: not worth the user's eye
    if (java.version >= 19) return [...args, '-XX:+AutoCreateSharedArchive', `-XX:SharedArchiveFile=${archive}`];
    if ((stat(archive)?.size ?? 0) > 0) return [...args, `-XX:SharedArchiveFile=${archive}`];
    (deps.removeOld ?? removeOldArchives)(deps.storageDir, archive);
    return [...args, `-XX:ArchiveClassesAtExit=${archive}`];
}

function statFile(file: string): { size: number; mtimeMs: number } | undefined {
    try {
        const s = fs.statSync(file);
        return { size: s.size, mtimeMs: s.mtimeMs };
    } catch {
        return undefined;
    }
}

/** Archives of older jars or other Javas: each is ~12 MB. */
function removeOldArchives(dir: string, keep: string): void {
    try {
        fs.mkdirSync(dir, { recursive: true });
        for (const f of fs.readdirSync(dir)) {
            const p = path.join(dir, f);
            if (/^server-.*\.jsa$/.test(f) && p !== keep) fs.rmSync(p, { force: true });
        }
    } catch {
        // a folder we cannot tidy: the archive is still written
    }
}

function hash(text: string): string {
    let h = 0;
    for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
    return h.toString(16);
}

/**
 * The adapter's work comes in short bursts (a reload compiles one file): C1 alone serves it
 * better than C2 compiling in the background on the same cores (about 4 ms off a warm reload),
 * and the serial collector with a 32 MB young generation better than G1, which grew the heap into
 * untouched pages and paused 30-60 ms on two cores (a reload in a 10,000-line file: 24-28 ms
 * against 40-45).
 */
export const JVM_ARGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmn32m'];

/**
 * The command line that starts the server jar shipped inside the extension, on the Java that
 * discovery finds. Throws an Error whose message tells the user what to do.
 */
export async function adapterCommand(deps: AdapterDeps, workspaceFolder?: string): Promise<AdapterCommand> {
    const jar = serverJarPath(deps.extensionPath);
    const jarExists = deps.jarExists ?? (p => fs.existsSync(p));
    if (!jarExists(jar)) {
        throw new Error(`The hotrestart server is missing from the extension (${jar}). Reinstall the extension; `
            + `in a development checkout, build the server (mvn -q install -DskipTests) and run "npm run compile" in vscode-extension/.`);
    }
    const java = await findJava(deps.javaEnvironment);
    const options = deps.hoverCalls ? ['--hover-calls'] : [];
    return { command: java.java, args: [...JVM_ARGS, ...archiveArgs(java, jar, deps), '-jar', jar, ...options], cwd: workspaceFolder, java };
}

/**
 * The DebugAdapterDescriptorFactory, with VS Code's DebugAdapterExecutable constructor passed in
 * so that this module runs (and is tested) without VS Code.
 */
export function descriptorFactory<E>(
    deps: () => AdapterDeps,
    makeExecutable: (command: string, args: string[], options: { cwd?: string }) => E,
    onSkipped: (skipped: string[], used: FoundJava) => void = () => { },
) {
    return {
        async createDebugAdapterDescriptor(session: { workspaceFolder?: { uri: { fsPath: string } } }): Promise<E> {
            const c = await adapterCommand(deps(), session.workspaceFolder?.uri.fsPath);
            if (c.java.source !== 'hotrestart.java.home' && c.java.skipped.some(s => s.startsWith('hotrestart.java.home ('))) {
                onSkipped(c.java.skipped, c.java);
            }
            return makeExecutable(c.command, c.args, c.cwd ? { cwd: c.cwd } : {});
        },
    };
}
