import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { byName, nicNamed, physicalNicNames } from './hostNetwork.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z.object({}).strict();
export type NetworkNicsIdenticalParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'skip', 'error'];

const EXPECTED = 'identical NICs where possible: the same driver and PCI vendor:device id on every physical NIC';

export const networkNicsIdentical: HostCheck<NetworkNicsIdenticalParams> = {
  name: 'network-nics-identical',
  scope: 'host',
  description: 'all physical NICs use the same driver and PCI id',
  params: Params,
  probes: ['sys.net', 'ethtool'],
  evaluate({ facts }) {
    const names = physicalNicNames(facts);
    if (!names) {
      return { status: 'error', observed: 'network interfaces not known', expected: EXPECTED, message: `Cannot compare the NICs: ${whyMissing(facts, ['sys.net'])}.` };
    }
    if (names.length < 2) {
      return {
        status: 'skip',
        observed: `${names.length} physical NIC${names.length === 1 ? '' : 's'}`,
        expected: EXPECTED,
        message: 'Fewer than two physical NICs, so there is nothing to compare.',
      };
    }
    const nics = names.sort(byName).map((name) => ({ name, driver: nicNamed(facts, name)?.driver, pciId: nicNamed(facts, name)?.pciId }));
    const identified = nics.filter((n) => n.driver !== undefined || n.pciId !== undefined);
    if (identified.length < 2) {
      return {
        status: 'error',
        observed: `${nics.length} physical NICs, but the driver and PCI id of ${identified.length === 0 ? 'none' : 'only one'} could be read`,
        expected: EXPECTED,
        message: `Cannot compare the NICs: their drivers and PCI ids were not readable (${whyMissing(facts, ['sys.net', 'ethtool'])}). Run "ethtool -i ethN" for each NIC.`,
      };
    }
    const groups = new Map<string, string[]>();
    for (const n of identified) {
      const key = [n.driver ?? 'driver unknown', n.pciId ?? 'PCI id unknown'].join(' ');
      groups.set(key, [...(groups.get(key) ?? []), n.name]);
    }
    const observed = [...groups.entries()].map(([key, members]) => `${members.join(', ')}: ${key}`).join('; ');
    const drivers = new Set(identified.flatMap((n) => (n.driver ? [n.driver] : [])));
    const pciIds = new Set(identified.flatMap((n) => (n.pciId ? [n.pciId] : [])));
    const differ = [drivers.size > 1 ? `drivers (${[...drivers].join(', ')})` : undefined, pciIds.size > 1 ? `PCI ids (${[...pciIds].join(', ')})` : undefined].filter((s) => s !== undefined);
    if (differ.length) {
      return {
        status: 'warn',
        observed,
        expected: EXPECTED,
        message: `The NICs are not identical: their ${differ.join(' and ')} differ. The guide recommends identical NICs where possible; mixed models behave differently under load and failover.`,
      };
    }
    return { status: 'pass', observed, expected: EXPECTED, message: 'All physical NICs are of the same kind.' };
  },
};
