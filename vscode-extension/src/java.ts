import * as cp from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The adapter needs JDI (jdk.jdi) and javac (jdk.compiler), so a JDK 17 or newer. */
export const MIN_JAVA = 17;
export const REQUIRED_MODULES = ['jdk.jdi', 'jdk.compiler'];

function missingModules(major: number, present: (module: string) => boolean): Verdict {
    const missing = REQUIRED_MODULES.filter(m => !present(m));
    if (missing.length === 0) return { version: major };
    return { version: major, problem: `Java ${major} without the ${missing.join(' and ')} module${missing.length > 1 ? 's' : ''} (a JRE or a trimmed runtime, not a full JDK)` };
}

export type JavaSource = 'hotrestart.java.home' | 'JAVA_HOME' | 'PATH';

export interface FoundJava {
    /** The java executable that runs the adapter. */
    java: string;
    /** The JDK folder (holds bin/ and lib/). */
    home: string;
    version: number;
    source: JavaSource;
    /** Candidates tried before this one and why they were passed over. */
    skipped: string[];
}

/** What Java discovery reads from the outside world; tests replace parts of it. */
export interface JavaEnvironment {
    /** The `hotrestart.java.home` setting, empty when unset. */
    settingHome?: string;
    env: NodeJS.ProcessEnv;
    platform: NodeJS.Platform;
    exists(p: string): boolean;
    readText(p: string): string | undefined;
    realpath(p: string): string;
    /** Runs a program and returns its exit code and output (java -version writes to stderr). */
    run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

export class JavaNotFoundError extends Error {}

export function realJavaEnvironment(settingHome: string | undefined, env: NodeJS.ProcessEnv = process.env): JavaEnvironment {
    return {
        settingHome,
        env,
        platform: process.platform,
        exists: p => fs.existsSync(p),
        readText: p => {
            try {
                return fs.readFileSync(p, 'utf8');
            } catch {
                return undefined;
            }
        },
        realpath: p => fs.realpathSync(p),
        run: (command, args) => new Promise(resolve => {
            cp.execFile(command, args, { timeout: 15000, windowsHide: true }, (err, stdout, stderr) => {
                // execFile's error carries the exit code as a number, or a string such as ENOENT
                const code = !err ? 0 : typeof err.code === 'number' ? err.code : null;
                resolve({ code, stdout: String(stdout ?? ''), stderr: String(stderr ?? '') });
            });
        }),
    };
}

interface Verdict {
    version?: number;
    problem?: string;
}

/** "17.0.15" → 17, "1.8.0_392" → 8, "21" → 21, "25-ea" → 25. */
export function majorVersion(text: string): number | undefined {
    const m = /^(\d+)(?:\.(\d+))?/.exec(text.trim());
    if (!m) return undefined;
    const first = Number(m[1]);
    return first === 1 && m[2] !== undefined ? Number(m[2]) : first;
}

/**
 * Judges a JDK by its `release` file, which every JDK 9+ image has: JAVA_VERSION and the
 * MODULES it was linked with. Reading one small file is much faster than starting a JVM.
 */
function judgeByReleaseFile(home: string, jenv: JavaEnvironment): Verdict | undefined {
    const text = jenv.readText(path.join(home, 'release'));
    if (text === undefined) return undefined;
    const version = /^JAVA_VERSION="?([^"\r\n]+)"?/m.exec(text);
    const modules = /^MODULES="?([^"\r\n]*)"?/m.exec(text);
    if (!version || !modules) return undefined;
    const major = majorVersion(version[1]);
    if (major === undefined) return undefined;
    if (major < MIN_JAVA) return { version: major, problem: `Java ${major}, older than ${MIN_JAVA}` };
    const linked = new Set(modules[1].split(/\s+/));
    return missingModules(major, m => linked.has(m));
}

