// One schema: the server's Attribute table (via --schema), package.json, the docs and DESIGN.md agree.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { extensionDir, repoRoot, serverSchema } from './support/repo';

const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
const attributes = manifest.contributes.debuggers.find((d: { type: string }) => d.type === 'hotrestart').configurationAttributes;

function names(request: 'launch' | 'attach'): string[] {
    return Object.keys(serverSchema()[request].properties).sort();
}

test('package.json configurationAttributes are the server\'s --schema (run "npm run schema" after changing Attribute.java)', () => {
    // deepStrictEqual ignores the order of object keys, which the server does not fix
    assert.deepStrictEqual(attributes, serverSchema(), 'package.json has drifted from the server: run "npm run schema" in vscode-extension/');
});

test('docs/launch-attributes.md lists every attribute, for the requests it applies to', { skip: !fs.existsSync(path.join(repoRoot, 'docs', 'launch-attributes.md')) }, () => {
    const text = fs.readFileSync(path.join(repoRoot, 'docs', 'launch-attributes.md'), 'utf8');
    const launch: string[] = [];
    const attach: string[] = [];
    for (const m of text.matchAll(/^\|\s*`(\w+)`\s*\|\s*([^|]+)\|/gm)) {
        const applies = m[2].toLowerCase();
        if (applies.includes('launch')) launch.push(m[1]);
        if (applies.includes('attach')) attach.push(m[1]);
    }
    assert.deepEqual(launch.sort(), names('launch'), 'launch attributes in docs/launch-attributes.md');
    assert.deepEqual(attach.sort(), names('attach'), 'attach attributes in docs/launch-attributes.md');
});

const design = path.join(repoRoot, '..', 'shared', 'DESIGN.md');

test('DESIGN.md\'s list of launch and attach attributes matches the server', { skip: !fs.existsSync(design) && 'no shared/DESIGN.md beside the checkout' }, () => {
    const text = fs.readFileSync(design, 'utf8');
    const section = /## Launch and attach attributes\n([\s\S]*?)(?:\n## |$)/.exec(text)?.[1];
    assert.ok(section, 'DESIGN.md has a "Launch and attach attributes" section');
    // attribute names are the backticked words outside parentheses (those hold defaults and values)
    const listed = (part: string) => [...part.replace(/\([^()]*\)/g, '').matchAll(/`(\w+)`/g)].map(m => m[1]);
    const launchPart = /launch:([\s\S]*?)\nattach:/.exec(section!)?.[1] ?? '';
    const attachPart = /\nattach:([\s\S]*?)(?:\nMissing|\n\n|$)/.exec(section!)?.[1] ?? '';
    // what the contract names and the server does not take yet: this list only shrinks, and a
    // new attribute on either side alone fails
    const notYet: string[] = [];
    // what the server takes beyond the contract, where DESIGN.md is silent and an issue asks for it
    // (fetchSources: library sources are fetched only when the user asks); each is in docs/launch-attributes.md
    const beyond = ['fetchSources'];
    const designed = [...new Set(listed(launchPart))].sort();
    assert.deepEqual(designed.filter(a => !notYet.includes(a)), names('launch').filter(a => !beyond.includes(a)));
    for (const a of beyond) assert.ok(names('launch').includes(a) && !designed.includes(a), `'${a}' is gone from the server or named in DESIGN.md: take it off beyond`);
    for (const a of notYet) assert.ok(designed.includes(a) && !names('launch').includes(a), `'${a}' is implemented or gone from DESIGN.md: take it off notYet`);
    const attachListed = listed(attachPart);
    assert.ok(attachListed.length > 0);
    for (const a of attachListed) assert.ok(names('attach').includes(a), `DESIGN.md names attach attribute ${a}, which the server does not accept`);
});

test('the extension\'s version is the project\'s', () => {
    const pom = fs.readFileSync(path.join(repoRoot, 'pom.xml'), 'utf8');
    const version = /<artifactId>hotrestart-parent<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(pom)?.[1];
    assert.equal(manifest.version, version, 'package.json "version" follows the root pom.xml');
});
