// Test helper (not a test): a bundle of this machine with one probe that sleeps, so a test can
// interrupt it while a local probe process runs. Uses the built code in dist/.
import { createBundle } from '../../dist/bundle/create.js';
import { collectLocal } from '../../dist/collect/localTransport.js';
import { probeById } from '../../dist/collect/probes.js';
import { loadProfile } from '../../dist/engine/loadRules.js';

const out = process.argv[2];
const slow = { id: 'test.slow', description: 'sleeps', script: 'sleep 60', manual: 'sleep 60', timeoutMs: 120_000, maxBytes: 4096, personalData: false, keepTail: false };
const uname = probeById('uname');
const profile = loadProfile('everrun-6.0');
process.stderr.write('collecting\n');
await createBundle({
  out,
  targets: [{ name: 'slow', address: 'local', role: 'master', transport: 'local', collect: () => collectLocal([uname, slow]) }],
  scanProbes: [uname],
  supportProbes: [slow],
  maxFileBytes: 4096,
  obfuscate: false,
  secrets: [],
  profile: profile.name,
  rules: profile.rules,
});
process.stderr.write('finished (the test should have interrupted it)\n');
