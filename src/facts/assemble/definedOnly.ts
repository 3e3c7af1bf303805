/**
 * A copy of `value` without the keys whose value is undefined. Facts omit what is not known rather
 * than carrying `key: undefined`, so JSON reports and bundles show only what was actually read.
 */
export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
