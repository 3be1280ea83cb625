// The whole hot restart story through the real adapter, started as the extension starts it, with
// @vscode/debugadapter-testsupport's DebugClient and a real debuggee JVM:
// launch → stop on the escaped exception → fix the file → restartFrameWithReload → the right answer.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { adapterCommand } from '../src/adapter';
import { CommandDeps, HotSession, reloadOnSave, restartFrameWithReload } from '../src/commands';
import { ConfigDeps, DebugConfig, resolveConfiguration, resolveCwd, runProcess } from '../src/config';
import { CompileDiagnostic } from '../src/feedback';
import { FoundJava, realJavaEnvironment } from '../src/java';
import { AdapterRequests } from '../src/requests';
import { extensionDir, repoRoot } from './support/repo';

const version = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')).version;
const fixture = path.join(repoRoot, 'protocol-tests', 'fixtures', 'hot', 'src', 'main', 'java');
const annotationsJar = path.join(repoRoot, 'annotations', 'target', `hotrestart-annotations-${version}.jar`);
const TIMEOUT = 60_000;

let work: string;
let storage: string;
let java: FoundJava;
let adapter: { command: string; args: string[] };

function copyTree(from: string, to: string): void {
    fs.mkdirSync(to, { recursive: true });
    for (const e of fs.readdirSync(from, { withFileTypes: true })) {
        if (e.isDirectory()) copyTree(path.join(from, e.name), path.join(to, e.name));
        else fs.copyFileSync(path.join(from, e.name), path.join(to, e.name));
    }
}

function javaFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
        e.isDirectory() ? javaFiles(path.join(dir, e.name)) : e.name.endsWith('.java') ? [path.join(dir, e.name)] : []);
}

before(async () => {
    assert.ok(fs.existsSync(annotationsJar), `${annotationsJar} is missing: build the project first (mvn -q install -DskipTests)`);
    const env = realJavaEnvironment(undefined);
    // exactly what the extension's DebugAdapterDescriptorFactory would start
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'hotrestart-e2e-storage-'));
    const c = await adapterCommand({ extensionPath: extensionDir, javaEnvironment: env, storageDir: storage });
    assert.ok(c.args.some(a => a.includes(storage)), 'the session runs with the class-data archive options, as in VS Code');
    java = c.java;
    adapter = c;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotrestart-e2e-'));
    copyTree(fixture, path.join(work, 'src', 'main', 'java'));
    const javac = path.join(java.home, 'bin', process.platform === 'win32' ? 'javac.exe' : 'javac');
    execFileSync(javac, ['-g', '-encoding', 'UTF-8', '-cp', annotationsJar, '-d', path.join(work, 'classes'),
        ...javaFiles(path.join(work, 'src', 'main', 'java'))], { stdio: 'inherit' });
});

after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (storage) fs.rmSync(storage, { recursive: true, force: true });
});

