import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import {
    ConfigDeps, initialConfigurations, mainClassOf, MainClass, resolveConfiguration, resolveCwd, RunResult,
} from '../src/config';

interface Recorded {
    picks: MainClass[][];
    runs: { command: string; args: string[]; cwd: string }[];
    progress: string[];
    errors: string[];
    warnings: string[];
}

/** ConfigDeps over an in-memory workspace; `maven` answers the mvn runs. */
function fakeDeps(files: { [p: string]: string }, opts: {
    activeFile?: string;
    pick?: (c: MainClass[]) => MainClass | undefined;
    maven?: (args: string[]) => { result: RunResult; output?: string };
} = {}): ConfigDeps & Recorded {
    const written = new Map<string, string>();
    const rec: Recorded = { picks: [], runs: [], progress: [], errors: [], warnings: [] };
    return {
        ...rec,
        findJavaFiles: async folder => Object.keys(files).filter(f => f.endsWith('.java') && (!folder || f.startsWith(folder))),
        readFile: async f => files[f],
        fileExists: f => f in files || written.has(f),
        activeFile: opts.activeFile,
        pickMainClass: async c => {
            rec.picks.push(c);
            return opts.pick ? opts.pick(c) : undefined;
        },
        run: async (command, args, cwd) => {
            rec.runs.push({ command, args, cwd });
            const answer = opts.maven ? opts.maven(args) : { result: { code: 1, stdout: 'no maven here', stderr: '' } };
            const outArg = args.find(a => a.startsWith('-Dmdep.outputFile='));
            if (answer.output !== undefined && outArg) written.set(outArg.slice('-Dmdep.outputFile='.length), answer.output);
            return answer.result;
        },
        withProgress: async (title, work) => {
            rec.progress.push(title);
            return work(new AbortController().signal);
        },
        readText: f => written.get(f) ?? files[f],
        tempFile: name => path.join('/tmp', name),
        removeFile: () => { },
        mtime: f => (f in files ? 1 : undefined),
        showError: m => void rec.errors.push(m),
        showWarning: m => void rec.warnings.push(m),
        platform: 'linux',
    } as ConfigDeps & Recorded;
}

const APP = '/ws/src/main/java/shop/App.java';
const TOOL = '/ws/src/main/java/shop/tools/Tool.java';
const SERVICE = '/ws/src/main/java/shop/Service.java';
const workspace = {
    [APP]: 'package shop;\n\npublic class App {\n    public static void main(String[] args) { }\n}\n',
    [TOOL]: 'package shop.tools;\nclass Tool {\n  static public void main(final String... argv) {}\n}\n',
    [SERVICE]: 'package shop;\n// public static void main(String[] args) in a comment does not count\nclass Service { void main() {} }\n',
};

test('main classes are found by their static void main and named by package and file', () => {
    assert.deepEqual(mainClassOf(APP, workspace[APP]), { className: 'shop.App', file: APP });
    assert.deepEqual(mainClassOf(TOOL, workspace[TOOL]), { className: 'shop.tools.Tool', file: TOOL });
    assert.equal(mainClassOf(SERVICE, workspace[SERVICE]), undefined);
    assert.deepEqual(mainClassOf('/x/Main.java', 'class Main { public static void main(String []a){} }'), { className: 'Main', file: '/x/Main.java' });
});

test('F5 without launch.json becomes a launch, and a single main class is taken without asking', async () => {
    const deps = fakeDeps({ [APP]: workspace[APP], [SERVICE]: workspace[SERVICE] });
    const c = await resolveConfiguration('/ws', {}, deps);
    assert.deepEqual(c, { type: 'hotrestart', request: 'launch', name: 'Launch with hot restart', mainClass: 'shop.App' });
    assert.equal(deps.picks.length, 0);
});

test('a Java file open outside the workspace is a candidate too', async () => {
    const outside = '/tmp/Scratch.java';
    const deps = fakeDeps({ [outside]: 'public class Scratch { public static void main(String[] a) { } }' }, { activeFile: outside });
    deps.findJavaFiles = async () => [];
    const c = await resolveConfiguration(undefined, {}, deps);
    assert.equal(c?.mainClass, 'Scratch');
});

test('several main classes: the user picks, the active editor\'s class listed first', async () => {
    const deps = fakeDeps(workspace, { activeFile: TOOL, pick: c => c[1] });
    const c = await resolveConfiguration('/ws', { type: 'hotrestart', request: 'launch', name: 'x', mainClass: '' }, deps);
    assert.deepEqual(deps.picks[0].map(m => m.className), ['shop.tools.Tool', 'shop.App']);
    assert.equal(c?.mainClass, 'shop.App');
});

test('a new launch.json gets a launch for each main class and an attach', async () => {
    const configs = await initialConfigurations('/ws', fakeDeps(workspace));
    assert.deepEqual(configs.map(c => [c.request, c.name, c.mainClass ?? c.port]), [
        ['launch', 'Launch App', 'shop.App'], ['launch', 'Launch Tool', 'shop.tools.Tool'], ['attach', 'Attach to port 5005', 5005]]);
    const none = await initialConfigurations('/ws', fakeDeps({}));
    assert.equal(none[0].mainClass, 'com.acme.App');
});

test('dismissing the pick cancels the launch; no main class at all says what to do', async () => {
    assert.equal(await resolveConfiguration('/ws', { type: 'hotrestart', request: 'launch', name: 'x' }, fakeDeps(workspace)), undefined);
    const none = fakeDeps({ [SERVICE]: workspace[SERVICE] });
    assert.equal(await resolveConfiguration('/ws', { type: 'hotrestart', request: 'launch', name: 'x' }, none), undefined);
    assert.match(none.errors[0], /no class with "static void main\(String\[\] args\)".*Set "mainClass" in launch\.json/);
});

test('a given mainClass and attach configurations are left alone', async () => {
    const deps = fakeDeps(workspace);
    const launch = { type: 'hotrestart', request: 'launch', name: 'x', mainClass: 'shop.Other' };
    assert.deepEqual(await resolveConfiguration('/ws', launch, deps), launch);
    const attach = { type: 'hotrestart', request: 'attach', name: 'a', port: 5005 };
    assert.deepEqual(await resolveConfiguration('/ws', attach, deps), attach);
    assert.deepEqual(await resolveCwd('/ws', attach), attach);
    assert.equal(deps.picks.length + deps.runs.length, 0);
});

test('cwd defaults to the folder; the class path is left to the adapter, which asks Maven itself', async () => {
    const deps = fakeDeps({ '/ws/pom.xml': '<project/>' });
    const c = await resolveCwd('/ws', { type: 'hotrestart', request: 'launch', name: 'x', mainClass: 'shop.App' });
    assert.equal(c?.cwd, '/ws');
    assert.equal(c?.classPaths, undefined);
    assert.equal(deps.runs.length, 0);
    const own = await resolveCwd('/ws', { type: 'hotrestart', request: 'launch', name: 'x', mainClass: 'a.B', cwd: '/ws/app' });
    assert.equal(own?.cwd, '/ws/app');
});

test('a tests launch needs no main class: it goes to the adapter as it is, with no search and no pick', async () => {
    const deps = fakeDeps(workspace);
    const config = { type: 'hotrestart', request: 'launch', name: 't', tests: ['shop.CartTest'] };
    assert.deepEqual(await resolveConfiguration('/ws', config, deps), config);
    assert.deepEqual(deps.errors, []);
});
