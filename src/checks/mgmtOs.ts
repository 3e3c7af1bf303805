import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { listing } from './formatUnits.js';
import { osText, partProbes, whyPartMissing } from './mgmtShared.js';
import type { HostCheck } from './types.js';

const Accepted = z
  .object({
    label: z.string().min(1).describe('how the guide names it, e.g. "Windows XP (SP2 or newer)"'),
    pattern: z.string().min(1).describe('regular expression (case-insensitive) matched against the OS name, e.g. "\\\\bWindows XP\\\\b"'),
    minServicePack: z.number().int().min(0).optional().describe('lowest Windows service pack accepted'),
  })
  .strict();

const Params = z
  .object({
    computer: z.string().min(1).describe('what the machine is, for messages: "management computer" or "quorum service computer"'),
    accepted: z.array(Accepted).min(1).describe('the operating systems the guide lists'),
  })
  .strict()
  .superRefine((p, ctx) => {
    p.accepted.forEach((a, i) => {
      try {
        new RegExp(a.pattern, 'i');
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['accepted', i, 'pattern'], message: `not a regular expression: ${(err as Error).message}` });
      }
    });
  });
export type MgmtOsParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

export const mgmtOs: HostCheck<MgmtOsParams> = {
  name: 'mgmt-os',
  scope: 'host',
  description: 'the operating system of a management or quorum service computer against the ones the guide lists (Windows editions, service pack)',
  params: Params,
  probes: ['windows.systeminfo', 'si.system', 'etc.os-release', 'macos.sysctl'],
  evaluate({ facts }, p) {
    const expected = `one of the operating systems the guide lists for the ${p.computer}: ${listing(p.accepted.map((a) => a.label))}`;
    const os = facts.computer?.os;
    const probes = partProbes(facts, 'os');
    if (!os) {
      return { status: 'error', observed: 'operating system not known', expected, message: `Cannot tell the operating system: ${whyPartMissing(facts, 'os')}.`, probes };
    }
    const observed = `${osText(facts)} (from ${os.source})`;
    const match = p.accepted.find((a) => new RegExp(a.pattern, 'i').test(os.name));
    if (!match) {
      return {
        status: 'fail',
        observed,
        expected,
        message: `${os.name} is not one of the operating systems the guide lists for the ${p.computer} (${listing(p.accepted.map((a) => a.label))}); everRun 6.0 was not qualified with it.`,
        probes,
      };
    }
    if (match.minServicePack !== undefined) {
      if (os.servicePack === undefined) {
        return { status: 'pass', observed, expected, message: `${os.name} is listed (${match.label}); the service pack could not be read, check that it is Service Pack ${match.minServicePack} or newer.`, probes };
      }
      if (os.servicePack < match.minServicePack) {
        return {
          status: 'fail',
          observed,
          expected,
          message: `${os.name} has ${os.servicePack ? `Service Pack ${os.servicePack}` : 'no service pack'}; the guide asks for ${match.label}: install Service Pack ${match.minServicePack} or newer.`,
          probes,
        };
      }
    }
    return { status: 'pass', observed, expected, message: `${os.name} is listed by the guide (${match.label}).`, probes };
  },
};
