// The project's test command (npm test): build (the end-to-end tests run the built CLI), then
// vitest with a JSON report, then the plain summary line CI reads ("N passed, N failed, N skipped").
// The exit code is non-zero when the build or any test failed.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

// The build (src -> dist), then a type check of the tests too: vitest only strips types.
for (const [config, what] of [['tsconfig.json', 'the TypeScript build'], ['tsconfig.test.json', 'the type check of the tests']]) {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', config], { stdio: 'inherit' });
  if (tsc.status !== 0) {
    process.stdout.write(`\nrun-tests: ${what} failed\n0 passed, 1 failed, 0 skipped\n`);
    process.exit(1);
  }
}
// The rest of `npm run build`: the bundled profiles compiled to JSON (what the built CLI reads),
// and the bundled CLI bin/preflight.js runs, so the end-to-end tests exercise what users run.
for (const [script, what] of [['scripts/compile-profiles.mjs', 'compiling the rule profiles'], ['scripts/build-bundle.mjs', 'bundling the CLI']]) {
  const step = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (step.status !== 0) {
    process.stdout.write(`\nrun-tests: ${what} failed\n0 passed, 1 failed, 0 skipped\n`);
    process.exit(1);
  }
}

const resultsFile = '.vitest-results.json';
rmSync(resultsFile, { force: true });
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  skipped = r.numPendingTests + (r.numTodoTests ?? 0);
  // A file that fails to load has no test counted: count it as a failure so it cannot hide.
  failed += (r.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
} catch {
  failed = Math.max(failed, 1);
  process.stderr.write(`run-tests: no ${resultsFile} from vitest (exit ${run.status})\n`);
}
if (passed + failed === 0) failed = 1; // a run that tested nothing is not a green run
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(run.status === 0 && failed === 0 ? 0 : run.status || 1);
