import { parseFileLine, type FileType } from './fileType.js';
import { parsed, type ParseResult } from './parseResult.js';
import { keyValue, splitSections } from './sections.js';

/**
 * Parsers for the Linux browser and Flash probes (`linux.browsers`, `linux.flash`,
 * `linux.packages`). The first two frame each item as `==> NAME` followed by `key: value` lines and
 * the output of `file -L`; the third is dpkg-query/rpm rows.
 */

export interface LinuxBrowserProgram {
  /** The command found on the PATH (firefox, chromium, google-chrome, ...). */
  command: string;
  path?: string;
  realPath?: string;
  /** First line of `--version`, e.g. "Mozilla Firefox 115.3.1esr". */
  versionLine?: string;
  /** `file -L` of the command and of the browser's known binaries; the first ELF one is the program. */
  files: FileType[];
}

/** `linux.browsers` */
export function parseLinuxBrowsers(text: string): ParseResult<LinuxBrowserProgram[]> {
  const out: LinuxBrowserProgram[] = [];
  for (const s of splitSections(text)) {
    if (s.name === '') continue;
    const b: LinuxBrowserProgram = { command: s.name, files: [] };
    for (const line of s.lines) {
      const path = keyValue(line, 'path');
      const real = keyValue(line, 'real');
      const version = keyValue(line, 'version');
      if (path !== undefined) b.path = path;
      else if (real !== undefined) {
        if (real) b.realPath = real;
      } else if (version !== undefined) {
        if (version) b.versionLine = version;
      } else {
        const f = parseFileLine(line);
        if (f) b.files.push(f);
      }
    }
    out.push(b);
  }
  return parsed(out);
}

export interface LinuxFlashPlugin {
  path: string;
  realPath?: string;
  kind: 'npapi' | 'ppapi';
  /** "11.2.202.644" (from the "LNX 11,2,202,644" string or PPAPI manifest.json) */
  version?: string;
  file?: FileType;
}

/** `linux.flash` */
export function parseLinuxFlash(text: string): ParseResult<LinuxFlashPlugin[]> {
  const out: LinuxFlashPlugin[] = [];
  const manifests = new Map<string, string>();
  for (const s of splitSections(text)) {
    if (s.name === '') continue;
    if (s.name.endsWith('/manifest.json')) {
      for (const line of s.lines) {
        const v = /"version"\s*:\s*"([^"]+)"/.exec(line);
        if (v) manifests.set(s.name.slice(0, -'/manifest.json'.length), v[1]!);
      }
      continue;
    }
    const name = s.name.split('/').pop() ?? s.name;
    const p: LinuxFlashPlugin = { path: s.name, kind: /pep/i.test(name) ? 'ppapi' : 'npapi' };
    for (const line of s.lines) {
      const real = keyValue(line, 'real');
      if (real !== undefined) {
        if (real) p.realPath = real;
        continue;
      }
      const ver = /^(?:LNX|WIN|MAC) (\d+),(\d+),(\d+),(\d+)$/.exec(line.trim());
      if (ver) {
        p.version = ver.slice(1, 5).join('.');
        continue;
      }
      const f = parseFileLine(line);
      if (f) p.file = f;
    }
    out.push(p);
  }
  for (const p of out) {
    const dir = p.path.slice(0, p.path.lastIndexOf('/'));
    if (p.version === undefined && manifests.has(dir)) p.version = manifests.get(dir)!;
  }
  return parsed(out);
}

export interface LinuxPackage {
  manager: 'dpkg' | 'rpm';
  name: string;
  version: string;
  arch: string;
}

/** `linux.packages`: installed packages only (dpkg also lists known, not-installed ones). */
export function parseLinuxPackages(text: string): ParseResult<LinuxPackage[]> {
  const out: LinuxPackage[] = [];
  let manager: 'dpkg' | 'rpm' | undefined;
  for (const line of text.split(/\r?\n/)) {
    const head = /^== (dpkg|rpm)\s*$/.exec(line);
    if (head) {
      manager = head[1] as 'dpkg' | 'rpm';
      continue;
    }
    if (!manager || line.trim() === '') continue;
    const [name, version, arch, status] = line.split('\t');
    if (!name || !version) continue;
    if (manager === 'dpkg' && !/\binstalled\b/.test(status ?? '') ) continue;
    if (manager === 'dpkg' && /not-installed|config-files/.test(status ?? '')) continue;
    out.push({ manager, name: name.trim(), version: version.trim(), arch: (arch ?? '').trim() });
  }
  return parsed(out);
}
