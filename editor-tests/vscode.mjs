// VS Code, as a user drives it: code-server (VS Code in the browser) with the built .vsix installed,
// in Debian's Chromium, through playwright-core. Keys and clicks only; the file system is read to
// check what the editor saved, never written behind the editor's back.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const CHROMIUM = process.env.HOTRESTART_CHROMIUM || '/usr/bin/chromium';
const FIXED = 'line.substring(line.indexOf(\' \') + 1).replace("x", "")';

export function copyTree(from, to) {
    fs.mkdirSync(to, { recursive: true });
    for (const e of fs.readdirSync(from, { withFileTypes: true })) {
        if (e.name === 'target') continue;
        if (e.isDirectory()) copyTree(path.join(from, e.name), path.join(to, e.name));
        else fs.copyFileSync(path.join(from, e.name), path.join(to, e.name));
    }
}

function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.on('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const port = s.address().port;
            s.close(() => resolve(port));
        });
    });
}

/** Resolves once the process has printed the text; rejects when it exits first or the time is up. */
function printed(proc, text, ms, logFile) {
    return new Promise((resolve, reject) => {
        let seen = '';
        const timer = setTimeout(() => reject(new Error(`code-server did not say "${text}" in ${ms} ms (see ${logFile})`)), ms);
        const look = chunk => {
            seen += chunk.toString();
            if (seen.includes(text)) {
                clearTimeout(timer);
                resolve();
            }
        };
        proc.stdout.on('data', look);
        proc.stderr.on('data', look);
        proc.on('exit', code => {
            clearTimeout(timer);
            reject(new Error(`code-server exited (${code}) before it said "${text}" (see ${logFile})`));
        });
    });
}

export async function vscodeStory({ tools, vsix, sample, out, javaHome, log }) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotrestart-vscode-'));
    const ws = path.join(work, 'receipt');
    copyTree(sample, ws);
    const source = path.join(ws, 'src', 'main', 'java', 'demo', 'Receipt.java');
    const userData = path.join(work, 'user-data');
    const extensions = path.join(work, 'extensions');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.tips.enabled': false,
        'extensions.ignoreRecommendations': true,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'files.autoSave': 'off',
    }, null, 2));
    // the adapter's cache folder (class paths, its agent) in the temp folder too: nothing left behind
    const env = { ...process.env, JAVA_HOME: javaHome, XDG_CACHE_HOME: path.join(work, 'cache'),
        PATH: `${path.dirname(tools.node24)}${path.delimiter}${process.env.PATH}` };
    const cs = (...args) => [tools.codeServer, '--user-data-dir', userData, '--extensions-dir', extensions, ...args];

    execFileSync(tools.node24, cs('--install-extension', vsix), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    log(`installed ${path.basename(vsix)}`);

    const port = await freePort();
    const logFile = path.join(out, 'code-server.log');
    const server = spawn(tools.node24, cs('--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
        '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', ws), { env });
    const logStream = fs.createWriteStream(logFile);
    server.stdout.pipe(logStream);
    server.stderr.pipe(logStream);
    let browser;
    let page;
    try {
        await printed(server, 'HTTP server listening', 60_000, logFile);
        const { chromium } = createRequire(import.meta.url)(tools.playwright);
        browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
        page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
        await story(page, { port, ws, source, log });
        await page.screenshot({ path: path.join(out, 'vscode-answer.png') });
    } catch (e) {
        if (page) {
            const shot = path.join(out, 'vscode-failure.png');
            await page.screenshot({ path: shot }).catch(() => {});
            const text = await page.evaluate(() => document.body.innerText).catch(() => '');
            fs.writeFileSync(path.join(out, 'vscode-failure.txt'), text);
            log(`screenshot: ${shot}; the page's text: ${path.join(out, 'vscode-failure.txt')}`);
        }
        throw e;
    } finally {
        await browser?.close().catch(() => {});
        server.kill();
        fs.rmSync(work, { recursive: true, force: true, maxRetries: 3 });
    }
}

