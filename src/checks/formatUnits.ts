/**
 * Number formatting for observed/expected texts. The guide writes "GB" for both RAM and disks; we
 * state which unit we mean every time: GiB (2^30 bytes) for memory, GB (10^9 bytes) for disks.
 */

export const GiB = 2 ** 30;
export const GB = 1e9;

/** At most two decimals, without trailing zeros: 3.94, 4, 1.5. */
export function num(n: number): string {
  return String(Number(n.toFixed(2)));
}

export function gib(bytes: number): string {
  return `${num(bytes / GiB)} GiB`;
}

export function gb(bytes: number): string {
  return `${num(bytes / GB)} GB`;
}

export function ghz(mhz: number): string {
  return `${num(mhz / 1000)} GHz`;
}

/** "a, b and c" */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
