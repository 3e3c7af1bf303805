import { parsed, type ParseResult } from './parseResult.js';
import { splitSections } from './sections.js';

/**
 * Parser for probe `windows.folders`: for each known folder, `==> PATH` and the names `dir /b`
 * printed (none when the folder is missing or empty).
 *
 *   ==> C:\Windows\SysWOW64\Macromed\Flash
 *   Flash32_32_0_0_465.ocx
 *   FlashUtil32_32_0_0_465_ActiveX.exe
 */
export function parseWindowsFolders(text: string): ParseResult<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const s of splitSections(text)) {
    if (s.name === '') continue;
    out.set(s.name, s.lines.map((l) => l.trim()).filter((l) => l !== ''));
  }
  return parsed(out);
}
