import { z } from 'zod';
import type { Status } from '../engine/types.js';
import type { HostFacts } from '../facts/schema.js';
import { hostPifs, nicNamed, pifForDevice } from './hostNetwork.js';
import { whyMissing } from './missingFacts.js';
import { layoutNics, NicLayout } from './nicLayout.js';
import type { HostCheck } from './types.js';

const Params = z.object({ layout: NicLayout }).strict();
export type NetworkCarrierParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

type Verdict = 'ok' | 'bad' | 'unknown';

export const networkCarrier: HostCheck<NetworkCarrierParams> = {
  name: 'network-carrier',
  scope: 'host',
  description: 'every NIC of the layout is present and has carrier (link detected), from sysfs and the XenServer PIFs',
  params: Params,
  probes: ['sys.net', 'ip.addr', 'xe.pif-list'],
  evaluate({ facts }, { layout }) {
    const bonded = layout.bondManagement || isBondSlave(facts, layout.bondPartner);
    const wanted = layoutNics(layout, bonded);
    const expected = `carrier (link detected) on ${wanted.map((n) => `${n.name} (${n.role})`).join(', ')}${bonded ? '' : `; ${layout.bondPartner} only when bonded with ${layout.management}`}`;
    if (!facts.nics && hostPifs(facts).length === 0) {
      return {
        status: 'error',
        observed: 'network interfaces not known',
        expected,
        message: `Cannot read the link state of the NICs: ${whyMissing(facts, ['sys.net', 'xe.pif-list'])}. Run "cat /sys/class/net/eth*/carrier" or "xe pif-list params=device,carrier" by hand.`,
      };
    }
    const judged = wanted.map(({ name }) => judge(facts, name));
    const observed = judged.map((j) => j.text).join('; ');
    const bad = judged.filter((j) => j.verdict === 'bad');
    if (bad.length) {
      return {
        status: 'fail',
        observed,
        expected,
        message: `${bad.map((j) => j.text).join('; ')}. Plug in and check each cable (A-links are cabled ${layout.alink1} to ${layout.alink1} and ${layout.alink2} to ${layout.alink2} between the hosts), bring the interfaces up, and verify with "xe pif-param-list uuid=... params=all" (carrier: true).`,
      };
    }
    const unknown = judged.filter((j) => j.verdict === 'unknown');
    if (unknown.length) {
      return {
        status: 'error',
        observed,
        expected,
        message: `Cannot tell whether ${unknown.map((j) => j.name).join(', ')} ${unknown.length === 1 ? 'has' : 'have'} a link: the carrier state was not readable. Run "ethtool ${unknown[0]!.name}" and look for "Link detected".`,
      };
    }
    return { status: 'pass', observed, expected, message: 'Every NIC the layout uses has a link.' };
  },
};

function isBondSlave(facts: HostFacts, name: string): boolean {
  const nic = nicNamed(facts, name);
  const master = nic?.master ? nicNamed(facts, nic.master) : undefined;
  if (master && (master.kind === 'bond' || master.bondSlaves?.includes(name))) return true;
  if (facts.nics?.some((n) => n.bondSlaves?.includes(name))) return true;
  return pifForDevice(facts, name)?.bondSlaveOf !== undefined;
}

function judge(facts: HostFacts, name: string): { name: string; verdict: Verdict; text: string } {
  const nic = nicNamed(facts, name);
  const pif = pifForDevice(facts, name);
  if (!nic && !pif) return { name, verdict: 'bad', text: `${name}: not present` };
  // sysfs is live; xapi's PIF field is its last poll, so it only fills in when sysfs has nothing.
  const carrier = typeof nic?.carrier === 'boolean' ? nic.carrier : pif?.carrier;
  if (carrier === true) return { name, verdict: 'ok', text: `${name}: carrier` };
  if (carrier === false) return { name, verdict: 'bad', text: `${name}: no carrier (cable unplugged or peer down)` };
  if (nic?.adminUp === false || nic?.operstate === 'down') {
    return { name, verdict: 'bad', text: `${name}: administratively down, carrier unknown` };
  }
  return { name, verdict: 'unknown', text: `${name}: carrier unknown` };
}
