import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { archiveArgs, descriptorFactory, JVM_ARGS, serverJarPath } from '../src/adapter';
import { FoundJava, JavaEnvironment } from '../src/java';

/** Stands in for vscode.DebugAdapterExecutable: records what VS Code would start. */
class Executable {
    constructor(readonly command: string, readonly args: string[], readonly options: { cwd?: string }) { }
}

function jdkEnv(setting?: string, javaHome = '/opt/jdk17'): JavaEnvironment {
    const good = new Set([javaHome]);
    return {
        settingHome: setting,
        env: { JAVA_HOME: javaHome },
        platform: 'linux',
        exists: p => good.has(path.dirname(path.dirname(p))) && p.endsWith(path.join('bin', 'java')),
        readText: p => (good.has(path.dirname(p)) ? 'JAVA_VERSION="17.0.9"\nMODULES="java.base jdk.compiler jdk.jdi"\n' : undefined),
        realpath: p => p,
        run: async () => ({ code: null, stdout: '', stderr: '' }),
    };
}

const folder = { uri: { fsPath: '/work/shop' } };

test('starts the jar shipped in the extension with java -jar, in the session\'s workspace folder', async () => {
    const factory = descriptorFactory(
        () => ({ extensionPath: '/ext/hotrestart-0.1.0', javaEnvironment: jdkEnv(), jarExists: () => true }),
        (command, args, options) => new Executable(command, args, options),
    );
    const e = await factory.createDebugAdapterDescriptor({ workspaceFolder: folder });
    assert.equal(e.command, '/opt/jdk17/bin/java');
    assert.deepEqual(e.args, ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmn32m', '-jar', path.join('/ext/hotrestart-0.1.0', 'server', 'hotrestart-server.jar')]);
    assert.deepEqual(e.options, { cwd: '/work/shop' });
    assert.equal(serverJarPath('/ext/x'), path.join('/ext/x', 'server', 'hotrestart-server.jar'));
});

test('the hotrestart.hoverCalls setting starts the adapter with --hover-calls', async () => {
    const start = (hoverCalls?: boolean) => descriptorFactory(
        () => ({ extensionPath: '/ext/h', javaEnvironment: jdkEnv(), jarExists: () => true, hoverCalls }),
        (command, args, options) => new Executable(command, args, options),
    ).createDebugAdapterDescriptor({ workspaceFolder: folder });
    const jar = path.join('/ext/h', 'server', 'hotrestart-server.jar');
    assert.deepEqual((await start(true)).args, [...JVM_ARGS, '-jar', jar, '--hover-calls']);
    assert.deepEqual((await start(false)).args, [...JVM_ARGS, '-jar', jar]);
    assert.deepEqual((await start()).args, [...JVM_ARGS, '-jar', jar]);
});

test('a hotrestart.java.home that is no JDK is reported, and the next Java is used', async () => {
    const warned: string[][] = [];
    const factory = descriptorFactory(
        () => ({ extensionPath: '/ext', javaEnvironment: jdkEnv('/opt/typo'), jarExists: () => true }),
        (command, args, options) => new Executable(command, args, options),
        skipped => warned.push(skipped),
    );
    const e = await factory.createDebugAdapterDescriptor({});
    assert.equal(e.command, '/opt/jdk17/bin/java');
    assert.deepEqual(e.options, {});
    assert.equal(warned.length, 1);
    assert.match(warned[0][0], /hotrestart\.java\.home \(\/opt\/typo\)/);
});

test('no JDK: the session fails with the message that says how to fix it', async () => {
    const none: JavaEnvironment = { ...jdkEnv(), env: {}, exists: () => false };
    const factory = descriptorFactory(
        () => ({ extensionPath: '/ext', javaEnvironment: none, jarExists: () => true }),
        (command, args, options) => new Executable(command, args, options),
    );
    await assert.rejects(factory.createDebugAdapterDescriptor({}), /install a JDK 17\+ .*hotrestart\.java\.home/);
});

test('a missing server jar says so before looking for Java', async () => {
    const factory = descriptorFactory(
        () => ({ extensionPath: '/ext', javaEnvironment: jdkEnv(), jarExists: () => false }),
        (command, args, options) => new Executable(command, args, options),
    );
    await assert.rejects(factory.createDebugAdapterDescriptor({}), /server is missing from the extension .*Reinstall the extension/);
});

test('the adapter gets a class-data archive in the extension storage: written by the first session on Java 17, used after', () => {
    const jar = '/ext/server/hotrestart-server.jar';
    const files = new Map<string, { size: number; mtimeMs: number }>([[jar, { size: 15_000_000, mtimeMs: 1_700_000_000_000 }]]);
    const removed: string[] = [];
    const deps = {
        extensionPath: '/ext', javaEnvironment: jdkEnv(), storageDir: '/store',
        stat: (f: string) => files.get(f), removeOld: (dir: string) => { removed.push(dir); },
    };
    const java17: FoundJava = { java: '/opt/jdk17/bin/java', home: '/opt/jdk17', version: 17, source: 'JAVA_HOME', skipped: [] };
    const first = archiveArgs(java17, jar, deps);
    assert.deepEqual(first.slice(0, 2), ['-Xlog:disable', '-Xlog:all=warning,cds=error:stderr'], 'JVM log lines go to stderr, never into the DAP stream');
    const archive = first[2].replace('-XX:ArchiveClassesAtExit=', '');
    assert.match(archive, /^\/store\/server-1700000000-15000000-[0-9a-f]+\.jsa$/);
    assert.deepEqual(removed, ['/store'], 'archives of older jars are removed when a new one is written');
    files.set(archive, { size: 12_000_000, mtimeMs: 0 });
    assert.deepEqual(archiveArgs(java17, jar, deps), ['-Xlog:disable', '-Xlog:all=warning,cds=error:stderr', `-XX:SharedArchiveFile=${archive}`]);
    // a rebuilt jar or another Java gets its own archive
    files.set(jar, { size: 15_000_001, mtimeMs: 1_700_000_100_000 });
    assert.notEqual(archiveArgs(java17, jar, deps)[2], `-XX:ArchiveClassesAtExit=${archive}`);
    const java21: FoundJava = { ...java17, home: '/opt/jdk21', version: 21 };
    const auto = archiveArgs(java21, jar, deps);
    assert.equal(auto[2], '-XX:+AutoCreateSharedArchive');
    assert.match(auto[3], /^-XX:SharedArchiveFile=\/store\/server-.*\.jsa$/);
    assert.deepEqual(archiveArgs(java17, jar, { ...deps, storageDir: undefined }), [], 'no storage folder: no archive');
});
