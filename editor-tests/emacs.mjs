// Emacs, as a user drives it: Debian's emacs-nox with dap-mode (elpa-dap-mode), the set-up in
// emacs/hotrestart-dap.el that docs/editors.md shows, and the story in emacs/story.el, in batch mode.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyTree } from './vscode.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const EMACS = process.env.HOTRESTART_EMACS || 'emacs';

export async function emacsStory({ server, sample, out, javaHome, log }) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotrestart-emacs-'));
    const ws = path.join(work, 'receipt');
    copyTree(sample, ws);
    const logFile = path.join(out, 'emacs.log');
    try {
        const { code, output } = await new Promise((resolve, reject) => {
            const p = spawn(EMACS, ['--batch', '-l', path.join(here, 'emacs', 'story.el')], {
                cwd: ws,
                // HOME of its own: no user init file, and dap-mode's breakpoint file stays in the temp folder
                env: { ...process.env, HOME: work, JAVA_HOME: javaHome, HOTRESTART_SERVER_JAR: server, HOTRESTART_WORKSPACE: ws },
            });
            let output = '';
            p.stdout.on('data', d => { output += d; });
            p.stderr.on('data', d => { output += d; });
            p.on('error', e => reject(new Error(`cannot start ${EMACS} (${e.message}): install Debian's emacs-nox and elpa-dap-mode`)));
            const timer = setTimeout(() => p.kill('SIGKILL'), 420_000); // beyond the story's own waits, which say what failed
            p.on('exit', c => { clearTimeout(timer); resolve({ code: c, output }); });
        });
        fs.writeFileSync(logFile, output);
        for (const line of output.split('\n')) if (line.startsWith('[emacs')) log(line);
        if (code !== 0) {
            if (/Cannot open load file.*dap-mode/.test(output)) throw new Error('dap-mode is not installed: apt-get install elpa-dap-mode');
            throw new Error(`the story in Emacs failed (exit code ${code}); its output is in ${logFile}`);
        }
    } finally {
        fs.rmSync(work, { recursive: true, force: true, maxRetries: 3 });
    }
}
