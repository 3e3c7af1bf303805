import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { PLATFORM_NAME, partProbes, whyPartMissing } from './mgmtShared.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    minimumDotNetMajor: z.number().int().positive().describe('.NET Framework major version XenCenter needs'),
  })
  .strict();
export type MgmtXencenterParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

export const mgmtXencenter: HostCheck<MgmtXencenterParams> = {
  name: 'mgmt-xencenter',
  scope: 'host',
  description: 'XenCenter is installed on the management computer (a Windows program; .NET Framework 2.0 or later)',
  params: Params,
  probes: ['windows.reg-uninstall', 'windows.folders', 'windows.reg-dotnet'],
  evaluate({ facts }, p) {
    const expected = `XenCenter installed (Windows, .NET Framework ${p.minimumDotNetMajor}.0 or later)`;
    const sw = facts.software;
    const probes = partProbes(facts, 'software');
    if (!sw) return { status: 'error', observed: 'installed software not known', expected, message: `Cannot tell whether XenCenter is installed: ${whyPartMissing(facts, 'software')}.`, probes };
    if (sw.platform !== 'windows') {
      return {
        status: 'fail',
        observed: `a ${PLATFORM_NAME[sw.platform]} computer: XenCenter (a Windows .NET program) cannot be installed here`,
        expected,
        message: `XenCenter runs only on Windows. Manage the XenServer hosts from a Windows computer or virtual machine with XenCenter, or use the xe command line (over ssh to the pool master); the eAC itself only needs a Flash-enabled browser.`,
        probes: [],
      };
    }
    if (!sw.xenCenter) return { status: 'error', observed: 'installed programs not known', expected, message: `Cannot tell whether XenCenter is installed: ${whyPartMissing(facts, 'software')}.`, probes };
    const net = sw.dotNetVersions;
    const netText = net === undefined ? '.NET Framework versions not known' : net.length ? `.NET Framework ${net.join(', ')}` : 'no .NET Framework';
    if (!sw.xenCenter.installed) {
      return { status: 'fail', observed: `XenCenter not found (Add or Remove Programs, Program Files\\Citrix\\XenCenter); ${netText}`, expected, message: 'XenCenter is not installed: install it from the XenServer CD (client_install\\XenCenter.msi).', probes };
    }
    const observed = `XenCenter${sw.xenCenter.version ? ` ${sw.xenCenter.version}` : ''} installed${sw.xenCenter.where ? ` in ${sw.xenCenter.where}` : ''}; ${netText}`;
    if (net !== undefined && !net.some((v) => Number(/^(\d+)/.exec(v)?.[1] ?? 0) >= p.minimumDotNetMajor)) {
      return { status: 'fail', observed, expected, message: `XenCenter is installed but no .NET Framework ${p.minimumDotNetMajor}.0 or later was found: install the .NET Framework ${p.minimumDotNetMajor}.0 (or later) from Microsoft.`, probes };
    }
    return { status: 'pass', observed, expected, message: `XenCenter is installed${net === undefined ? ' (the .NET Framework version could not be read)' : ''}.`, probes };
  },
};
