import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CommandDeps, HotSession, propagateException, restartFrameWithReload } from '../src/commands';
import { AdapterError, ErrorId } from '../src/errorIds';
import { CompileDiagnostic } from '../src/feedback';
import { callStackPosition, StackItemLike } from '../src/frames';

/** A session whose adapter answers stackTrace from a fixed stack and records every other request. */
function fakeSession(id: string, stacks: { [threadId: number]: { id: number; name: string }[] }, type = 'hotrestart') {
    const sent: { command: string; args: any }[] = [];
    const session: HotSession & { sent: typeof sent } = {
        id,
        type,
        sent,
        configuration: { cwd: '/ws' },
        async customRequest(command: string, args?: any) {
            if (command === 'stackTrace') {
                const frames = stacks[args.threadId] ?? [];
                return { stackFrames: frames.slice(args.startFrame ?? 0, (args.startFrame ?? 0) + (args.levels ?? frames.length)), totalFrames: frames.length };
            }
            sent.push({ command, args });
            if (command === 'restartFrameWithReload') return { reloaded: ['shop.Versions.answer(int)'], restarted: 'Versions.answer(int)' };
            if (command === 'propagateException') return { target: 'Versions.main(String[])' };
            return {};
        },
    };
    return session;
}

const STACK = [
    { id: 1001, name: 'Integer.parseInt(String)' },
    { id: 1002, name: 'Versions.parse(String)' },
    { id: 1003, name: '⟳ Versions.answer(int)' },
    { id: 1004, name: 'Versions.main(String[])' },
];

function deps(session: HotSession, active?: StackItemLike, resume = true) {
    const shown = { errors: [] as string[], status: [] as string[], problems: [] as CompileDiagnostic[][] };
    const d: CommandDeps = {
        activeStackItem: () => active,
        activeSession: () => session,
        sessions: () => [session],
        activeJavaFile: () => undefined,
        resumeAfterRestart: () => resume,
        ui: {
            setProblems: p => void shown.problems.push(p),
            showError: m => void shown.errors.push(m),
            flashStatus: t => void shown.status.push(t),
        },
    };
    return { d, shown };
}

/** What VS Code's call stack view passes to a contributed command for a stack frame. */
function callStackArgs(sessionId: string, threadId: number, index: number, frame: { name: string }) {
    return [
        'file:///ws/src/main/java/shop/Versions.java',
        {
            sessionId,
            threadId: `thread:${sessionId}:${threadId}`,
            frameId: `stackframe:thread:${sessionId}:${threadId}:${index}:Versions.java`,
            frameName: frame.name,
            frameLocation: { range: { startLineNumber: 27 }, source: { path: '/ws/src/main/java/shop/Versions.java' } },
        },
    ];
}

test('the call stack menu restarts the frame that was right-clicked, not the focused one', async () => {
    const s = fakeSession('a1b2-c3', { 7: STACK });
    const focusedTop: StackItemLike = { session: s, threadId: 7, frameId: 1001 };
    const { d, shown } = deps(s, focusedTop);
    await restartFrameWithReload(callStackArgs('a1b2-c3', 7, 2, STACK[2]), d);
    assert.deepEqual(s.sent, [{ command: 'restartFrameWithReload', args: { frameId: 1003, threadId: 7, resume: true } }]);
    assert.deepEqual(shown.errors, []);
    assert.match(shown.status[0], /reloaded shop\.Versions\.answer\(int\); running Versions\.answer\(int\) again/);
});

test('the toolbar or key binding restarts the focused frame (vscode.debug.activeStackItem)', async () => {
    const s = fakeSession('s', { 7: STACK });
    const { d } = deps(s, { session: s, threadId: 7, frameId: 1002 }, false);
    await restartFrameWithReload([], d);
    assert.deepEqual(s.sent, [{ command: 'restartFrameWithReload', args: { frameId: 1002, threadId: 7, resume: false } }]);
});

