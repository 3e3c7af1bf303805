// Loader hooks for count-modules: appends every module URL loaded to $PREFLIGHT_BENCH_MODLOG.
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (process.env.PREFLIGHT_BENCH_MODLOG) appendFileSync(process.env.PREFLIGHT_BENCH_MODLOG, url + '\n');
  return next(url, context);
}
