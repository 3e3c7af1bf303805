import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileProfile, loadProfileYaml } from '../../src/engine/loadRules.js';

/** The built CLI reads the bundled profile from dist/rules/*.json (npm run build); it must be the YAML's twin. */
describe('the compiled bundled profile', () => {
  const yaml = loadProfileYaml('everrun-6.0');

  it('holds exactly the rules the YAML loader resolves', () => {
    const compiled = compileProfile(yaml.file);
    expect(compiled.rules).toEqual(yaml.rules.map(({ origin: _origin, ...r }) => r));
    expect({ name: compiled.name, title: compiled.title, guide: compiled.guide }).toEqual({ name: yaml.name, title: yaml.title, guide: yaml.guide });
  });

  it('was compiled by this build from the current YAML (so the CLI does not fall back to parsing it)', () => {
    const built = JSON.parse(readFileSync('dist/rules/everrun-6.0.json', 'utf8')) as { sourceSha256: string; rules: unknown[] };
    expect(built.sourceSha256).toBe(createHash('sha256').update(readFileSync('rules/everrun-6.0.yaml')).digest('hex'));
    expect(built.rules).toEqual(JSON.parse(JSON.stringify(compileProfile(yaml.file).rules)));
  });
});
