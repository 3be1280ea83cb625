// activate() against a stub `vscode` module: what package.json promises is what the code registers.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Module = require('module');
import { serverSchema } from './support/repo';

const extensionDir = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
const contributes = manifest.contributes;
let stub: typeof import('./support/vscode-stub');
const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'hotrestart-storage-'));
after(() => fs.rmSync(storage, { recursive: true, force: true }));

before(() => {
    const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
    (Module as unknown as { _load: unknown })._load = (request: string, ...rest: unknown[]) =>
        request === 'vscode' ? load(path.join(__dirname, 'support', 'vscode-stub'), ...rest) : load(request, ...rest);
    stub = require('./support/vscode-stub');
    const extension = require('../src/extension');
    extension.activate({ extensionPath: extensionDir, subscriptions: [], globalStorageUri: { fsPath: storage } });
});

test('every contributed command is registered, and every registered command is contributed', () => {
    const contributed = contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual([...stub.registered.commands.keys()].sort(), contributed);
    assert.deepEqual(contributed, ['hotrestart.propagateException', 'hotrestart.reloadClass', 'hotrestart.restartFrameWithReload']);
});

test('each command has a title, an icon and a when clause wherever it appears', () => {
    for (const c of contributes.commands) {
        assert.ok(c.title && c.icon, JSON.stringify(c));
    }
    const ids = new Set(contributes.commands.map((c: { command: string }) => c.command));
    for (const [menu, items] of Object.entries(contributes.menus) as [string, { command: string; when?: string }[]][]) {
        for (const item of items) {
            assert.ok(ids.has(item.command), `${menu}: ${item.command} is not a contributed command`);
            assert.ok(item.when && item.when.includes("debugType == 'hotrestart'"), `${menu}: ${item.command} needs a when clause`);
        }
    }
    const menu = (name: string, command: string) => contributes.menus[name].find((m: { command: string }) => m.command === command);
    assert.match(menu('debug/callstack/context', 'hotrestart.restartFrameWithReload').when, /callStackItemType == 'stackFrame'/);
    assert.match(menu('debug/toolBar', 'hotrestart.restartFrameWithReload').when, /debugState == 'stopped'/);
    const key = contributes.keybindings.find((k: { command: string }) => k.command === 'hotrestart.restartFrameWithReload');
    assert.ok(key.key && key.when, JSON.stringify(key));
    assert.ok(menu('commandPalette', 'hotrestart.reloadClass') && menu('commandPalette', 'hotrestart.propagateException'));
});

test('the debugger is registered for Java with snippets to launch, launch with wrap, and attach', () => {
    const dbg = contributes.debuggers.find((d: { type: string }) => d.type === 'hotrestart');
    assert.deepEqual(dbg.languages, ['java']);
    const bodies = dbg.configurationSnippets.map((s: { body: { [k: string]: unknown } }) => s.body);
    assert.ok(bodies.some((b: { [k: string]: unknown }) => b.request === 'launch' && b.mainClass && !b.wrap));
    assert.ok(bodies.some((b: { [k: string]: unknown }) => b.request === 'launch' && b.mainClass && Array.isArray(b.wrap)));
    assert.ok(bodies.some((b: { [k: string]: unknown }) => b.request === 'attach' && b.port));
    assert.ok(dbg.initialConfigurations.length >= 1);
    for (const c of [...bodies, ...dbg.initialConfigurations]) {
        const accepted = Object.keys(serverSchema()[c.request as 'launch' | 'attach'].properties);
        for (const key of Object.keys(c)) {
            if (!['type', 'request', 'name'].includes(key)) assert.ok(accepted.includes(key), `${c.name}: ${key} is not a ${c.request} attribute`);
        }
    }
    assert.deepEqual(contributes.breakpoints, [{ language: 'java' }], 'breakpoints can be set in Java files without another Java extension');
    assert.ok(manifest.activationEvents.includes('onDebugResolve:hotrestart'));
    assert.ok(stub.registered.configurationProviders.has('hotrestart'));
    const settings = contributes.configuration.properties;
    assert.equal(settings['hotrestart.java.home'].type, 'string');
    assert.equal(settings['hotrestart.reloadOnSave'].default, false);
});

