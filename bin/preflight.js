#!/usr/bin/env node
// Entry point: the compiled CLI lives in dist/ (npm run build, done by scripts/setup-debian.sh).
import('../dist/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
    process.stderr.write('preflight: not built yet: run "npm run build" (or scripts/setup-debian.sh) first\n');
    process.exit(2);
  }
  throw err;
});
