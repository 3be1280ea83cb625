// vsce package into hotrestart-<version>.vsix, refusing to build one without the server jar inside.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { version } = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
const vsce = path.join(here, 'node_modules', '@vscode', 'vsce', 'vsce');
const flags = ['--no-dependencies'];
const packageFlags = [...flags, '--skip-license', '--allow-missing-repository'];

const files = execFileSync(process.execPath, [vsce, 'ls', ...flags], { cwd: here, encoding: 'utf8' }).split(/\r?\n/);
for (const wanted of ['server/hotrestart-server.jar', 'out/src/extension.js']) {
  if (!files.includes(wanted)) {
    console.error(`package: ${wanted} would not be in the .vsix; run "npm run compile" first (and check .vscodeignore)`);
    process.exit(1);
  }
}
const out = `hotrestart-${version}.vsix`;
execFileSync(process.execPath, [vsce, 'package', ...packageFlags, '-o', out], { cwd: here, stdio: 'inherit' });
console.log(`package: ${path.join(here, out)}`);
