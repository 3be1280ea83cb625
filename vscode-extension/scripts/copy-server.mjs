// Puts the server jar into the extension (server/hotrestart-server.jar), where the adapter
// factory starts it from and where packaging picks it up.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const from = path.resolve(here, '..', 'server', 'target', 'hotrestart-server.jar');
const to = path.join(here, 'server', 'hotrestart-server.jar');

if (!fs.existsSync(from)) {
  console.error(`copy-server: ${from} does not exist. Build the server first: (cd .. && mvn -q install -DskipTests)`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(to), { recursive: true });
fs.copyFileSync(from, to);
console.log(`copy-server: ${path.relative(here, to)} (${fs.statSync(to).size} bytes)`);
