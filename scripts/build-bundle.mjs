// Part of the build (after tsc): bundles the compiled CLI (dist/cli.js and everything it imports)
// into dist/bundled/preflight.mjs plus lazy chunks beside it, which bin/preflight.js runs. Node 20
// resolves, reads, compiles and links every ES module on its own: a local scan loaded ~270 of
// them, nearly half of its run (bench/PROFILE.md). The bundle is a handful of files. Commands
// and renderers keep loading lazily: each dynamic import() of the CLI becomes its own chunk.
//
// dist/ (the tsc output) stays as it is: the tests import its modules, and bin/preflight.js falls
// back to dist/cli.js when the bundle is missing or older than the tsc output.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const distDir = join(root, 'dist');
// --out DIR: somewhere else than dist/bundled/ (a test builds a private bundle to run it).
const outArg = process.argv.indexOf('--out');
const outDir = outArg > 0 && process.argv[outArg + 1] ? resolve(process.argv[outArg + 1]) : join(distDir, 'bundled');

// Not bundled: ssh2 has optional native add-ons (cpu-features, its own crypto binding) found at run
// time; the others are large, only loaded lazily by one command each, and read files or require()
// modules by computed names (handlebars, systeminformation, ping). They load from node_modules.
const EXTERNAL = ['ssh2', 'cpu-features', 'systeminformation', 'handlebars', 'tar', 'ping'];

/**
 * Our modules find rules/, templates/, dist/rules/ and package.json relative to their own file
 * (`new URL('../../rules/', import.meta.url)`). In the bundle every module's code lands in some
 * file of dist/bundled/, so each module's import.meta.url is replaced by the URL its tsc output
 * has (dist/engine/loadRules.js...), computed from the bundle file's own URL: every relative path
 * resolves exactly as in dist/, wherever the bundle is installed.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(distDir + '/') || args.path.startsWith(outDir + '/')) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const asBuilt = relative(outDir, args.path).split('\\').join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(asBuilt)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

/**
 * zod's namespace export (`z`) carries `z.locales`, error messages in 40 languages: half of zod's
 * 570 KB, parsed on every start though preflight never switches zod's language. The bundle gets
 * the English messages only (zod's default, what preflight prints).
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/node_modules[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)) return undefined;
      return { path: join(dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-locales' };
    });
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

await rm(outDir, { recursive: true, force: true });
const result = await build({
  entryPoints: { preflight: join(distDir, 'cli.js') },
  outdir: outDir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // Bundled CommonJS packages (yaml, picocolors, ipaddr.js) call require() for Node built-ins.
  banner: { js: "import { createRequire as __preflightRequire } from 'node:module';\nconst require = __preflightRequire(import.meta.url);" },
  legalComments: 'none',
  // Less source for V8 to parse on every start (about 40 ms of CPU here); names are kept, so a
  // stack trace (DEBUG=1) still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  metafile: true,
  plugins: [keepModuleUrls, englishOnlyZod],
});
// What went into which file (esbuild's metafile): for `npx esbuild --analyze`-style questions and the test.
await writeFile(join(outDir, 'meta.json'), JSON.stringify(result.metafile));
const outputs = Object.entries(result.metafile.outputs);
const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
process.stderr.write(`build-bundle: ${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB in ${relative(root, outDir)}/\n`);
