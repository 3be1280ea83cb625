// The configurations shown in the READMEs and docs/ are ones the server accepts.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { AttributeSchema, codeBlocks, docFiles, repoRoot, serverSchema } from './support/repo';
import { elispConfigs, helixConfigs, jsonConfigs, luaConfigs, parseJsonc, SnippetConfig, ValueKind } from './support/snippets';

/** The JSON types an attribute's schema allows, as snippet value kinds. */
function allowedKinds(schema: AttributeSchema['properties'][string]): ValueKind[] {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    return types.map(t => (t === 'integer' ? 'number' : t) as ValueKind);
}

function check(configs: SnippetConfig[], where: string): string[] {
    const problems: string[] = [];
    for (const c of configs) {
        const at = `${where} ${c.where}`;
        if (c.request !== 'launch' && c.request !== 'attach') {
            problems.push(`${at}: request must be "launch" or "attach", got ${JSON.stringify(c.request)}`);
            continue;
        }
        const schema = serverSchema()[c.request];
        for (const [name, kind] of c.attributes) {
            const p = schema.properties[name];
            if (!p) {
                problems.push(`${at}: "${name}" is not a ${c.request} attribute (the server accepts: ${Object.keys(schema.properties).join(', ')})`);
            } else if (kind !== 'expression' && !allowedKinds(p).includes(kind)) {
                problems.push(`${at}: "${name}" is ${kind === 'array' ? 'an' : 'a'} ${kind}, the server expects ${allowedKinds(p).join(' or ')}`);
            }
        }
        for (const required of schema.required) {
            if (!c.attributes.has(required)) problems.push(`${at}: the required attribute "${required}" is missing`);
        }
    }
    return problems;
}

const blocks = docFiles().flatMap(codeBlocks);
const rel = (file: string) => path.relative(repoRoot, file);

test('the documentation has configuration snippets to check', () => {
    assert.ok(docFiles().length > 0);
});

test('every JSON block in the docs parses, and its hotrestart configurations use attributes the server accepts', () => {
    const problems: string[] = [];
    let configs = 0;
    for (const b of blocks.filter(b => b.lang === 'json' || b.lang === 'jsonc')) {
        let value: unknown;
        try {
            value = b.lang === 'json' ? JSON.parse(b.text) : parseJsonc(b.text);
        } catch (e) {
            problems.push(`${rel(b.file)}:${b.line}: the ${b.lang} block does not parse: ${(e as Error).message}`);
            continue;
        }
        const found = jsonConfigs(value);
        configs += found.length;
        problems.push(...check(found, `${rel(b.file)}:${b.line}`));
    }
    assert.deepEqual(problems, []);
    assert.ok(configs > 0, 'the docs show at least one launch.json configuration');
});

test('the nvim-dap Lua configurations use attributes the server accepts', () => {
    const problems: string[] = [];
    let configs = 0;
    for (const b of blocks.filter(b => b.lang === 'lua')) {
        const found = luaConfigs(b.text);
        configs += found.length;
        problems.push(...check(found, `${rel(b.file)}:${b.line}`));
    }
    assert.deepEqual(problems, []);
    assert.ok(configs > 0, 'the docs show at least one nvim-dap configuration (type = \'hotrestart\')');
});

test('the Emacs and Helix configurations use attributes the server accepts', () => {
    const problems: string[] = [];
    for (const b of blocks.filter(b => ['elisp', 'emacs-lisp', 'lisp'].includes(b.lang))) {
        problems.push(...check(elispConfigs(b.text), `${rel(b.file)}:${b.line}`));
    }
    for (const b of blocks.filter(b => b.lang === 'toml')) {
        // Helix templates may leave required values to its prompts ({0}); their names must still be right
        const found = helixConfigs(b.text);
        problems.push(...check(found, `${rel(b.file)}:${b.line}`).filter(p => !/required attribute/.test(p)));
    }
    assert.deepEqual(problems, []);
});

test('the snippet readers find what a reader sees', () => {
    const lua = luaConfigs(`dap.configurations.java = {
  { type = 'hotrestart', request = 'launch', name = 'x',
    mainClass = function() return vim.fn.input('Main class: ', 'com.acme.App') end, -- a comment, with = signs
    classPaths = { 'target/classes' }, stopOnEntry = false, port = 5005, env = { A = 'b' } },
  { type = 'executable', command = 'java' },
}`);
    assert.equal(lua.length, 1);
    assert.deepEqual([...lua[0].attributes], [['mainClass', 'expression'], ['classPaths', 'array'], ['stopOnEntry', 'boolean'], ['port', 'number'], ['env', 'object']]);
    const el = elispConfigs(`(add-to-list 'dape-configs \`(hotrestart modes (java-mode) command "java" command-args ("-jar" ,(expand-file-name "x") "--port" :autoport)
  port :autoport :type "hotrestart" :request "launch" :mainClass "a.B" :classPaths ["target/classes"]))`);
    assert.deepEqual(el.map(c => [c.request, [...c.attributes]]), [['launch', [['mainClass', 'string'], ['classPaths', 'array']]]]);
    const hx = helixConfigs(`[[language.debugger.templates]]
name = "launch"
request = "launch"
args = { mainClass = "{0}", classPaths = ["target/classes"], stopOnEntry = true }`);
    assert.deepEqual(hx.map(c => [c.request, [...c.attributes]]), [['launch', [['mainClass', 'string'], ['classPaths', 'array'], ['stopOnEntry', 'boolean']]]]);
    assert.deepEqual(check(jsonConfigs({ type: 'hotrestart', request: 'launch', name: 'n', mainClass: 'a.B', classPath: ['x'], stopOnEntry: 'yes' }), 't'), [
        `t $: "classPath" is not a launch attribute (the server accepts: ${Object.keys(serverSchema().launch.properties).join(', ')})`,
        't $: "stopOnEntry" is a string, the server expects boolean',
    ]);
});