/** The slow way, for JDKs without a usable release file: ask the JVM itself. */
async function judgeByRunning(java: string, jenv: JavaEnvironment): Promise<Verdict> {
    const v = await jenv.run(java, ['-version']);
    const text = v.stderr + v.stdout;
    const m = /version "([^"]+)"/.exec(text);
    if (v.code !== 0 || !m) return { problem: `could not run ${java} -version${text.trim() ? ': ' + text.trim().split('\n')[0] : ''}` };
    const major = majorVersion(m[1]);
    if (major === undefined) return { problem: `unrecognised version "${m[1]}"` };
    if (major < MIN_JAVA) return { version: major, problem: `Java ${major}, older than ${MIN_JAVA}` };
    const mods = await jenv.run(java, ['--list-modules']);
    const listed = new Set(mods.stdout.split(/\r?\n/).map(line => line.split('@')[0].trim()));
    return missingModules(major, m => listed.has(m));
}

function javaExe(home: string, platform: NodeJS.Platform): string {
    return path.join(home, 'bin', platform === 'win32' ? 'java.exe' : 'java');
}

/** The `java` the shell would run, followed through symlinks (/usr/bin/java → /usr/lib/jvm/…). */
function javaOnPath(jenv: JavaEnvironment): string | undefined {
    const pathVar = jenv.env.PATH ?? jenv.env.Path ?? '';
    const delimiter = jenv.platform === 'win32' ? ';' : ':';
    const name = jenv.platform === 'win32' ? 'java.exe' : 'java';
    for (const dir of pathVar.split(delimiter)) {
        if (!dir) continue;
        const candidate = path.join(dir, name);
        if (jenv.exists(candidate)) {
            try {
                return jenv.realpath(candidate);
            } catch {
                return candidate;
            }
        }
    }
    return undefined;
}

async function judgeHome(home: string, jenv: JavaEnvironment): Promise<Verdict & { java: string }> {
    const java = javaExe(home, jenv.platform);
    if (!jenv.exists(java)) return { java, problem: `${java} does not exist (set the folder that holds bin/java)` };
    return { java, ...(judgeByReleaseFile(home, jenv) ?? await judgeByRunning(java, jenv)) };
}

/**
 * Finds the Java that runs the adapter: the `hotrestart.java.home` setting, then JAVA_HOME,
 * then `java` on the PATH; the first JDK 17+ with jdk.jdi and jdk.compiler wins. Throws a JavaNotFoundError whose
 * message says what was tried and how to fix it.
 */
export async function findJava(jenv: JavaEnvironment): Promise<FoundJava> {
    const tried: string[] = [];
    const setting = jenv.settingHome?.trim();
    if (setting) {
        const v = await judgeHome(setting, jenv);
        if (!v.problem) return { java: v.java, home: setting, version: v.version!, source: 'hotrestart.java.home', skipped: tried };
        tried.push(`hotrestart.java.home (${setting}): ${v.problem}`);
    } else {
        tried.push('hotrestart.java.home: not set');
    }
    const javaHome = jenv.env.JAVA_HOME?.trim();
    if (javaHome) {
        const v = await judgeHome(javaHome, jenv);
        if (!v.problem) return { java: v.java, home: javaHome, version: v.version!, source: 'JAVA_HOME', skipped: tried };
        tried.push(`JAVA_HOME (${javaHome}): ${v.problem}`);
    } else {
        tried.push('JAVA_HOME: not set');
    }
    const onPath = javaOnPath(jenv);
    if (onPath) {
        const home = path.dirname(path.dirname(onPath));
        const v = judgeByReleaseFile(home, jenv) ?? await judgeByRunning(onPath, jenv);
        if (!v.problem) return { java: onPath, home, version: v.version!, source: 'PATH', skipped: tried };
        tried.push(`java on the PATH (${onPath}): ${v.problem}`);
    } else {
        tried.push('java on the PATH: none found');
    }
    throw new JavaNotFoundError(
        `hotrestart needs a JDK ${MIN_JAVA} or newer with the jdk.jdi and jdk.compiler modules to run its debug adapter, and found none. `
        + `Tried: ${tried.join('; ')}. `
        + `To fix it, install a JDK ${MIN_JAVA}+ (a JRE is not enough), for example Eclipse Temurin ${MIN_JAVA} or `
        + `"sudo apt install openjdk-${MIN_JAVA}-jdk-headless", then set "hotrestart.java.home" in your settings to its `
        + `folder (the one that holds bin/java), or set JAVA_HOME to it.`);
}
