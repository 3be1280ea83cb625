// Copies the server's launch/attach attribute schema (java -jar hotrestart-server.jar --schema,
// generated from dev.hotrestart.dap.Attribute) into package.json's configurationAttributes.
// With --check it changes nothing and fails when package.json has drifted from the server.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const jar = [path.resolve(here, '..', 'server', 'target', 'hotrestart-server.jar'), path.join(here, 'server', 'hotrestart-server.jar')]
  .find(p => fs.existsSync(p));
if (!jar) {
  console.error('schema: no server jar; build it first: (cd .. && mvn -q install -DskipTests)');
  process.exit(1);
}
const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const schema = JSON.parse(execFileSync(java, ['-jar', jar, '--schema'], { encoding: 'utf8' }));

// The server builds parts of the schema from unordered maps: fix one key order so package.json diffs stay quiet.
const ORDER = ['type', 'items', 'enum', 'additionalProperties', 'default', 'description'];
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (!value || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const rank = k => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  // the property map itself keeps the server's order (the order of Attribute); sort is stable
  const sorted = keys.some(k => ORDER.includes(k)) ? [...keys].sort((a, b) => rank(a) - rank(b)) : keys;
  return Object.fromEntries(sorted.map(k => [k, canonical(value[k])]));
}

const manifestPath = path.join(here, 'package.json');
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
const debuggerEntry = manifest.contributes.debuggers.find(d => d.type === 'hotrestart');
const wanted = { launch: canonical(schema.launch), attach: canonical(schema.attach) };

if (process.argv.includes('--check')) {
  if (!isDeepStrictEqual(debuggerEntry.configurationAttributes, wanted)) {
    console.error('schema: package.json configurationAttributes differ from the server\'s --schema; run "npm run schema".');
    process.exit(1);
  }
  console.log('schema: package.json matches the server');
} else {
  debuggerEntry.configurationAttributes = wanted;
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`schema: wrote ${Object.keys(wanted.launch.properties).length} launch and ${Object.keys(wanted.attach.properties).length} attach attributes into package.json`);
}
