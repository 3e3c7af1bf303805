import type { Evidence } from '../../collect/evidence.js';
import { parseRegQuery, regDword, regString, type RegKey } from '../regQuery.js';
import type { ComputerFacts, ParseProblem, SoftwareFacts } from '../schema.js';
import { parseWindowsFolders } from '../windowsFolders.js';
import { parseProbe } from './probeOutput.js';

export interface SoftwareAssembly {
  software?: SoftwareFacts;
  problems: ParseProblem[];
}

/**
 * XenCenter and the .NET Framework on a management computer (Table 4; "Install XenCenter Software
 * on the Management Computer": default folder C:\Program Files\Citrix\XenCenter). XenCenter is a
 * Windows (.NET) program, so on Linux and macOS only the platform is recorded.
 */
export function assembleSoftware(ev: Record<string, Evidence>, computer: ComputerFacts | undefined): SoftwareAssembly {
  const problems: ParseProblem[] = [];
  const platform = computer?.platform;
  if (!platform) return { problems };
  if (platform !== 'windows') return { software: { platform }, problems };
  const uninstall = parseProbe(ev, 'windows.reg-uninstall', parseRegQuery, problems);
  const folders = parseProbe(ev, 'windows.folders', parseWindowsFolders, problems);
  const ndp = parseProbe(ev, 'windows.reg-dotnet', parseRegQuery, problems);
  const software: SoftwareFacts = { platform };
  if (uninstall || folders) {
    const entry = uninstall?.find((k) => /xencenter/i.test(regString(k, 'DisplayName') ?? ''));
    const folder = [...(folders ?? new Map<string, string[]>())].find(([path, files]) => /\\Citrix\\XenCenter$/i.test(path) && files.some((f) => /^XenCenter(Main)?\.exe$/i.test(f)));
    if (entry) {
      const version = regString(entry, 'DisplayVersion');
      const where = regString(entry, 'InstallLocation') ?? folder?.[0];
      software.xenCenter = { installed: true, ...(version ? { version } : {}), ...(where ? { where } : {}) };
    } else if (folder) software.xenCenter = { installed: true, where: folder[0] };
    else software.xenCenter = { installed: false };
  }
  if (ndp) software.dotNetVersions = dotNetVersions(ndp);
  return { software, problems };
}

/**
 * Versions under HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP: v2.0.50727, v3.0, v3.5 (Install=1)
 * and v4\Full (Version 4.x). A key without Install=1 is a leftover, not an installed version.
 */
function dotNetVersions(keys: readonly RegKey[]): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const m = /\\NDP\\(v[\d.]+)(\\Full)?$/i.exec(k.path);
    if (!m) continue;
    const installed = regDword(k, 'Install') === 1 || regDword(k, 'InstallSuccess') === 1;
    if (!installed) continue;
    const version = regString(k, 'Version');
    if (m[1]!.toLowerCase() === 'v4' && !m[2]) continue;
    out.push(version ?? m[1]!.slice(1));
  }
  return [...new Set(out)];
}