test('the adapter descriptor starts the jar inside the extension with a JDK 17+', async () => {
    const factory = stub.registered.descriptorFactories.get('hotrestart')!;
    const e = await factory.createDebugAdapterDescriptor({ workspaceFolder: { uri: { fsPath: '/ws' } } }) as InstanceType<typeof stub.DebugAdapterExecutable>;
    assert.ok(e instanceof stub.DebugAdapterExecutable);
    assert.match(path.basename(e.command), /^java(\.exe)?$/);
    const jar = path.join(extensionDir, 'server', 'hotrestart-server.jar');
    assert.deepEqual(e.args.slice(-2), ['-jar', jar]);
    assert.ok(fs.existsSync(jar), 'npm run compile copies the server jar into the extension');
    // the class-data archive lives in the extension's global storage; JVM log lines never reach stdout
    assert.ok(e.args.includes('-Xlog:all=warning,cds=error:stderr'), e.args.join(' '));
    assert.ok(e.args.some(a => a.startsWith('-XX:') && a.includes(path.join(storage, 'server-')) && a.endsWith('.jsa')), e.args.join(' '));
    assert.deepEqual(e.options, { cwd: '/ws' });
});

test('the call stack command reaches the session of vscode.debug.activeStackItem with its frame id', async () => {
    const sent: unknown[] = [];
    const session = {
        id: 's1', type: 'hotrestart', configuration: {},
        customRequest: async (command: string, args: unknown) => {
            sent.push({ command, args });
            return { reloaded: ['a.B.c()'], restarted: 'B.c()' };
        },
    };
    stub.debug.activeStackItem = { session, threadId: 3, frameId: 41 };
    await stub.registered.commands.get('hotrestart.restartFrameWithReload')!();
    assert.deepEqual(sent, [{ command: 'restartFrameWithReload', args: { frameId: 41, threadId: 3, resume: true } }]);
    assert.match(stub.registered.status.at(-1)!, /reloaded a\.B\.c\(\)/);
});

test('an error id the tracker saw reaches the commands: a save of a file not loaded yet stays quiet, a compile error lands in Problems', async () => {
    const file = '/ws/src/main/java/shop/Versions.java';
    let answer = { id: 1401, message: `No loaded class comes from ${file}: there is nothing to reload yet.` };
    const session = {
        id: 'tracked', type: 'hotrestart', configuration: { cwd: '/ws' }, workspaceFolder: { uri: { fsPath: '/ws' } },
        // as VS Code relays a failed response: the tracker sees all of it, then customRequest rejects with the message alone
        customRequest: async (command: string) => {
            tracker.onDidSendMessage!({ type: 'response', request_seq: 9, command, success: false, message: answer.message,
                body: { error: { id: answer.id, format: answer.message, showUser: false } } });
            throw new Error(answer.message);
        },
    };
    const tracker = stub.registered.trackerFactories.get('hotrestart')!.createDebugAdapterTracker(session);
    for (const start of stub.registered.sessionListeners.start) start(session);
    stub.settings.reloadOnSave = true;
    const errors = stub.registered.errors.length;
    const save = async () => {
        for (const listener of stub.registered.saveListeners) listener({ uri: { scheme: 'file', fsPath: file }, languageId: 'java' });
        for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r));
    };
    try {
        await save();
        assert.deepEqual(stub.registered.errors.slice(errors), []);

        answer = { id: 1400, message: `The edit does not compile; nothing was changed:\n${file}:14:29: ';' expected` };
        await save();
        assert.equal(stub.registered.errors.length, errors + 1);
        assert.match(stub.registered.errors.at(-1)!, /Versions\.java:14:29: ';' expected/);
        assert.deepEqual((stub.registered.diagnostics.get(file) as { message: string }[]).map(d => d.message), ["';' expected"]);
    } finally {
        delete stub.settings.reloadOnSave;
        for (const end of stub.registered.sessionListeners.terminate) end(session);
    }
});

test('the adapter\'s reloadDiagnostics event fills the Problems panel whatever started the reload, and an empty one clears it', () => {
    const file = '/ws/src/main/java/shop/Versions.java';
    const send = (body: unknown, type = 'hotrestart') => {
        for (const l of stub.registered.customEventListeners) l({ session: { type }, event: 'reloadDiagnostics', body });
    };
    send({ diagnostics: [{ path: file, line: 14, column: 29, message: 'cannot find symbol\n  symbol:   variable totl' }], errorId: 1400 });
    const shown = stub.registered.diagnostics.get(file) as { message: string; range: { startLine: number } }[];
    assert.deepEqual(shown.map(d => [d.range.startLine, d.message]), [[13, 'cannot find symbol\n  symbol:   variable totl']]);
    send({ diagnostics: [{ path: '/elsewhere/X.java', line: 1, column: 1, message: 'x' }] }, 'java');
    assert.ok(stub.registered.diagnostics.has(file), 'another debugger\'s events are not ours');
    send({ diagnostics: [] });
    assert.equal(stub.registered.diagnostics.size, 0);
});
