#!/usr/bin/env node
// Entry point. `npm run build` (scripts/setup-debian.sh runs it) compiles src/ to dist/ with tsc and
// bundles that into dist/bundled/preflight.mjs, which starts much faster (a few files to load
// instead of ~270 modules). The bundle is used only when it is at least as new as the tsc output,
// so a plain `tsc` rebuild is never shadowed by a stale bundle; PREFLIGHT_NO_BUNDLE=1 forces dist/.
import { statSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const bundle = new URL('bundled/preflight.mjs', dist);
const compiled = new URL('cli.js', dist);

function mtimeMs(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
}

const bundleTime = process.env.PREFLIGHT_NO_BUNDLE ? undefined : mtimeMs(bundle);
const compiledTime = mtimeMs(compiled);
const entry = bundleTime !== undefined && (compiledTime === undefined || bundleTime >= compiledTime) ? bundle : compiled;

import(entry.href).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(entry.pathname)) {
    process.stderr.write('preflight: not built yet: run "npm run build" (or scripts/setup-debian.sh) first\n');
    process.exit(2);
  }
  throw err;
});
