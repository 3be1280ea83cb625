import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { findJava, JavaEnvironment, JavaNotFoundError, majorVersion, realJavaEnvironment } from '../src/java';

const JDI = 'java.base java.compiler jdk.compiler jdk.jdi jdk.jdwp.agent';

/** A file system of JDK folders described by their release files; `run` answers for JDKs without one. */
function fakeEnv(opts: {
    setting?: string;
    env?: NodeJS.ProcessEnv;
    jdks: { [home: string]: { release?: string; versionOutput?: string; modules?: string } };
    links?: { [p: string]: string };
}): JavaEnvironment & { ran: string[] } {
    const ran: string[] = [];
    const files = new Map<string, string>();
    for (const [home, jdk] of Object.entries(opts.jdks)) {
        files.set(path.join(home, 'bin', 'java'), '');
        if (jdk.release !== undefined) files.set(path.join(home, 'release'), jdk.release);
    }
    for (const link of Object.keys(opts.links ?? {})) files.set(link, '');
    return {
        ran,
        settingHome: opts.setting,
        env: opts.env ?? {},
        platform: 'linux',
        exists: p => files.has(p),
        readText: p => files.get(p) || undefined,
        realpath: p => opts.links?.[p] ?? p,
        async run(command, args) {
            ran.push(`${command} ${args.join(' ')}`);
            const home = path.dirname(path.dirname(command));
            const jdk = opts.jdks[home];
            if (!jdk) return { code: null, stdout: '', stderr: 'ENOENT' };
            if (args[0] === '-version') return { code: 0, stdout: '', stderr: jdk.versionOutput ?? '' };
            if (args[0] === '--list-modules') return { code: 0, stdout: jdk.modules ?? '', stderr: '' };
            return { code: 1, stdout: '', stderr: '' };
        },
    };
}

const release = (version: string, modules = JDI) => `JAVA_VERSION="${version}"\nMODULES="${modules}"\n`;

test('the hotrestart.java.home setting comes first, judged by its release file without starting a JVM', async () => {
    const jenv = fakeEnv({
        setting: '/opt/jdk21',
        env: { JAVA_HOME: '/opt/jdk17', PATH: '/usr/bin' },
        jdks: { '/opt/jdk21': { release: release('21.0.2') }, '/opt/jdk17': { release: release('17.0.9') } },
    });
    const found = await findJava(jenv);
    assert.equal(found.java, '/opt/jdk21/bin/java');
    assert.equal(found.version, 21);
    assert.equal(found.source, 'hotrestart.java.home');
    assert.deepEqual(jenv.ran, []);
});

test('then JAVA_HOME, and a bad setting is reported as skipped', async () => {
    const found = await findJava(fakeEnv({
        setting: '/opt/nothing-here',
        env: { JAVA_HOME: '/opt/jdk17' },
        jdks: { '/opt/jdk17': { release: release('17.0.9') } },
    }));
    assert.equal(found.source, 'JAVA_HOME');
    assert.equal(found.home, '/opt/jdk17');
    assert.match(found.skipped[0], /^hotrestart\.java\.home \(\/opt\/nothing-here\): .*does not exist/);
});

test('then java on the PATH, followed through symlinks to its JDK', async () => {
    const found = await findJava(fakeEnv({
        env: { JAVA_HOME: '/opt/jdk11', PATH: '/home/me/bin:/usr/bin' },
        jdks: { '/opt/jdk11': { release: release('11.0.20') }, '/usr/lib/jvm/java-17': { release: release('17.0.15') } },
        links: { '/usr/bin/java': '/usr/lib/jvm/java-17/bin/java' },
    }));
    assert.equal(found.source, 'PATH');
    assert.equal(found.java, '/usr/lib/jvm/java-17/bin/java');
    assert.equal(found.home, '/usr/lib/jvm/java-17');
    assert.deepEqual(found.skipped, ['hotrestart.java.home: not set', 'JAVA_HOME (/opt/jdk11): Java 11, older than 17']);
});

test('a JDK without a release file is asked with java -version and java --list-modules', async () => {
    const jenv = fakeEnv({
        env: { JAVA_HOME: '/opt/custom' },
        jdks: { '/opt/custom': { versionOutput: 'openjdk version "17.0.2" 2022-01-18\n', modules: 'java.base@17.0.2\njdk.compiler@17.0.2\njdk.jdi@17.0.2\n' } },
    });
    const found = await findJava(jenv);
    assert.equal(found.version, 17);
    assert.deepEqual(jenv.ran, ['/opt/custom/bin/java -version', '/opt/custom/bin/java --list-modules']);
});

test('a runtime without jdk.jdi (a JRE) is passed over', async () => {
    const found = await findJava(fakeEnv({
        env: { JAVA_HOME: '/opt/jre17', PATH: '/usr/bin' },
        jdks: { '/opt/jre17': { release: release('17.0.9', 'java.base java.logging') }, '/usr/lib/jvm/jdk25': { release: release('25') } },
        links: { '/usr/bin/java': '/usr/lib/jvm/jdk25/bin/java' },
    }));
    assert.equal(found.version, 25);
    assert.match(found.skipped[1], /JAVA_HOME \(\/opt\/jre17\): Java 17 without the jdk\.jdi and jdk\.compiler modules/);
});

test('when nothing fits, the error lists what was tried and how to fix it', async () => {
    const err = await findJava(fakeEnv({
        env: { JAVA_HOME: '/usr/lib/jvm/java-8', PATH: '/usr/bin' },
        jdks: { '/usr/lib/jvm/java-8': { versionOutput: 'java version "1.8.0_392"\n' } },
        links: {},
    })).then(() => undefined, e => e);
    assert.ok(err instanceof JavaNotFoundError);
    assert.match(err.message, /needs a JDK 17 or newer with the jdk\.jdi/);
    assert.match(err.message, /JAVA_HOME \(\/usr\/lib\/jvm\/java-8\): Java 8, older than 17/);
    assert.match(err.message, /java on the PATH: none found/);
    assert.match(err.message, /set "hotrestart\.java\.home" in your settings/);
    assert.match(err.message, /or set JAVA_HOME/);
});

test('version strings old and new', () => {
    assert.equal(majorVersion('1.8.0_392'), 8);
    assert.equal(majorVersion('17.0.15'), 17);
    assert.equal(majorVersion('21'), 21);
    assert.equal(majorVersion('25-ea'), 25);
    assert.equal(majorVersion('abc'), undefined);
});

test('on this machine the real discovery finds a JDK 17+ quickly', async () => {
    const started = Date.now();
    const found = await findJava(realJavaEnvironment(undefined));
    assert.ok(found.version >= 17, JSON.stringify(found));
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
});
