// Peer: systeminformation's getStaticData(), imported from the bench's private install
// (bench/tmp/node_modules, made by bench/setup.sh). Prints the JSON like a collector would.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const tmp = fileURLToPath(new URL('../tmp/', import.meta.url));
const require = createRequire(tmp);
let si;
try {
  si = require('systeminformation');
} catch (err) {
  process.stderr.write(`si-static: systeminformation is not installed in bench/tmp (run bash bench/setup.sh): ${err.message}\n`);
  process.exit(127);
}
const data = await si.getStaticData();
process.stdout.write(JSON.stringify(data) + '\n');
