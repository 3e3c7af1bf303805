import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../src/docs/generateDocs.js';
import { loadProfile } from '../../src/engine/loadRules.js';

/** docs/rules.md and the JSON Schemas are generated from code: the committed copies must match. */
describe('generated files are up to date (run "npm run generate" when this fails)', () => {
  for (const f of generatedFiles(loadProfile('everrun-6.0'))) {
    it(f.path, () => {
      let committed = '';
      try {
        committed = readFileSync(f.path, 'utf8');
      } catch {
        /* missing: the comparison below fails with the whole content as the diff */
      }
      expect(committed).toBe(f.content);
    });
  }
});