test('a focused thread without a frame means its restart target: threadId only', async () => {
    const s = fakeSession('s', { 7: STACK });
    const { d } = deps(s, { session: s, threadId: 7 });
    await restartFrameWithReload([], d);
    assert.deepEqual(s.sent, [{ command: 'restartFrameWithReload', args: { threadId: 7, resume: true } }]);
});

test('when the stack changed under the menu (another frame at that index), the focused frame is used', async () => {
    const s = fakeSession('s', { 7: STACK });
    const { d } = deps(s, { session: s, threadId: 7, frameId: 1003 });
    await restartFrameWithReload(callStackArgs('s', 7, 1, { name: 'Versions.somethingElse()' }), d);
    assert.deepEqual(s.sent[0].args, { frameId: 1003, threadId: 7, resume: true });
});

test('nothing focused: the adapter picks the thread stopped on an escaped exception', async () => {
    const s = fakeSession('s', {});
    const { d } = deps(s);
    await restartFrameWithReload([], d);
    assert.deepEqual(s.sent, [{ command: 'restartFrameWithReload', args: { resume: true } }]);
});

test('no hotrestart session: a message, no request', async () => {
    const other = fakeSession('n', {}, 'node');
    const { d, shown } = deps(other, { session: other, threadId: 1, frameId: 5 });
    await restartFrameWithReload([], d);
    assert.deepEqual(other.sent, []);
    assert.match(shown.errors[0], /No hotrestart debug session is stopped/);
});

test('a refused restart shows the adapter\'s message and puts compile errors in the Problems panel', async () => {
    const s = fakeSession('s', { 7: STACK });
    s.customRequest = async () => {
        throw new AdapterError('The edit does not compile; nothing was changed:\n/ws/src/main/java/shop/Versions.java:26:21: illegal start of expression', ErrorId.COMPILE_ERROR);
    };
    const { d, shown } = deps(s, { session: s, threadId: 7, frameId: 1003 });
    await restartFrameWithReload([], d);
    assert.deepEqual(shown.problems.at(-1), [{ file: '/ws/src/main/java/shop/Versions.java', line: 26, column: 21, message: 'illegal start of expression' }]);
    assert.match(shown.errors[0], /Restart Frame with Reload failed\. The edit does not compile; nothing was changed: Versions\.java:26:21: illegal start of expression/);
});

test('Propagate Exception goes to the thread of the menu or the focus', async () => {
    const s = fakeSession('s', { 7: STACK, 9: STACK });
    const { d, shown } = deps(s, { session: s, threadId: 7, frameId: 1001 });
    await propagateException(callStackArgs('s', 9, 0, STACK[0]), d);
    await propagateException([], d);
    assert.deepEqual(s.sent.map(x => x.args), [{ threadId: 9 }, { threadId: 7 }]);
    assert.match(shown.status[0], /now stops in Versions\.main\(String\[\]\)/);
});

test('a refused propagation shows the adapter\'s message', async () => {
    const s = fakeSession('s', { 7: STACK });
    s.customRequest = async () => {
        throw new AdapterError('Thread 7 is not stopped on an escaped exception.', ErrorId.NOT_STOPPED_THERE);
    };
    const { d, shown } = deps(s, { session: s, threadId: 7, frameId: 1001 });
    await propagateException([], d);
    assert.deepEqual(shown.errors, ['hotrestart: Propagate Exception failed: Thread 7 is not stopped on an escaped exception.']);
});

test('VS Code\'s call stack ids are read back to session, thread and index', () => {
    assert.deepEqual(callStackPosition(callStackArgs('x-1', 12, 3, { name: 'n' })), { sessionId: 'x-1', threadId: 12, index: 3, frameName: 'n' });
    assert.deepEqual(callStackPosition([{ sessionId: 'x', threadId: 'thread:x:4' }]), { sessionId: 'x', threadId: 4 });
    assert.equal(callStackPosition(['file:///a.java', 3, undefined]), undefined);
});
