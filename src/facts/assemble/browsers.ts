import type { Evidence } from '../../collect/evidence.js';
import { parseLinuxBrowsers, parseLinuxFlash, parseLinuxPackages } from '../linuxBrowsers.js';
import { parseMacBundles } from '../macBundles.js';
import { parseRegQuery, regChildren, regKey, regString, type RegKey } from '../regQuery.js';
import type { BrowserFacts, BrowsersFacts, ComputerFacts, FlashKind, FlashPlayerFacts, ParseProblem } from '../schema.js';
import { parseWindowsFolders } from '../windowsFolders.js';
import { parseProbe } from './probeOutput.js';

export interface BrowsersAssembly {
  browsers?: BrowsersFacts;
  problems: ParseProblem[];
}

/**
 * Web browsers and Flash Player on a management computer (Setup Guide, Step 9 and Appendix B: the
 * eAC needs a Flash-enabled browser, Flash Player 9 or later, and a 32-bit browser on a 64-bit OS).
 * Every browser found is reported, with and without Flash; which Flash Player kinds a browser can
 * load, and whether its version still loads Flash at all, are facts about that browser:
 *  - Internet Explorer loads the ActiveX control; Firefox, Safari and old Opera (<= 12) the NPAPI
 *    plug-in; Chromium-based browsers (Chrome, Chromium, Edge, Opera 15+) the PPAPI plug-in.
 *  - Firefox 85, Chrome/Chromium/Edge 88 and Safari 14 no longer load Flash at all.
 */
export function assembleBrowsers(ev: Record<string, Evidence>, computer: ComputerFacts | undefined): BrowsersAssembly {
  const problems: ParseProblem[] = [];
  const platform = computer?.platform;
  if (platform === 'windows') {
    const b = windows(ev, computer?.os?.bits, problems);
    return b ? { browsers: b, problems } : { problems };
  }
  if (platform === 'linux') {
    const b = linux(ev, problems);
    return b ? { browsers: b, problems } : { problems };
  }
  if (platform === 'macos') {
    const b = macos(ev, problems);
    return b ? { browsers: b, problems } : { problems };
  }
  return { problems };
}

// --- what a browser can load ----------------------------------------------------------------------

type Family = BrowserFacts['family'];

function familyOf(text: string): Family {
  const t = text.toLowerCase();
  if (/iexplore|internet explorer/.test(t)) return 'ie';
  if (/msedge|microsoft edge/.test(t)) return 'edge';
  if (/opera/.test(t)) return 'opera';
  if (/firefox|iceweasel|seamonkey|camino|mozilla/.test(t)) return 'firefox';
  if (/chrom|brave|vivaldi/.test(t)) return 'chromium';
  if (/safari|omniweb/.test(t)) return 'safari';
  return 'other';
}

const major = (v: string | undefined) => {
  const m = /^(\d+)/.exec(v ?? '');
  return m ? Number(m[1]) : undefined;
};

function pluginKinds(family: Family, version: string | undefined): FlashKind[] {
  switch (family) {
    case 'ie':
      return ['activex'];
    case 'firefox':
    case 'safari':
      return ['npapi'];
    case 'chromium':
    case 'edge':
      return ['ppapi'];
    case 'opera': {
      const m = major(version);
      return m !== undefined && m <= 12 ? ['npapi'] : ['ppapi'];
    }
    default:
      return [];
  }
}

function flashRemoved(family: Family, name: string, version: string | undefined): string | undefined {
  const m = major(version);
  if (m === undefined) return undefined;
  if (family === 'firefox' && /firefox|iceweasel/i.test(name) && m >= 85) return 'Firefox 85 (January 2021) and later do not load Flash Player';
  if ((family === 'chromium' || family === 'edge') && m >= 88) return `${family === 'edge' ? 'Microsoft Edge' : 'Chrome and Chromium'} 88 (January 2021) and later do not load Flash Player`;
  if (family === 'opera' && m >= 74) return 'Opera 74 (January 2021) and later do not load Flash Player';
  if (family === 'safari' && /safari/i.test(name) && m >= 14) return 'Safari 14 (2020) and later do not load Flash Player';
  return undefined;
}

function browser(name: string, version: string | undefined, bits: 32 | 64 | undefined, path: string | undefined, source: string, familyHint = name): BrowserFacts {
  const family = familyOf(familyHint);
  const removed = flashRemoved(family, name, version);
  return {
    name,
    family,
    ...(version ? { version } : {}),
    ...(bits ? { bits } : {}),
    ...(path ? { path } : {}),
    flashPlugins: pluginKinds(family, version),
    ...(removed ? { flashRemoved: removed } : {}),
    source,
  };
}

