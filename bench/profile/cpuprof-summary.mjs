#!/usr/bin/env node
// Summarises V8 CPU profiles (node --cpu-prof --cpu-prof-dir=DIR ...): self time per run, by
// file and by function, averaged over the profiles in DIR. Used for PROFILE.md:
//   for i in 1 2 3 4 5 6; do node --cpu-prof --cpu-prof-dir=/tmp/p --cpu-prof-interval 200 bin/preflight.js scan --format json >/dev/null; done
//   node bench/profile/cpuprof-summary.mjs /tmp/p
import { readdirSync, readFileSync } from 'node:fs';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node bench/profile/cpuprof-summary.mjs DIR_OF_CPUPROFILES [TOP]\n');
  process.exit(2);
}
const top = Number(process.argv[3] ?? 25);
const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
const byFile = new Map();
const byFunction = new Map();
let total = 0;
for (const f of files) {
  const p = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  for (const [id, us] of self) {
    const { url, functionName } = nodes.get(id).callFrame;
    const where = (url || `(${functionName || 'native'})`)
      .replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/')
      .replace(/chunk-\w+/, 'chunk')
      .replace(/^node:internal\/.*/, 'node:internal');
    byFile.set(where, (byFile.get(where) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} @ ${where}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    total += us;
  }
}
const ms = (us) => (us / 1000 / files.length).toFixed(1).padStart(7);
const print = (title, m) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${ms(v)} ms  ${k}\n`);
};
process.stdout.write(`${files.length} profiles, ${ms(total).trim()} ms of samples per run\n`);
print('self time by file', byFile);
print('self time by function', byFunction);
