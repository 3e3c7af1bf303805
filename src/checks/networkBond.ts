import { z } from 'zod';
import type { Status } from '../engine/types.js';
import type { HostFacts } from '../facts/schema.js';
import { hostPifs, nicNamed, pifForDevice } from './hostNetwork.js';
import { whyMissing } from './missingFacts.js';
import { NicLayout } from './nicLayout.js';
import type { HostCheck } from './types.js';

const Params = z.object({ layout: NicLayout }).strict();
export type NetworkBondParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

export const networkBond: HostCheck<NetworkBondParams> = {
  name: 'network-bond',
  scope: 'host',
  description: 'the management NIC and its bond partner (eth0 and eth4) are members of the same bond (Linux bonding or XenServer bond)',
  params: Params,
  probes: ['sys.net', 'net.bonding', 'xe.pif-list', 'xe.bond-list'],
  evaluate({ facts }, { layout }) {
    const a = layout.management;
    const b = layout.bondPartner;
    const expected = `${a} and ${b} bonded together for the management LAN (needed for XenServer HA)`;
    if (!facts.nics && hostPifs(facts).length === 0) {
      return {
        status: 'error',
        observed: 'network interfaces not known',
        expected,
        message: `Cannot tell whether ${a} and ${b} are bonded: ${whyMissing(facts, ['sys.net', 'xe.pif-list'])}.`,
      };
    }
    const bond = sharedBond(facts, a, b);
    if (bond) {
      return { status: 'pass', observed: `${a} and ${b} are both members of ${bond}`, expected, message: `${a} and ${b} are bonded (${bond}).` };
    }
    const observed = [describe(facts, a), describe(facts, b)].join('; ');
    return {
      status: 'fail',
      observed,
      expected,
      message: `${a} and ${b} are not bonded together: in XenCenter select the master host, NICs tab, Create Bond, add NIC 0 and NIC 4, Create (the bond replicates to members; check each member shows "0+4 bonded" as Connected). Only needed if you plan XenServer HA.`,
    };
  },
};

/** Name of the bond both interfaces belong to, or undefined. */
function sharedBond(facts: HostFacts, a: string, b: string): string | undefined {
  const ma = nicNamed(facts, a)?.master;
  const mb = nicNamed(facts, b)?.master;
  if (ma && ma === mb) {
    const master = nicNamed(facts, ma);
    const isBond = master ? master.kind === 'bond' || master.bondSlaves !== undefined : /^bond/.test(ma);
    if (isBond) return master?.bondMode ? `${ma} (mode ${master.bondMode})` : ma;
  }
  const both = facts.nics?.find((n) => n.bondSlaves?.includes(a) && n.bondSlaves.includes(b));
  if (both) return both.bondMode ? `${both.name} (mode ${both.bondMode})` : both.name;
  const pa = pifForDevice(facts, a)?.bondSlaveOf;
  const pb = pifForDevice(facts, b)?.bondSlaveOf;
  if (pa && pa === pb) {
    const master = hostPifs(facts).find((p) => p.bondMasterOf === pa);
    return `the XenServer bond ${master?.device ?? pa}`;
  }
  return undefined;
}

function describe(facts: HostFacts, name: string): string {
  const nic = nicNamed(facts, name);
  const pif = pifForDevice(facts, name);
  if (!nic && !pif) return `${name}: not present`;
  if (nic?.master) return `${name}: member of ${nic.master}`;
  if (pif?.bondSlaveOf) {
    const master = hostPifs(facts).find((p) => p.bondMasterOf === pif.bondSlaveOf);
    return `${name}: member of the XenServer bond ${master?.device ?? pif.bondSlaveOf}`;
  }
  return `${name}: not in a bond`;
}
