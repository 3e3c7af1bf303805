import { z } from 'zod';
import type { Status } from '../engine/types.js';
import type { BrowserFacts, FlashPlayerFacts } from '../facts/schema.js';
import { listing } from './formatUnits.js';
import { partProbes, whyPartMissing } from './mgmtShared.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    minimumFlashMajor: z.number().int().positive().describe('oldest Flash Player major version the eAC accepts'),
    require32BitOn64BitOs: z.boolean().describe('the guide asks for a 32-bit browser on a 64-bit operating system'),
  })
  .strict();
export type MgmtBrowserParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'error'];

const KIND_NAME = { activex: 'ActiveX', npapi: 'NPAPI plug-in', ppapi: 'PPAPI plug-in' } as const;

export const mgmtBrowser: HostCheck<MgmtBrowserParams> = {
  name: 'mgmt-browser',
  scope: 'host',
  description: 'a web browser with a Flash Player it can load (kind and word size matching, version at least the minimum), 32-bit on a 64-bit OS',
  params: Params,
  probes: ['windows.reg-browsers', 'windows.reg-flash', 'windows.folders', 'linux.browsers', 'linux.flash', 'macos.browsers', 'macos.flash'],
  evaluate({ facts }, p) {
    const osBits = facts.computer?.os?.bits;
    const expected = `a browser with Flash Player ${p.minimumFlashMajor} or later it can load${p.require32BitOn64BitOs ? '; on a 64-bit OS a 32-bit browser' : ''}`;
    const b = facts.browsers;
    const probes = partProbes(facts, 'browsers');
    if (!b) return { status: 'error', observed: 'browsers not known', expected, message: `Cannot list the web browsers: ${whyPartMissing(facts, 'browsers')}.`, probes };
    const players = b.flashPlayers;
    const playerText = (x: FlashPlayerFacts) => `Flash Player ${x.version ?? '(version not known)'} ${KIND_NAME[x.kind]}${x.bits ? ` ${x.bits}-bit` : ''}`;
    const observed =
      `browsers: ${b.browsers.length ? b.browsers.map((x) => `${x.name}${x.version ? ` ${x.version}` : ''}${x.bits ? ` (${x.bits}-bit)` : ''}`).join(', ') : 'none found'}; ` +
      `Flash Player: ${players.length ? players.map(playerText).join(', ') : 'none found'}${osBits ? `; ${osBits}-bit OS` : ''}`;

    const usable = (br: BrowserFacts): { ok: FlashPlayerFacts[]; why: string } => {
      if (br.flashRemoved) return { ok: [], why: br.flashRemoved };
      if (!br.flashPlugins.length) return { ok: [], why: 'a browser preflight does not know to load Flash' };
      const kinds = players.filter((x) => br.flashPlugins.includes(x.kind));
      if (!kinds.length) return { ok: [], why: `no ${br.flashPlugins.map((k) => KIND_NAME[k]).join('/')} Flash Player is installed` };
      const sized = kinds.filter((x) => x.bits === undefined || br.bits === undefined || x.bits === br.bits);
      if (!sized.length) return { ok: [], why: `its Flash Player is ${kinds.map((x) => `${x.bits}-bit`).join('/')}, the browser ${br.bits}-bit` };
      const recent = sized.filter((x) => {
        const m = /^(\d+)/.exec(x.version ?? '');
        return m === null || Number(m[1]) >= p.minimumFlashMajor;
      });
      if (!recent.length) return { ok: [], why: `its Flash Player (${sized.map((x) => x.version).join(', ')}) is older than ${p.minimumFlashMajor}` };
      return { ok: recent, why: '' };
    };
    const judged = b.browsers.map((br) => ({ br, ...usable(br) }));
    const flashBrowsers = judged.filter((j) => j.ok.length);
    const named = (j: (typeof judged)[number]) => `${j.br.name}${j.br.version ? ` ${j.br.version}` : ''}${j.br.bits ? ` (${j.br.bits}-bit)` : ''}`;
    if (!flashBrowsers.length) {
      const why = judged.length ? judged.map((j) => `${named(j)}: ${j.why}`).join('; ') : 'no browser was found';
      const packages = !players.length && b.flashPackages?.length ? ` The Flash package${b.flashPackages.length === 1 ? '' : 's'} ${listing(b.flashPackages)} ${b.flashPackages.length === 1 ? 'is' : 'are'} installed, but no plug-in file is in place (these packages downloaded it from Adobe, which stopped distributing it).` : '';
      return {
        status: 'fail',
        observed,
        expected,
        message: `No browser here can show the eAC, which needs Flash Player ${p.minimumFlashMajor} or later: ${why}.${packages} Flash Player reached end of life on 31 December 2020; see the remediation.`,
        probes,
      };
    }
    const unknownVersion = flashBrowsers.filter((j) => j.ok.every((x) => x.version === undefined));
    const versionNote = unknownVersion.length ? ` The Flash Player version of ${listing(unknownVersion.map(named))} could not be read: check it is ${p.minimumFlashMajor} or later.` : '';
    if (p.require32BitOn64BitOs && osBits === 64) {
      const thirtyTwo = flashBrowsers.filter((j) => j.br.bits === 32);
      if (!thirtyTwo.length) {
        const unknown = flashBrowsers.filter((j) => j.br.bits === undefined);
        return {
          status: 'warn',
          observed,
          expected,
          message: unknown.length
            ? `${listing(flashBrowsers.map(named))} can load Flash, but whether ${unknown.length === 1 ? 'it is' : 'they are'} 32-bit is not known; the guide asks for a 32-bit browser on a 64-bit OS.${versionNote}`
            : `Only 64-bit browsers can load Flash here (${listing(flashBrowsers.map(named))}); on a 64-bit OS the guide asks for a 32-bit browser (64-bit Flash Player did not exist when it was written). Use a 32-bit browser with 32-bit Flash Player.${versionNote}`,
          probes,
        };
      }
      return { status: 'pass', observed, expected, message: `${listing(thirtyTwo.map(named))} can load ${listing([...new Set(thirtyTwo.flatMap((j) => j.ok.map(playerText)))])}.${versionNote}`, probes };
    }
    return { status: 'pass', observed, expected, message: `${listing(flashBrowsers.map(named))} can load ${listing([...new Set(flashBrowsers.flatMap((j) => j.ok.map(playerText)))])}${osBits === undefined ? ' (the OS word size is not known)' : ''}.${versionNote}`, probes };
  },
};
