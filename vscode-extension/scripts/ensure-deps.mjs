// npm ci, unless node_modules was installed from this very package-lock.json already: a fresh
// checkout (CI) always installs, a developer's repeated Maven builds do not reinstall each time.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const mtime = f => { try { return fs.statSync(path.join(here, f)).mtimeMs; } catch { return undefined; } };
const installed = mtime('node_modules/.package-lock.json');
const upToDate = installed !== undefined && installed >= mtime('package-lock.json') && fs.existsSync(path.join(here, 'node_modules', '.bin'));
if (upToDate && !process.argv.includes('--force')) {
  console.log('ensure-deps: node_modules matches package-lock.json');
} else {
  // no install scripts: none is needed, and one of vsce's dependencies would download a signing tool
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(r.status ?? 1);
}