async function story(page, { port, ws, source, log }) {
    // waits for the text; an error dialog or notification instead ends the wait with its words
    const shows = async (text, ms, what) => {
        const seen = await page.waitForFunction(t => {
            if (document.body.innerText.includes(t)) return 'ok';
            const dialog = document.querySelector('.monaco-dialog-box');
            const toast = document.querySelector('.notifications-toasts .notification-list-item.error, .notification-toast .codicon-error');
            const box = dialog ?? toast?.closest('.notification-toast');
            return box ? box.innerText : false;
        }, text, { timeout: ms }).then(h => h.jsonValue()).catch(() => null);
        if (seen === 'ok') return;
        throw new Error(`${what}: ` + (seen ? `the editor says: ${seen.replace(/\s+/g, ' ')}` : `the page never showed "${text}"`));
    };
    const command = async title => {
        await page.keyboard.press('F1');
        await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
        await page.keyboard.type(title);
        // Enter only once the list's chosen row is the command (the list filters as it is typed)
        await page.waitForFunction(t => {
            const row = document.querySelector('.quick-input-list .monaco-list-row.focused');
            return row && row.textContent.includes(t);
        }, title, { timeout: 10_000 }).catch(() => { throw new Error(`the command palette does not offer "${title}"`); });
        await page.keyboard.press('Enter');
    };
    const open = async file => {
        await page.keyboard.press('Control+P');
        await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
        await page.keyboard.type(file);
        await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${file}"]`, { timeout: 30_000 });
        await page.keyboard.press('Enter');
        await page.waitForSelector(`.tab[data-resource-name="${file}"], .tab[aria-label*="${file}"]`, { timeout: 30_000 });
    };

    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90_000 });
    log('workbench loaded');

    // F5 in a Maven project with no launch.json: the extension and the adapter find the rest
    await open('Receipt.java');
    await page.keyboard.press('F5');
    // an F5 while the extension host still starts finds no debugger for Java and shows the Run view's
    // start button with no session: then, and only then, a user presses it again
    const lost = () => page.evaluate(() => {
        if (document.querySelector('.debug-toolbar')) return false;
        const box = document.querySelector('.monaco-dialog-box, .notification-toast .codicon-error');
        if (box) return 'error: ' + (box.closest('.notification-toast') ?? box).innerText;
        return [...document.querySelectorAll('.welcome-view-content .monaco-button')].some(b => b.textContent.trim() === 'Run and Debug');
    });
    for (let tries = 0, waited = 0; !(await page.locator('.debug-toolbar').isVisible()); waited += 500) {
        const state = await lost();
        if (typeof state === 'string') throw new Error(`F5: the editor says ${state.replace(/\s+/g, ' ')}`);
        if ((state && waited >= 5_000) || waited >= 30_000) {
            if (++tries === 3) throw new Error('F5 started no debug session, three times');
            log('F5 started no session (the extension host was still starting): pressing it again');
            await open('Receipt.java');
            await page.keyboard.press('F5');
            waited = 0;
        }
        if (waited > 180_000) throw new Error('F5 started no debug session in 3 minutes');
        await page.waitForTimeout(500);
    }
    await shows('Exception has occurred', 180_000, 'F5 should stop where the exception escapes count');
    await shows('not a number: x4', 5_000, 'the exception widget should show the message');
    log('stopped on the escape');

    // the fix, typed into the editor and saved
    await open('Receipt.java');
    await page.keyboard.press('Control+H');
    const find = page.locator('.find-widget .find-part .input');
    await find.waitFor({ state: 'visible' });
    await find.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type("line.substring(line.indexOf(' ') + 1)");
    const replace = page.locator('.find-widget .replace-part .input');
    await replace.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(FIXED);
    await page.keyboard.press('Control+Alt+Enter'); // replace all
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+S');
    const saved = async () => fs.readFileSync(source, 'utf8').includes(FIXED);
    for (let i = 0; i < 50 && !(await saved()); i++) await page.waitForTimeout(100);
    if (!(await saved())) throw new Error('the fix typed into the editor was not saved to Receipt.java');
    log('fix saved');

    // Restart Frame with Reload, from the call stack's context menu
    await command('View: Show Run and Debug');
    const frame = page.locator('.debug-call-stack .monaco-list-row', { hasText: 'count' }).first();
    await frame.waitFor({ state: 'visible', timeout: 30_000 });
    await frame.click({ button: 'right' });
    const item = page.locator('.context-view .action-label', { hasText: 'Restart Frame with Reload' }).first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await item.click();
    // a menu still open after the click (it can take the click while it opens) gets the key instead
    const menu = page.locator('.context-view .monaco-menu');
    if (!(await menu.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false))) {
        await item.hover({ timeout: 2_000 }).catch(() => {});
        if (await menu.isVisible()) await page.keyboard.press('Enter');
        await menu.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => { throw new Error('the call stack menu stays open'); });
        log('the menu took Enter, not the click');
    }
    log('Restart Frame with Reload chosen');

    // the program's answer, in the debug console
    if (!(await page.locator('.repl').isVisible().catch(() => false))) await command('Debug Console: Focus on Debug Console View');
    await shows('items on the receipt: 9', 60_000, 'the debug console should show the answer of the fixed count');
    log('the debug console shows the answer');
}
