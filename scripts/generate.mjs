// Writes the generated docs and JSON Schemas (see src/docs/generateDocs.ts). Run after `tsc`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generatedFiles } from '../dist/docs/generateDocs.js';
import { loadProfile } from '../dist/engine/loadRules.js';

for (const f of generatedFiles(loadProfile('everrun-6.0'))) {
  mkdirSync(dirname(f.path), { recursive: true });
  writeFileSync(f.path, f.content);
  process.stdout.write(`wrote ${f.path}\n`);
}
