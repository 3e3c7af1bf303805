/**
 * Which interfaces a configuration applies to, when it names them by pattern or MAC address rather
 * than by name: systemd-networkd `[Match] Name=en* MACAddress=...`, netplan `match: {name, macaddress}`.
 * Patterns are resolved against the interfaces the host actually has, so a glob becomes real names
 * instead of a guess.
 */

export interface KnownInterface {
  name: string;
  mac?: string;
}

export interface InterfaceSelector {
  /** Names or shell globs (`*`, `?`, `[...]`); any one may match. */
  names?: string[];
  /** MAC addresses; any one may match. With names, both must match (networkd and netplan agree). */
  macs?: string[];
}

const GLOB_CHARS = /[*?[]/;

export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/** Shell-style glob to an anchored regular expression. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function nameMatches(name: string, pattern: string): boolean {
  if (!isGlob(pattern)) return name === pattern;
  try {
    return globToRegExp(pattern).test(name);
  } catch {
    // A malformed class such as [z-a]: nothing matches it.
    return false;
  }
}

/**
 * Interface names the selector picks. A literal name counts even when the host has no such
 * interface (the configuration still says what it would do); globs and MACs only pick known ones.
 */
export function selectInterfaces(selector: InterfaceSelector, known: KnownInterface[]): string[] {
  const names = selector.names ?? [];
  const macs = (selector.macs ?? []).map((m) => m.toLowerCase());
  const out = new Set<string>();
  if (macs.length > 0) {
    for (const k of known) {
      if (k.mac === undefined || !macs.includes(k.mac.toLowerCase())) continue;
      if (names.length === 0 || names.some((p) => nameMatches(k.name, p))) out.add(k.name);
    }
    return [...out];
  }
  for (const pattern of names) {
    if (!isGlob(pattern)) out.add(pattern);
    else for (const k of known) if (nameMatches(k.name, pattern)) out.add(k.name);
  }
  return [...out];
}
