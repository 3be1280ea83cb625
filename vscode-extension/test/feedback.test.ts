import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CommandDeps, HotSession, isFileOfSession, reloadClass, reloadOnSave } from '../src/commands';
import { CompileDiagnostic, parseDiagnostics } from '../src/feedback';

test('compile errors are read from the lines after the first, with or without a column', () => {
    const message = 'The edit does not compile; nothing was changed:\n'
        + '/ws/src/main/java/shop/Versions.java:26:21: illegal start of expression\n'
        + '/ws/src/main/java/shop/Versions.java:30: error text: with a colon\n'
        + 'src/main/java/shop/Other.java:3:1: class, interface, enum, or record expected';
    assert.deepEqual(parseDiagnostics(message, '/ws'), [
        { file: '/ws/src/main/java/shop/Versions.java', line: 26, column: 21, message: 'illegal start of expression' },
        { file: '/ws/src/main/java/shop/Versions.java', line: 30, column: undefined, message: 'error text: with a colon' },
        { file: '/ws/src/main/java/shop/Other.java', line: 3, column: 1, message: 'class, interface, enum, or record expected' },
    ]);
    assert.deepEqual(parseDiagnostics('Cannot hot-swap this edit: a field \'more\' was added to shop.Versions. A restart does.'), []);
});

function session(id: string, configuration: { [k: string]: unknown }, fail?: string) {
    const sent: any[] = [];
    const s: HotSession & { sent: any[] } = {
        id, type: 'hotrestart', configuration, workspaceFolder: '/ws', sent,
        async customRequest(command: string, args?: any) {
            sent.push({ command, args });
            if (fail) throw new Error(fail);
            return { reloaded: ['shop.Versions.label()'] };
        },
    };
    return s;
}

function deps(sessions: HotSession[], activeJavaFile?: string) {
    const shown = { errors: [] as string[], status: [] as string[], problems: [] as CompileDiagnostic[][] };
    const d: CommandDeps = {
        activeStackItem: () => undefined,
        activeSession: () => sessions[0],
        sessions: () => sessions,
        activeJavaFile: () => activeJavaFile,
        resumeAfterRestart: () => true,
        ui: {
            setProblems: p => void shown.problems.push(p),
            showError: m => void shown.errors.push(m),
            flashStatus: t => void shown.status.push(t),
        },
    };
    return { d, shown };
}

const FILE = '/ws/src/main/java/shop/Versions.java';

test('a file belongs to a session by its sourcePaths, else by its cwd or workspace folder', () => {
    assert.ok(isFileOfSession(FILE, session('a', { cwd: '/ws', sourcePaths: ['src/main/java'] })));
    assert.ok(!isFileOfSession('/ws/src/test/java/shop/T.java', session('a', { cwd: '/ws', sourcePaths: ['src/main/java'] })));
    assert.ok(isFileOfSession(FILE, session('a', {})));
    assert.ok(!isFileOfSession('/elsewhere/A.java', session('a', { cwd: '/ws' })));
});

test('reload on save is off by default and only for Java files', async () => {
    const s = session('a', { cwd: '/ws' });
    const { d } = deps([s]);
    await reloadOnSave(FILE, 'java', false, d);
    await reloadOnSave('/ws/pom.xml', 'xml', true, d);
    assert.deepEqual(s.sent, []);
});

test('reload on save sends reloadClass for the saved file to its session, and the status bar says what was reloaded', async () => {
    const mine = session('a', { cwd: '/ws' });
    const other = session('b', { cwd: '/other' });
    const { d, shown } = deps([mine, other]);
    await reloadOnSave(FILE, 'java', true, d);
    assert.deepEqual(mine.sent, [{ command: 'reloadClass', args: { source: { path: FILE } } }]);
    assert.deepEqual(other.sent, []);
    assert.match(shown.status[0], /reloaded shop\.Versions\.label\(\)/);
    assert.deepEqual(shown.problems, [[]]);
});

test('saving a file whose classes are not loaded yet is not an error worth a notification', async () => {
    const s = session('a', { cwd: '/ws' }, `No loaded class comes from ${FILE}: there is nothing to reload yet.`);
    const { d, shown } = deps([s]);
    await reloadOnSave(FILE, 'java', true, d);
    assert.equal(s.sent.length, 1);
    assert.deepEqual(shown.errors, []);
});

test('a save that does not compile lands in the Problems panel at the right line', async () => {
    const s = session('a', { cwd: '/ws' }, `The edit does not compile; nothing was changed:\n${FILE}:14:29: ';' expected`);
    const { d, shown } = deps([s]);
    await reloadOnSave(FILE, 'java', true, d);
    assert.deepEqual(shown.problems.at(-1), [{ file: FILE, line: 14, column: 29, message: "';' expected" }]);
    assert.match(shown.errors[0], /Reloading Versions\.java failed\..*Versions\.java:14:29: ';' expected/);
});

test('Reload Class takes the file from the editor title menu, else the active editor', async () => {
    const s = session('a', { cwd: '/ws' });
    const { d } = deps([s], '/ws/src/main/java/shop/Active.java');
    await reloadClass([{ fsPath: FILE, scheme: 'file' }], d);
    await reloadClass([], d);
    assert.deepEqual(s.sent.map(x => x.args.source.path), [FILE, '/ws/src/main/java/shop/Active.java']);
    const none = deps([s]);
    await reloadClass([], none.d);
    assert.match(none.shown.errors[0], /open the Java file to reload/);
});
