/**
 * Where things live inside a bundle (docs/bundle-format.md):
 *
 *   <root>/manifest.json
 *   <root>/report.json, <root>/report.html
 *   <root>/hosts/<host>/evidence.json
 *   <root>/hosts/<host>/commands/<probe-id>.txt     stdout of a command
 *   <root>/hosts/<host>/commands/<probe-id>.stderr  its stderr, when there was any
 *   <root>/hosts/<host>/files/<path on the host>    a file read as it is (e.g. files/proc/cpuinfo)
 *
 * <root> is the archive's name without .tar.gz, so `tar xzf case-1234.tar.gz` makes one folder.
 */

export const MANIFEST = 'manifest.json';
export const REPORT_JSON = 'report.json';
export const REPORT_HTML = 'report.html';
export const EVIDENCE = 'evidence.json';
/** The site plan (--plan) a bundle's scan used. */
export const PLAN_PATH = 'pool/plan.yaml';

/** The archive's top folder: its base name without .tar.gz / .tgz, in safe characters. */
export function rootNameFor(archive: string): string {
  const base = archive.split(/[\\/]/).pop() ?? 'bundle';
  const stem = base.replace(/\.(?:tar\.gz|tgz|tar)$/i, '');
  return safeSegment(stem || 'bundle');
}

/** One path segment made of [A-Za-z0-9._-], never empty, never "." or "..", never hidden. */
export function safeSegment(name: string): string {
  let s = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_');
  if (s === '') s = 'unnamed';
  return s.slice(0, 100);
}

/** hosts/<segment>, unique among the names already given. */
export function hostDirFor(name: string, taken: Set<string>): string {
  const base = safeSegment(name);
  let dir = base;
  for (let i = 2; taken.has(dir.toLowerCase()); i++) dir = `${base}-${i}`;
  taken.add(dir.toLowerCase());
  return `hosts/${dir}`;
}

/** files/<path> for a file read on the host; undefined when the path is not a plain absolute path. */
export function filePathFor(hostPath: string): string | undefined {
  if (!hostPath.startsWith('/')) return undefined;
  const parts = hostPath.split('/').filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => p === '.' || p === '..' || /[\0\\]/.test(p))) return undefined;
  return `files/${parts.join('/')}`;
}

export function commandPathFor(probeId: string, stream: 'stdout' | 'stderr'): string {
  return `commands/${safeSegment(probeId)}.${stream === 'stdout' ? 'txt' : 'stderr'}`;
}

/** A relative bundle path that stays inside the bundle: no absolute path, no "." / ".." segment. */
export function isSafeRelativePath(p: string): boolean {
  if (p === '' || p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}
