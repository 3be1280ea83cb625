// Runs every compiled test file with Node's test runner; the spec reporter ends with the totals.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dir = path.join(here, 'out', 'test');
if (!fs.existsSync(dir)) {
  console.error('run-tests: out/test is missing; run "npm run compile" first.');
  process.exit(1);
}
const only = process.argv.slice(2);
const files = fs.readdirSync(dir)
  .filter(f => f.endsWith('.test.js'))
  .filter(f => only.length === 0 || only.some(o => f.includes(o)))
  .sort()
  .map(f => path.join(dir, f));
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit', cwd: here });
process.exit(r.status ?? 1);
