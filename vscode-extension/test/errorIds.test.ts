// One table of error ids: the server's ErrorId.java and src/errorIds.ts agree, name for name.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { AdapterError, ErrorId, errorIdOf, errorIdOfResponse } from '../src/errorIds';
import { repoRoot } from './support/repo';

const source = path.join(repoRoot, 'server', 'src', 'main', 'java', 'dev', 'hotrestart', 'base', 'ErrorId.java');

/** The enum constants of ErrorId.java with their ids, in the order written. */
function serverIds(): [string, number][] {
    const text = fs.readFileSync(source, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const body = /enum\s+ErrorId\s*\{([\s\S]*?);/.exec(text)?.[1];
    assert.ok(body, `${source} declares enum ErrorId`);
    return [...body.matchAll(/\b([A-Z][A-Z0-9_]*)\s*\(\s*(\d+)\s*\)/g)].map(m => [m[1], Number(m[2])]);
}

test('src/errorIds.ts has the ids of the server\'s ErrorId.java, names and numbers', () => {
    const server = serverIds();
    assert.ok(server.length >= 20, `read ${server.length} ids from ErrorId.java`);
    assert.deepEqual(Object.entries(ErrorId), server, 'src/errorIds.ts has drifted from server/.../base/ErrorId.java');
    assert.equal(new Set(server.map(([, id]) => id)).size, server.length, 'no id is given twice');
});

test('the id of a failed response is its body.error.id; anything else has none', () => {
    const failed = { type: 'response', request_seq: 7, success: false, command: 'reloadClass', message: 'm', body: { error: { id: 1401, format: 'm', showUser: false } } };
    assert.equal(errorIdOfResponse(failed), ErrorId.NOTHING_TO_RELOAD);
    assert.equal(errorIdOfResponse({ ...failed, body: undefined }), undefined);
    assert.equal(errorIdOfResponse({ ...failed, success: true }), undefined);
    assert.equal(errorIdOfResponse({ type: 'event', event: 'output', body: { error: { id: 1 } } }), undefined);
    assert.equal(errorIdOf(new AdapterError('m', 1400)), 1400);
    assert.equal(errorIdOf(new Error('m')), undefined);
});
