import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CommandDeps, HotSession, isFileOfSession, reloadClass, reloadOnSave } from '../src/commands';
import { AdapterError, ErrorId } from '../src/errorIds';
import { CompileDiagnostic, diagnosticsOfEvent, parseDiagnostics, reportFailure } from '../src/feedback';

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

/** A session whose requests succeed, or fail as the adapter's error responses do (message and id). */
function session(id: string, configuration: { [k: string]: unknown }, fail?: { message: string; id?: number }) {
    const sent: any[] = [];
    const s: HotSession & { sent: any[] } = {
        id, type: 'hotrestart', configuration, workspaceFolder: '/ws', sent,
        async customRequest(command: string, args?: any) {
            sent.push({ command, args });
            if (fail) throw new AdapterError(fail.message, fail.id);
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

test('saving a file whose classes are not loaded yet, or that is not under sourcePaths, is not worth a notification', async () => {
    for (const fail of [
        { message: `No loaded class comes from ${FILE}: there is nothing to reload yet.`, id: ErrorId.NOTHING_TO_RELOAD },
        { message: 'The source of shop.Versions (shop/Versions.java) is not under \'sourcePaths\' [/ws/src].', id: ErrorId.SOURCE_NOT_FOUND },
        // the id decides, not the words
        { message: 'Reworded: not loaded.', id: ErrorId.NOTHING_TO_RELOAD },
    ]) {
        const s = session('a', { cwd: '/ws' }, fail);
        const { d, shown } = deps([s]);
        await reloadOnSave(FILE, 'java', true, d);
        assert.equal(s.sent.length, 1);
        assert.deepEqual(shown.errors, [], fail.message);
        assert.deepEqual(shown.problems, [], 'the Problems panel is left as it was');
    }
});

test('on save, other failures are shown, whatever their words; Reload Class shows every failure', async () => {
    for (const fail of [
        { message: 'Cannot hot-swap this edit: there is nothing to reload yet, says the message.', id: ErrorId.SWAP_REFUSED },
        { message: 'No loaded class comes from it: there is nothing to reload yet.', id: undefined },
    ]) {
        const s = session('a', { cwd: '/ws' }, fail);
        const { d, shown } = deps([s]);
        await reloadOnSave(FILE, 'java', true, d);
        assert.deepEqual(shown.errors, [`hotrestart: Reloading Versions.java failed: ${fail.message}`]);
    }
    const s = session('a', { cwd: '/ws' }, { message: `No loaded class comes from ${FILE}: there is nothing to reload yet.`, id: ErrorId.NOTHING_TO_RELOAD });
    const { d, shown } = deps([s]);
    await reloadClass([FILE], d);
    assert.match(shown.errors[0], /Reloading Versions\.java failed: No loaded class comes from/);
});

test('a save that does not compile lands in the Problems panel at the right line', async () => {
    const s = session('a', { cwd: '/ws' }, { message: `The edit does not compile; nothing was changed:\n${FILE}:14:29: ';' expected`, id: ErrorId.COMPILE_ERROR });
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

test('only a compile error\'s message is read for diagnostics; other failures clear the Problems panel', () => {
    const shown = { errors: [] as string[], problems: [] as CompileDiagnostic[][] };
    const ui = { setProblems: (p: CompileDiagnostic[]) => void shown.problems.push(p), showError: (m: string) => void shown.errors.push(m), flashStatus: () => { } };
    const lines = `\n${FILE}:14:29: ';' expected`;
    assert.equal(reportFailure('Reloading Versions.java', new AdapterError(`The edit does not compile; nothing was changed:${lines}`, ErrorId.COMPILE_ERROR), ui, '/ws').length, 1);
    assert.equal(shown.problems.at(-1)!.length, 1);
    // a message with lines that look like diagnostics, under another id (or none): shown whole, no Problems
    for (const e of [new AdapterError(`The JVM refused the swap:${lines}`, ErrorId.SWAP_REFUSED), new Error(`Something else:${lines}`)]) {
        assert.deepEqual(reportFailure('Reloading Versions.java', e, ui, '/ws'), []);
        assert.deepEqual(shown.problems.at(-1), []);
        assert.equal(shown.errors.at(-1), `hotrestart: Reloading Versions.java failed: ${e.message}`);
    }
});

test('javac\'s symbol: and location: lines stay with their diagnostic', () => {
    const message = 'The edit does not compile; nothing was changed:\n/ws/A.java:3:9: cannot find symbol\n    symbol:   method nosuch(int)\n    location: class A\n/ws/A.java:5:1: \';\' expected';
    assert.deepEqual(parseDiagnostics(message).map(d => d.message), ['cannot find symbol\nsymbol:   method nosuch(int)\nlocation: class A', "';' expected"]);
});

test('a reloadDiagnostics event\'s body becomes diagnostics; a line of 0 is the first line; anything else is no such event', () => {
    assert.deepEqual(diagnosticsOfEvent({ diagnostics: [{ path: '/ws/A.java', line: 0, column: 0, message: 'm' }] }),
        [{ file: '/ws/A.java', line: 1, column: undefined, message: 'm' }]);
    assert.deepEqual(diagnosticsOfEvent({ diagnostics: [] }), []);
    assert.equal(diagnosticsOfEvent({ other: 1 }), undefined);
    assert.equal(diagnosticsOfEvent(undefined), undefined);
});

test('a reloadDiagnostics event of a failure other than a compile error leaves the Problems panel as it is', () => {
    assert.equal(diagnosticsOfEvent({ diagnostics: [], errorId: 1401, message: 'nothing to reload yet' }), undefined);
    assert.deepEqual(diagnosticsOfEvent({ diagnostics: [], errorId: 1400 }), []);
});
