// Part of the build (after tsc): compiles each bundled rule profile (rules/*.yaml) to
// dist/rules/NAME.json, validated exactly as at run time, with the YAML's sha256. loadProfile uses
// the JSON only while that hash matches, so an edited YAML is never shadowed by a stale compile.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { compileProfile, compiledProfilePath } from '../dist/engine/loadRules.js';

for (const name of readdirSync('rules').filter((f) => f.endsWith('.yaml'))) {
  const file = new URL(`../rules/${name}`, import.meta.url).pathname;
  const out = compiledProfilePath(file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(compileProfile(file)) + '\n');
}
