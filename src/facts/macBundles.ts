import { parseFileLine, type FileType } from './fileType.js';
import { parsed, type ParseResult } from './parseResult.js';
import { keyValue, splitSections } from './sections.js';

/**
 * Parser for the macOS bundle probes (`macos.browsers`, `macos.flash`): per application or
 * plug-in bundle, its CFBundleShortVersionString and `file` of its executable.
 *
 *   ==> /Applications/Firefox.app
 *   version: 3.6.28
 *   /Applications/Firefox.app/Contents/MacOS/firefox-bin: Mach-O universal binary with 2 architectures: [i386:Mach-O executable i386] [ppc:...]
 */
export interface MacBundle {
  path: string;
  /** "Firefox" from /Applications/Firefox.app */
  name: string;
  version?: string;
  executable?: FileType;
}

export function parseMacBundles(text: string): ParseResult<MacBundle[]> {
  const out: MacBundle[] = [];
  for (const s of splitSections(text)) {
    if (s.name === '') continue;
    const name = (s.name.split('/').pop() ?? s.name).replace(/\.(app|plugin)$/, '');
    const b: MacBundle = { path: s.name, name };
    for (const line of s.lines) {
      const v = keyValue(line, 'version');
      if (v !== undefined) {
        if (v) b.version = v;
        continue;
      }
      const f = parseFileLine(line);
      if (f && f.kind === 'mach-o') b.executable = f;
      else if (f && !b.executable) b.executable = f;
    }
    out.push(b);
  }
  return parsed(out);
}