function dedupePlayers(players: FlashPlayerFacts[]): FlashPlayerFacts[] {
  const seen = new Map<string, FlashPlayerFacts>();
  for (const p of players) {
    const key = `${p.kind}/${p.bits ?? '?'}/${p.version ?? '?'}`;
    if (!seen.has(key)) seen.set(key, p);
  }
  // A player of unknown version is dropped when the same kind and word size is known with a version.
  return [...seen.values()].filter((p) => p.version !== undefined || ![...seen.values()].some((q) => q !== p && q.kind === p.kind && q.bits === p.bits && q.version !== undefined));
}

// --- Windows ------------------------------------------------------------------------------------

const HKLM = 'HKEY_LOCAL_MACHINE\\SOFTWARE';
const WOW = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node';

function windows(ev: Record<string, Evidence>, osBits: 32 | 64 | undefined, problems: ParseProblem[]): BrowsersFacts | undefined {
  const regRead = parseProbe(ev, 'windows.reg-browsers', parseRegQuery, problems);
  const foldersRead = parseProbe(ev, 'windows.folders', parseWindowsFolders, problems);
  // Without the registered browsers or the install folders, "no browser" would be a guess.
  if (regRead === undefined && foldersRead === undefined) return undefined;
  const reg = regRead ?? [];
  const folders = foldersRead ?? new Map<string, string[]>();
  const flashReg = parseProbe(ev, 'windows.reg-flash', parseRegQuery, problems) ?? [];
  const uninstall = parseProbe(ev, 'windows.reg-uninstall', parseRegQuery, problems) ?? [];
  const programs = uninstallEntries(uninstall);

  const bitsOfPath = (path: string | undefined): 32 | 64 | undefined => {
    if (!path) return undefined;
    if (/\\Program Files \(x86\)\\|\\SysWOW64\\/i.test(path)) return 32;
    if (osBits === 32) return 32;
    if (osBits === 64 && /\\Program Files\\|\\System32\\/i.test(path)) return 64;
    return undefined;
  };

  // Registered browsers (Clients\StartMenuInternet), in both registry views and the user's hive.
  const byPath = new Map<string, BrowserFacts>();
  const roots = [`${HKLM}\\Clients\\StartMenuInternet`, `${WOW}\\Clients\\StartMenuInternet`, 'HKEY_CURRENT_USER\\SOFTWARE\\Clients\\StartMenuInternet'];
  const ieKey = regKey(reg, `${HKLM}\\Microsoft\\Internet Explorer`);
  const ieVersion = regString(ieKey, 'svcVersion') ?? regString(ieKey, 'Version');
  for (const root of roots) {
    for (const k of regChildren(reg, root)) {
      const id = k.path.slice(k.path.lastIndexOf('\\') + 1);
      const caps = regKey(reg, `${k.path}\\Capabilities`);
      const name = regString(k, '') ?? regString(caps, 'ApplicationName') ?? id;
      const command = regString(regKey(reg, `${k.path}\\shell\\open\\command`), '') ?? regString(caps, 'ApplicationIcon');
      const path = command ? exePath(command) : undefined;
      const family = familyOf(`${id} ${name} ${path ?? ''}`);
      const version = family === 'ie' ? ieVersion : programVersion(programs, family, name, path);
      const key = (path ?? id).toLowerCase();
      if (!byPath.has(key)) byPath.set(key, browser(family === 'ie' ? 'Internet Explorer' : name, version, bitsOfPath(path), path, 'windows.reg-browsers', `${id} ${name} ${path ?? ''}`));
    }
  }
  // Internet Explorer on 64-bit Windows comes in both word sizes; the folders say which exist.
  for (const [folder, files] of folders) {
    if (!/\\Internet Explorer$/i.test(folder) || !files.some((f) => /^iexplore\.exe$/i.test(f))) continue;
    const path = `${folder}\\iexplore.exe`;
    if (![...byPath.keys()].includes(path.toLowerCase())) byPath.set(path.toLowerCase(), browser('Internet Explorer', ieVersion, bitsOfPath(path), path, 'windows.folders'));
  }

  // Flash Player: registry (both views), the Macromed\Flash folders, then Add or Remove Programs.
  const players: FlashPlayerFacts[] = [];
  const regPlayers: [string, FlashKind][] = [
    ['Macromedia\\FlashPlayerActiveX', 'activex'],
    ['Macromedia\\FlashPlayerPlugin', 'npapi'],
    ['Macromedia\\FlashPlayerPepper', 'ppapi'],
    ['MozillaPlugins\\@adobe.com/FlashPlayer', 'npapi'],
  ];
  for (const [view, viewBits] of [
    [HKLM, osBits],
    [WOW, 32],
  ] as const) {
    for (const [sub, kind] of regPlayers) {
      const k = regKey(flashReg, `${view}\\${sub}`);
      if (!k) continue;
      const version = regString(k, 'Version');
      const path = regString(k, 'PlayerPath') ?? regString(k, 'Path');
      const bits = bitsOfFlashFile(path) ?? (view === WOW ? 32 : viewBits);
      players.push({ kind, ...(version ? { version: version.replace(/,/g, '.') } : {}), ...(bits ? { bits } : {}), ...(path ? { path } : {}), source: 'windows.reg-flash' });
    }
  }
  for (const [folder, files] of folders) {
    if (!/\\Macromed\\Flash$/i.test(folder)) continue;
    const folderBits = /\\SysWOW64\\/i.test(folder) ? 32 : osBits;
    for (const f of files) {
      const p = flashFile(f);
      if (!p) continue;
      const bits = p.bits ?? folderBits;
      players.push({ kind: p.kind, ...(p.version ? { version: p.version } : {}), ...(bits ? { bits } : {}), path: `${folder}\\${f}`, source: 'windows.folders' });
    }
  }
  for (const p of programs) {
    const m = /^Adobe Flash Player (\d+)\s+(ActiveX|Plugin|NPAPI|PPAPI)/i.exec(p.name);
    if (!m) continue;
    const kind: FlashKind = /activex/i.test(m[2]!) ? 'activex' : /ppapi/i.test(m[2]!) ? 'ppapi' : 'npapi';
    if (players.some((q) => q.kind === kind)) continue;
    players.push({ kind, version: p.version ?? m[1]!, source: 'windows.reg-uninstall' });
  }
  return { platform: 'windows', browsers: [...byPath.values()], flashPlayers: dedupePlayers(players) };
}