/** DebugClient runs `runtime executable` with one argument: the java launcher's @argfile carries them all. */
async function startClient(): Promise<{ dc: DebugClient; output: () => string }> {
    const argfile = path.join(work, `adapter-${Date.now()}.args`);
    fs.writeFileSync(argfile, adapter.args.map(a => `"${a.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join('\n') + '\n');
    const dc = new DebugClient(adapter.command, `@${argfile}`, 'hotrestart', { cwd: work });
    dc.defaultTimeout = TIMEOUT;
    let out = '';
    dc.on('output', (e: DebugProtocol.OutputEvent) => { out += e.body.output; });
    await dc.start();
    return { dc, output: () => out };
}

/**
 * A session whose requests go as the extension's do: through AdapterRequests, its tracker shown
 * each message from the adapter before DebugClient handles it, as VS Code shows a tracker.
 */
function hotSession(dc: DebugClient, id: string, more: Partial<HotSession> = {}): HotSession {
    const requests = new AdapterRequests();
    const tracker = requests.tracker(id);
    const client = dc as unknown as { dispatch(body: string): void };
    const dispatch = client.dispatch.bind(dc);
    client.dispatch = body => {
        tracker.onDidSendMessage(JSON.parse(body));
        dispatch(body);
    };
    return {
        id, type: 'hotrestart', configuration: { cwd: work }, ...more,
        customRequest: (command, args) => requests.send(id, command, args, async (c, a) => (await dc.customRequest(c, a)).body),
    };
}

/** The launch configuration as the extension's configuration provider resolves it. */
async function resolvedLaunch(): Promise<DebugConfig> {
    const deps: ConfigDeps = {
        findJavaFiles: async () => javaFiles(path.join(work, 'src')),
        readFile: f => fs.promises.readFile(f, 'utf8'),
        fileExists: f => fs.existsSync(f),
        pickMainClass: async candidates => candidates.find(c => c.className === 'shop.Versions'),
        run: runProcess,
        withProgress: (_t, w) => w(new AbortController().signal),
        readText: f => fs.readFileSync(f, 'utf8'),
        tempFile: n => path.join(work, n),
        removeFile: f => fs.rmSync(f, { force: true }),
        mtime: () => 0,
        showError: m => assert.fail(m),
        showWarning: m => assert.fail(m),
        platform: process.platform,
    };
    // no mainClass: the provider finds the fixture's main classes and "asks"; cwd becomes the folder
    const c1 = await resolveConfiguration(work, { type: 'hotrestart', request: 'launch', name: 'e2e', classPaths: [path.join(work, 'classes'), annotationsJar] }, deps);
    const c2 = await resolveCwd(work, c1!);
    assert.equal(c2?.mainClass, 'shop.Versions');
    assert.equal(c2?.cwd, work);
    return c2!;
}

async function launchToEscape(dc: DebugClient): Promise<DebugProtocol.StoppedEvent> {
    const config = await resolvedLaunch();
    const [, , stopped] = await Promise.all([dc.configurationSequence(), dc.launch(config), dc.waitForEvent('stopped')]);
    return stopped as DebugProtocol.StoppedEvent;
}

const VERSIONS = () => path.join(work, 'src', 'main', 'java', 'shop', 'Versions.java');
const UNLOADED = () => path.join(work, 'src', 'main', 'java', 'shop', 'NotLoadedYet.java');

function edit(from: string, to: string): void {
    const text = fs.readFileSync(VERSIONS(), 'utf8');
    assert.ok(text.includes(from), `Versions.java contains ${from}`);
    fs.writeFileSync(VERSIONS(), text.replace(from, to));
}

test('launch, stop on the escaped exception, fix, restartFrameWithReload: the program finishes with the fix', { timeout: TIMEOUT * 2 }, async () => {
    const original = fs.readFileSync(VERSIONS(), 'utf8');
    const { dc, output } = await startClient();
    try {
        const stopped = await launchToEscape(dc);
        assert.equal(stopped.body.reason, 'exception');
        // the description is the thread's badge in the Call Stack view: short; exceptionInfo has the sentence
        assert.equal(stopped.body.description, 'Escaped Versions.answer');
        const info = await dc.customRequest('exceptionInfo', { threadId: stopped.body.threadId });
        assert.match(info.body.description ?? '', /IllegalStateException: not yet: 21 escaped Versions\.answer\(int\)/);
        edit('if (y > 0) {', 'if (y < 0) {');
        const terminated = dc.waitForEvent('terminated');
        const r = await dc.customRequest('restartFrameWithReload', { threadId: stopped.body.threadId, resume: true });
        assert.deepEqual(r.body.reloaded, ['shop.Versions.answer(int)']);
        await terminated;
        assert.match(output(), /answer=21 label=v1 attempts=2/);
    } finally {
        await dc.stop();
        fs.writeFileSync(VERSIONS(), original);
    }
});

test('the extension\'s Restart Frame with Reload, from the call stack menu: a compile error lands in Problems, the fix runs', { timeout: TIMEOUT * 2 }, async () => {
    const original = fs.readFileSync(VERSIONS(), 'utf8');
    const { dc, output } = await startClient();
    try {
        const stopped = await launchToEscape(dc);
        const threadId = stopped.body.threadId!;
        const frames = (await dc.stackTraceRequest({ threadId })).body.stackFrames;
        const index = frames.findIndex(f => f.name.startsWith('⟳'));
        assert.ok(index >= 0, `a restart target among ${frames.map(f => f.name).join(', ')}`);

        const session = hotSession(dc, 'e2e-session');
        const shown = { errors: [] as string[], status: [] as string[], problems: [] as CompileDiagnostic[][] };
        const deps: CommandDeps = {
            // the focus is on main (which cannot be restarted); the menu is opened on the ⟳ frame
            activeStackItem: () => ({ session, threadId, frameId: frames[frames.length - 1].id }),
            activeSession: () => session,
            sessions: () => [session],
            activeJavaFile: () => undefined,
            resumeAfterRestart: () => true,
            ui: { setProblems: p => void shown.problems.push(p), showError: m => void shown.errors.push(m), flashStatus: t => void shown.status.push(t) },
        };
        const menuArgs = [
            `file://${frames[index].source?.path}`,
            { sessionId: session.id, threadId: `thread:${session.id}:${threadId}`, frameId: `stackframe:thread:${session.id}:${threadId}:${index}:Versions.java`, frameName: frames[index].name },
        ];

        edit('int y = x + 1;', 'int y = x + ;');
        const badLine = fs.readFileSync(VERSIONS(), 'utf8').split('\n').findIndex(l => l.includes('int y = x + ;')) + 1;
        await restartFrameWithReload(menuArgs, deps);
        assert.equal(shown.errors.length, 1, 'one notification');
        assert.match(shown.errors[0], /does not compile/);
        const problems = shown.problems.at(-1)!;
        assert.ok(problems.length >= 1, JSON.stringify(problems));
        assert.equal(fs.realpathSync(problems[0].file), fs.realpathSync(VERSIONS()));
        assert.equal(problems[0].line, badLine);

        edit('int y = x + ;', 'int y = x + 1;');
        edit('if (y > 0) {', 'if (y < 0) {');
        const terminated = dc.waitForEvent('terminated');
        await restartFrameWithReload(menuArgs, deps);
        assert.deepEqual(shown.errors.length, 1, shown.errors.join('\n'));
        assert.deepEqual(shown.problems.at(-1), [], 'a successful reload clears the Problems');
        assert.match(shown.status.at(-1)!, /reloaded shop\.Versions\.answer\(int\); running Versions\.answer\(int\) again/);
        await terminated;
        assert.match(output(), /answer=21 label=v1 attempts=2/);
    } finally {
        await dc.stop();
        fs.writeFileSync(VERSIONS(), original);
    }
});

