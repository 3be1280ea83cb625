// Neovim, as a user drives it: Debian's neovim with a checkout of nvim-dap (no registry serves it),
// the README's lua blocks loaded as written, and the story in nvim/story.lua, headless.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyTree } from './vscode.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const NVIM = process.env.HOTRESTART_NVIM || 'nvim';

/** A JDK whose lib/src.zip is there (Debian's own JDKs link it to a package seldom installed): the given one, else one beside it. */
function jdkWithSources(javaHome) {
    const has = dir => fs.existsSync(path.join(dir, 'lib', 'src.zip')); // follows the link: a dangling one is no file
    if (has(javaHome)) return javaHome;
    const jvms = path.dirname(javaHome);
    for (const d of fs.existsSync(jvms) ? fs.readdirSync(jvms) : []) if (has(path.join(jvms, d))) return path.join(jvms, d);
    return '';
}

export async function nvimStory({ nvimDap, server, sample, out, javaHome, log }) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotrestart-nvim-'));
    const ws = path.join(work, 'receipt');
    const shop = path.join(work, 'shop');
    copyTree(sample, ws);
    copyTree(path.join(here, '..', 'protocol-tests', 'fixtures', 'shop'), shop);
    const logFile = path.join(out, 'nvim.log');
    try {
        const { code, output } = await new Promise((resolve, reject) => {
            const p = spawn(NVIM, ['--headless', '-u', 'NONE', '--cmd', `set rtp+=${nvimDap}`, '-c', `luafile ${path.join(here, 'nvim', 'story.lua')}`], {
                cwd: work,
                env: {
                    ...process.env, HOME: work, XDG_CACHE_HOME: path.join(work, 'cache'), JAVA_HOME: javaHome,
                    PATH: `${path.join(javaHome, 'bin')}${path.delimiter}${process.env.PATH}`,
                    HOTRESTART_SERVER_JAR: server, HOTRESTART_README: path.join(here, '..', 'README.md'),
                    HOTRESTART_WORKSPACE: ws, HOTRESTART_TESTS_WORKSPACE: shop, HOTRESTART_SOURCES_JDK: jdkWithSources(javaHome),
                },
            });
            let output = '';
            p.stdout.on('data', d => { output += d; });
            p.stderr.on('data', d => { output += d; });
            p.on('error', e => reject(new Error(`cannot start ${NVIM} (${e.message}): install Debian's neovim`)));
            const timer = setTimeout(() => p.kill('SIGKILL'), 600_000);
            p.on('exit', c => { clearTimeout(timer); resolve({ code: c, output }); });
        });
        fs.writeFileSync(logFile, output);
        for (const line of output.split(/\r?\n|(?=\[nvim )/)) if (line.startsWith('[nvim')) log(line.trim());
        if (code !== 0) throw new Error(`the story in Neovim failed (exit code ${code}); its output is in ${logFile}`);
    } finally {
        fs.rmSync(work, { recursive: true, force: true, maxRetries: 3 });
    }
}