/** "C:\Program Files\Mozilla Firefox\firefox.exe" -osint -url "%1"  ->  the program path. */
function exePath(command: string): string | undefined {
  const quoted = /^"([^"]+)"/.exec(command.trim());
  if (quoted) return quoted[1];
  const bare = /^(.*?\.exe)\b/i.exec(command.trim());
  return bare ? bare[1] : command.trim().replace(/,-?\d+$/, '') || undefined;
}

interface Program {
  name: string;
  version?: string;
  location?: string;
}

function uninstallEntries(keys: readonly RegKey[]): Program[] {
  return keys.flatMap((k) => {
    const name = regString(k, 'DisplayName');
    if (!name) return [];
    const version = regString(k, 'DisplayVersion');
    const location = regString(k, 'InstallLocation') ?? regString(k, 'DisplayIcon');
    return [{ name, ...(version ? { version } : {}), ...(location ? { location } : {}) }];
  });
}

function programVersion(programs: Program[], family: Family, name: string, path: string | undefined): string | undefined {
  const dir = path?.slice(0, path.lastIndexOf('\\')).toLowerCase();
  const byDir = dir ? programs.find((p) => p.location && p.location.toLowerCase().replace(/"/g, '').startsWith(dir)) : undefined;
  if (byDir?.version) return byDir.version;
  const word = name.split(/\s+/).find((w) => w.length > 3 && !/^(mozilla|google|microsoft)$/i.test(w)) ?? name;
  const byName = programs.find((p) => familyOf(p.name) === family && p.name.toLowerCase().includes(word.toLowerCase()));
  return byName?.version;
}

function bitsOfFlashFile(path: string | undefined): 32 | 64 | undefined {
  if (!path) return undefined;
  const f = flashFile(path.slice(path.lastIndexOf('\\') + 1));
  return f?.bits ?? (/\\SysWOW64\\/i.test(path) ? 32 : undefined);
}

/**
 * Flash Player files in Macromed\Flash: Flash32_32_0_0_465.ocx / Flash64_... (ActiveX), the old
 * Flash9d.ocx / Flash10a.ocx (ActiveX, 32-bit only then), NPSWF32_... / NPSWF64_... (NPAPI), and
 * pepflashplayer32_... / pepflashplayer64_... (PPAPI).
 */
function flashFile(name: string): { kind: FlashKind; bits?: 32 | 64; version?: string } | undefined {
  const v = (parts: (string | undefined)[]) => (parts.every((p) => p !== undefined) ? parts.join('.') : undefined);
  let m = /^Flash(32|64)_(\d+)_(\d+)_(\d+)_(\d+)\.ocx$/i.exec(name);
  if (m) return { kind: 'activex', bits: Number(m[1]) as 32 | 64, version: v([m[2], m[3], m[4], m[5]])! };
  m = /^Flash(\d+)[a-z]?\.ocx$/i.exec(name);
  if (m) return { kind: 'activex', bits: 32, version: m[1]! };
  m = /^NPSWF(32|64)?(?:_(\d+)_(\d+)_(\d+)_(\d+))?\.dll$/i.exec(name);
  if (m) return { kind: 'npapi', ...(m[1] ? { bits: Number(m[1]) as 32 | 64 } : {}), ...(m[2] ? { version: v([m[2], m[3], m[4], m[5]])! } : {}) };
  m = /^pepflashplayer(32|64)?(?:_(\d+)_(\d+)_(\d+)_(\d+))?\.dll$/i.exec(name);
  if (m) return { kind: 'ppapi', ...(m[1] ? { bits: Number(m[1]) as 32 | 64 } : {}), ...(m[2] ? { version: v([m[2], m[3], m[4], m[5]])! } : {}) };
  return undefined;
}

// --- Linux --------------------------------------------------------------------------------------

function linux(ev: Record<string, Evidence>, problems: ParseProblem[]): BrowsersFacts | undefined {
  const programs = parseProbe(ev, 'linux.browsers', parseLinuxBrowsers, problems);
  const plugins = parseProbe(ev, 'linux.flash', parseLinuxFlash, problems);
  const packages = parseProbe(ev, 'linux.packages', parseLinuxPackages, problems) ?? [];
  if (programs === undefined && plugins === undefined) return undefined;
  const seen = new Set<string>();
  const browsers: BrowserFacts[] = [];
  for (const p of programs ?? []) {
    const elf = p.files.find((f) => f.kind === 'elf');
    const key = elf?.path ?? p.realPath ?? p.path ?? p.command;
    if (seen.has(key)) continue;
    seen.add(key);
    // "Mozilla Firefox 115.3.1esr", "Chromium 156.0.8078.108 built on Debian ...", "Google Chrome 120.0.6099.109"
    const v = p.versionLine ? /^(.*?)\s+v?(\d+(?:\.[\w]+)+)/.exec(p.versionLine) : null;
    const name = v ? v[1]!.trim() : p.command;
    const pkg = packages.find((k) => k.name === p.command || (p.realPath ?? '').includes(`/${k.name}/`));
    const bits = elf?.bits ?? archBits(pkg?.arch);
    browsers.push(browser(name, v?.[2] ?? pkg?.version, bits, elf?.path ?? p.realPath ?? p.path, 'linux.browsers', `${p.command} ${name}`));
  }
  const players: FlashPlayerFacts[] = [];
  const seenPlugins = new Set<string>();
  for (const p of plugins ?? []) {
    const key = p.realPath ?? p.path;
    if (seenPlugins.has(key)) continue;
    seenPlugins.add(key);
    const bits = p.file?.bits;
    players.push({ kind: p.kind, ...(p.version ? { version: p.version } : {}), ...(bits ? { bits } : {}), path: key, source: 'linux.flash' });
  }
  const flashPackages = packages.filter((k) => /flash/i.test(k.name)).map((k) => `${k.name} ${k.version}${k.arch ? ` (${k.arch})` : ''}`);
  return { platform: 'linux', browsers, flashPlayers: dedupePlayers(players), ...(flashPackages.length ? { flashPackages } : {}) };
}

function archBits(arch: string | undefined): 32 | 64 | undefined {
  if (!arch) return undefined;
  if (/^(amd64|x86_64|arm64|aarch64|ppc64el|s390x)$/.test(arch)) return 64;
  if (/^(i386|i586|i686|armhf|armel)$/.test(arch)) return 32;
  return undefined;
}

// --- macOS --------------------------------------------------------------------------------------

function macos(ev: Record<string, Evidence>, problems: ParseProblem[]): BrowsersFacts | undefined {
  const apps = parseProbe(ev, 'macos.browsers', parseMacBundles, problems);
  const plugins = parseProbe(ev, 'macos.flash', parseMacBundles, problems);
  if (apps === undefined && plugins === undefined) return undefined;
  const browsers = (apps ?? []).map((a) => browser(a.name, a.version, a.executable?.bits, a.path, 'macos.browsers'));
  const players = (plugins ?? []).map((p): FlashPlayerFacts => {
    // A universal plug-in (i386 and x86_64) serves 32- and 64-bit browsers alike: no single word size.
    const archs = p.executable?.archs ?? [];
    const universal = archs.some((a) => /64/.test(a)) && archs.some((a) => /^(i386|ppc)$/.test(a));
    const bits = universal ? undefined : p.executable?.bits;
    return { kind: /pepper/i.test(p.name) ? 'ppapi' : 'npapi', ...(p.version ? { version: p.version } : {}), ...(bits ? { bits } : {}), path: p.path, source: 'macos.flash' };
  });
  return { platform: 'macos', browsers, flashPlayers: dedupePlayers(players) };
}