test('reload on save hot-swaps the saved file into the running session', { timeout: TIMEOUT * 2 }, async () => {
    const original = fs.readFileSync(VERSIONS(), 'utf8');
    const { dc, output } = await startClient();
    try {
        const stopped = await launchToEscape(dc);
        const session = hotSession(dc, 'e2e-save', { workspaceFolder: work });
        const shown = { errors: [] as string[], status: [] as string[] };
        const deps: CommandDeps = {
            activeStackItem: () => undefined,
            activeSession: () => session,
            sessions: () => [session],
            activeJavaFile: () => undefined,
            resumeAfterRestart: () => true,
            ui: { setProblems: () => { }, showError: m => void shown.errors.push(m), flashStatus: t => void shown.status.push(t) },
        };
        // a file of another folder is not this session's: nothing is sent
        await reloadOnSave(path.join(os.tmpdir(), 'Elsewhere.java'), 'java', true, deps);
        // a new file of the session's, none of whose classes is loaded: the adapter says so (NOTHING_TO_RELOAD), quietly
        fs.writeFileSync(UNLOADED(), 'package shop;\n\nclass NotLoadedYet {\n}\n');
        await reloadOnSave(UNLOADED(), 'java', true, deps);
        assert.deepEqual(shown.errors, []);
        assert.deepEqual(shown.status, []);
        edit('return "v1";', 'return "v2";');
        await reloadOnSave(VERSIONS(), 'java', true, deps);
        assert.deepEqual(shown.errors, []);
        assert.match(shown.status.at(-1)!, /reloaded .*shop\.Versions\.label\(\)/);
        edit('if (y > 0) {', 'if (y < 0) {');
        const terminated = dc.waitForEvent('terminated');
        await dc.customRequest('restartFrameWithReload', { threadId: stopped.body.threadId, resume: true });
        await terminated;
        assert.match(output(), /answer=21 label=v2 attempts=2/);
    } finally {
        await dc.stop();
        fs.writeFileSync(VERSIONS(), original);
        fs.rmSync(UNLOADED(), { force: true });
    }
});
