// How a failed response's error id reaches the command that sent the request: VS Code's
// customRequest rejects with the message only, after the tracker has seen the whole response.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { AdapterError, ErrorId, errorIdOf } from '../src/errorIds';
import { AdapterRequests, ResponseTracker } from '../src/requests';

/**
 * An adapter as VS Code relays it: each answer goes to the tracker first, then customRequest
 * settles, and a failure rejects with an Error holding the message alone. Requests are answered
 * when the test says, in any order.
 */
function fakeVsCode(tracker: ResponseTracker) {
    let seq = 0;
    const pending: { seq: number; command: string; args: unknown; resolve(v: unknown): void; reject(e: unknown): void }[] = [];
    const send = (command: string, args?: unknown) => new Promise<unknown>((resolve, reject) => pending.push({ seq: ++seq, command, args, resolve, reject }));
    const take = (seqOrCommand: number | string) => {
        const i = pending.findIndex(p => p.seq === seqOrCommand || p.command === seqOrCommand);
        assert.ok(i >= 0, `a request ${seqOrCommand} is pending`);
        return pending.splice(i, 1)[0];
    };
    return {
        send,
        pending,
        fail(which: number | string, message: string, id?: number) {
            const p = take(which);
            tracker.onDidSendMessage({ type: 'response', request_seq: p.seq, command: p.command, success: false, message,
                ...(id === undefined ? {} : { body: { error: { id, format: message, showUser: false } } }) });
            p.reject(new Error(message));
        },
        succeed(which: number | string, body: unknown) {
            const p = take(which);
            tracker.onDidSendMessage({ type: 'response', request_seq: p.seq, command: p.command, success: true, body });
            p.resolve(body);
        },
    };
}

const tick = () => new Promise(r => setImmediate(r));

test('a failed request rejects with its message and the id of its error response', async () => {
    const requests = new AdapterRequests();
    const vs = fakeVsCode(requests.tracker('s'));
    const r = requests.send('s', 'reloadClass', { source: { path: '/ws/A.java' } }, vs.send);
    await tick();
    assert.deepEqual(vs.pending.map(p => [p.command, p.args]), [['reloadClass', { source: { path: '/ws/A.java' } }]]);
    vs.fail('reloadClass', 'No loaded class comes from /ws/A.java: there is nothing to reload yet.', ErrorId.NOTHING_TO_RELOAD);
    const e = await r.then(() => assert.fail('rejected'), (x: unknown) => x);
    assert.ok(e instanceof AdapterError);
    assert.equal(e.message, 'No loaded class comes from /ws/A.java: there is nothing to reload yet.');
    assert.equal(errorIdOf(e), ErrorId.NOTHING_TO_RELOAD);
});

test('a success answers with the body; a failure without an id rejects with no id', async () => {
    const requests = new AdapterRequests();
    const vs = fakeVsCode(requests.tracker('s'));
    const ok = requests.send('s', 'reloadClass', {}, vs.send);
    await tick();
    vs.succeed('reloadClass', { reloaded: ['a.B.c()'] });
    assert.deepEqual(await ok, { reloaded: ['a.B.c()'] });
    const bad = requests.send('s', 'reloadClass', {}, vs.send);
    await tick();
    vs.fail('reloadClass', 'old adapter');
    const e = await bad.then(() => assert.fail('rejected'), (x: unknown) => x);
    assert.ok(e instanceof AdapterError);
    assert.equal(errorIdOf(e), undefined);
});

test('a rejection the tracker saw no response for (the session ended) is passed on as it came', async () => {
    const requests = new AdapterRequests();
    requests.tracker('s');
    const gone = new Error('Debug session ended');
    await assert.rejects(requests.send('s', 'reloadClass', {}, async () => { throw gone; }), (e: unknown) => e === gone);
    // no tracker for the session (not a hotrestart session): likewise
    await assert.rejects(requests.send('other', 'reloadClass', {}, async () => { throw gone; }), (e: unknown) => e === gone);
});

test('an earlier failure of the same command is not taken for a later request\'s', async () => {
    const requests = new AdapterRequests();
    const tracker = requests.tracker('s');
    // a failure from before the request was sent (someone else's reloadClass, or an old one)
    tracker.onDidSendMessage({ type: 'response', request_seq: 1, command: 'reloadClass', success: false, message: 'x', body: { error: { id: ErrorId.COMPILE_ERROR } } });
    await assert.rejects(requests.send('s', 'reloadClass', {}, async () => { throw new Error('Debug session ended'); }),
        (e: unknown) => !(e instanceof AdapterError) && errorIdOf(e) === undefined);
});

test('two saves at once: the second request of a command waits for the first, so each gets its own id', async () => {
    const requests = new AdapterRequests();
    const vs = fakeVsCode(requests.tracker('s'));
    const first = requests.send('s', 'reloadClass', { n: 1 }, vs.send);
    const second = requests.send('s', 'reloadClass', { n: 2 }, vs.send);
    const other = requests.send('s', 'propagateException', { threadId: 1 }, vs.send);
    await tick();
    // another command does not wait; the second reloadClass does
    assert.deepEqual(vs.pending.map(p => p.args), [{ n: 1 }, { threadId: 1 }]);
    vs.fail('reloadClass', 'does not compile', ErrorId.COMPILE_ERROR);
    vs.fail('propagateException', 'not stopped there', ErrorId.NOT_STOPPED_THERE);
    const ids = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => errorIdOf(e));
    assert.equal(await ids(first), ErrorId.COMPILE_ERROR);
    assert.equal(await ids(other), ErrorId.NOT_STOPPED_THERE);
    await tick();
    assert.deepEqual(vs.pending.map(p => p.args), [{ n: 2 }]);
    vs.fail('reloadClass', 'nothing to reload', ErrorId.NOTHING_TO_RELOAD);
    assert.equal(await ids(second), ErrorId.NOTHING_TO_RELOAD);
    // a failed request does not hold up the next one
    const third = requests.send('s', 'reloadClass', { n: 3 }, vs.send);
    await tick();
    vs.succeed('reloadClass', {});
    assert.equal(await ids(third), 'ok');
});

test('sessions are kept apart, and an ended session is forgotten', async () => {
    const requests = new AdapterRequests();
    const a = fakeVsCode(requests.tracker('a'));
    const b = fakeVsCode(requests.tracker('b'));
    const ra = requests.send('a', 'reloadClass', {}, a.send);
    const rb = requests.send('b', 'reloadClass', {}, b.send);
    await tick();
    b.fail('reloadClass', 'b', ErrorId.SOURCE_NOT_FOUND);
    a.fail('reloadClass', 'a', ErrorId.SWAP_REFUSED);
    assert.equal(await ra.catch(errorIdOf), ErrorId.SWAP_REFUSED);
    assert.equal(await rb.catch(errorIdOf), ErrorId.SOURCE_NOT_FOUND);
    requests.forget('a');
    const gone = new Error('gone');
    await assert.rejects(requests.send('a', 'reloadClass', {}, async () => { throw gone; }), (e: unknown) => e === gone);
});
