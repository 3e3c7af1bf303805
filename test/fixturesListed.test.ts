import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every real capture must say where it came from: each fixture folder's README lists each file. */
const ROOT = 'test/fixtures';
const folders = readdirSync(ROOT).filter((d) => statSync(join(ROOT, d)).isDirectory());

describe('test/fixtures: every file is listed with its source in its folder README', () => {
  for (const folder of folders) {
    it(folder, () => {
      const readme = join(ROOT, folder, 'README.md');
      expect(existsSync(readme), `${readme} is missing`).toBe(true);
      const text = readFileSync(readme, 'utf8');
      const unlisted = readdirSync(join(ROOT, folder)).filter((f) => f !== 'README.md' && !text.includes(f));
      expect(unlisted, `not listed in ${readme}`).toEqual([]);
    });
  }
});
