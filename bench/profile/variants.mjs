// Experimental builds of preflight, made under bench/tmp/variants/ from the compiled dist/ (src/
// is never touched), to measure what each proposal in bench/PROFILE.md would save before anyone
// implements it. Each patch is a string replacement on the compiled JS; when the code it expects
// has changed, that variant is reported as unavailable instead of measuring something else.
//
//   base         dist/ as built (node bin/preflight.js)
//   json-profile the rule profile precompiled to JSON (validated once, at build time); yaml is
//                required lazily, only when a YAML file is actually read (site rules, waivers)
//   no-validate  the JSON renderer prints the report without re-validating it with zod
//   bundle       dist/ bundled with rolldown (code-split: html/handlebars stays a separate chunk)
//   all          bundle + json-profile + no-validate
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function buildVariants(root, tmpDir, toolsRoot = root) {
  const base = join(tmpDir, 'variants');
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  // Bundled variants resolve ../../rules/ from <variant>/dist/ to variants/rules.
  symlinkSync(join(root, 'rules'), join(base, 'rules'));
  const out = { base: { cmd: [join(root, 'bin', 'preflight.js')], note: 'dist/ as built' } };

  // The profile, resolved and validated by the real loader once, now.
  const { loadProfile } = await import(pathToFileURL(join(root, 'dist', 'engine', 'loadRules.js')).href);
  const precompiled = join(base, 'everrun-6.0.precompiled.json');
  writeFileSync(precompiled, JSON.stringify(loadProfile('everrun-6.0')));

  const copy = (name) => {
    const dir = join(base, name);
    cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
    symlinkSync(join(root, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(root, 'rules'), join(dir, 'rules'));
    symlinkSync(join(root, 'templates'), join(dir, 'templates'));
    return dir;
  };
  const patch = (file, pairs) => {
    let s = readFileSync(file, 'utf8');
    for (const [from, to] of pairs) {
      if (!s.includes(from)) throw new Error(`${file}: expected code not found: ${from.slice(0, 60)}`);
      s = s.split(from).join(to);
    }
    writeFileSync(file, s);
  };
  const jsonProfile = (dir) => {
    patch(join(dir, 'dist', 'engine', 'loadRules.js'), [['export function loadProfile(nameOrPath) {', 'function loadProfileFromYaml(nameOrPath) {']]);
    writeFileSync(
      join(dir, 'dist', 'engine', 'loadRules.js'),
      readFileSync(join(dir, 'dist', 'engine', 'loadRules.js'), 'utf8') +
        `\nimport { readFileSync as benchReadFileSync } from 'node:fs';\nexport function loadProfile(nameOrPath) {\n  if (nameOrPath === 'everrun-6.0') return JSON.parse(benchReadFileSync(${JSON.stringify(precompiled)}, 'utf8'));\n  return loadProfileFromYaml(nameOrPath);\n}\n`,
    );
    patch(join(dir, 'dist', 'engine', 'yamlFile.js'), [
      ["import { LineCounter, parseDocument, isNode } from 'yaml';", "import { createRequire as benchCreateRequire } from 'node:module';\nlet benchYaml;\nconst yaml = () => (benchYaml ??= benchCreateRequire(import.meta.url)('yaml'));"],
      ['new LineCounter()', 'new (yaml().LineCounter)()'],
      ['parseDocument(text,', 'yaml().parseDocument(text,'],
      ['isNode(node)', 'yaml().isNode(node)'],
    ]);
  };
  const noValidate = (dir) => {
    patch(join(dir, 'dist', 'report', 'json.js'), [['const checked = Report.safeParse(report);', 'const checked = process.env.PREFLIGHT_VALIDATE_REPORT ? Report.safeParse(report) : { success: true, data: report };']]);
  };
  const bundle = async (dir, { lazyYaml = false } = {}) => {
    let rolldown;
    try {
      ({ rolldown } = await import(pathToFileURL(join(toolsRoot, 'node_modules', 'rolldown', 'dist', 'index.mjs')).href));
    } catch {
      throw new Error('rolldown is not in node_modules (it comes with vitest)');
    }
    const b = await rolldown({ input: join(dir, 'dist', 'cli.js'), platform: 'node', external: [/^node:/, 'ssh2', 'cpu-features', ...(lazyYaml ? ['yaml'] : [])], logLevel: 'silent', cwd: toolsRoot });
    await b.write({ dir: join(dir, 'bundle'), format: 'esm', entryFileNames: 'cli.mjs', chunkFileNames: '[name]-[hash].mjs' });
    await b.close();
    // The bundle lives in <dir>/bundle/: ../package.json and ../../rules/ must resolve from there.
    return join(dir, 'bundle', 'cli.mjs');
  };

  const tryVariant = async (name, note, make) => {
    try {
      out[name] = { cmd: [await make()], note };
    } catch (err) {
      out[name] = { unavailable: err.message.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter(Boolean).slice(0, 3).join(' '), note };
    }
  };
  await tryVariant('json-profile', 'profile precompiled to JSON; yaml loaded only for YAML files', async () => {
    const dir = copy('json-profile');
    jsonProfile(dir);
    return join(dir, 'dist', 'cli.js');
  });
  await tryVariant('no-validate', 'JSON report printed without zod re-validation', async () => {
    const dir = copy('no-validate');
    noValidate(dir);
    return join(dir, 'dist', 'cli.js');
  });
  await tryVariant('bundle', 'dist/ bundled into a few ESM chunks (rolldown)', async () => bundle(copy('bundle')));
  await tryVariant('all', 'bundle + json-profile + no-validate', async () => {
    const dir = copy('all');
    jsonProfile(dir);
    noValidate(dir);
    return bundle(dir, { lazyYaml: true });
  });
  for (const v of Object.values(out)) if (v.cmd && !existsSync(v.cmd[0]) && !existsSync(join(root, v.cmd[0]))) v.unavailable = `${v.cmd[0]} was not built`;
  return out;
}
