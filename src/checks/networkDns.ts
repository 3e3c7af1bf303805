import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { pifForDevice } from './hostNetwork.js';
import { findManagementInterface } from './managementInterface.js';
import { whyMissing } from './missingFacts.js';
import { NicLayout } from './nicLayout.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    layout: NicLayout,
    minimumServers: z.number().int().positive().describe('DNS servers needed (the primary)'),
    recommendedServers: z.number().int().positive().describe('DNS servers the guide asks for (primary and secondary)'),
  })
  .strict();
export type NetworkDnsParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'error'];

/** 127.0.0.0/8 and ::1: local stubs and caches, not the primary/secondary servers the guide means. */
function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^0:0:0:0:0:0:0:1$/.test(address);
}

export const networkDns: HostCheck<NetworkDnsParams> = {
  name: 'network-dns',
  scope: 'host',
  description: 'primary and secondary DNS servers are configured (loopback stubs do not count)',
  params: Params,
  probes: ['etc.resolv-conf', 'run.resolved-conf', 'xe.pif-list'],
  evaluate({ facts }, p) {
    const expected = `${p.recommendedServers} DNS servers (primary and secondary) that are not loopback stubs; at least ${p.minimumServers}`;
    let servers = facts.dns?.nameservers;
    let source = facts.dns?.source;
    if (!servers || servers.length === 0) {
      // XenServer keeps the DNS servers on the management PIF as well.
      const pif = pifForDevice(facts, findManagementInterface(facts, p.layout).name);
      if (pif?.dns?.length) {
        servers = pif.dns;
        source = 'the management PIF (xe pif-list)';
      }
    }
    if (!servers) {
      return {
        status: 'error',
        observed: 'DNS configuration not known',
        expected,
        message: `Cannot read the DNS configuration: ${whyMissing(facts, ['etc.resolv-conf', 'xe.pif-list'])}. Check /etc/resolv.conf by hand.`,
      };
    }
    const unique = [...new Set(servers.map((s) => s.trim()).filter((s) => s !== ''))];
    const real = unique.filter((s) => !isLoopback(s));
    const stubs = unique.filter(isLoopback);
    const observed = `${real.length ? real.join(', ') : 'no DNS server'}${stubs.length ? ` (loopback stub${stubs.length === 1 ? '' : 's'} not counted: ${stubs.join(', ')})` : ''}${source ? ` from ${source}` : ''}`;
    if (real.length === 0 && stubs.length > 0) {
      return {
        status: 'error',
        observed,
        expected,
        message: `Only a local stub resolver (${stubs.join(', ')}) is configured and its upstream servers could not be read: run "resolvectl dns" (systemd-resolved) or check the stub's configuration for the primary and secondary servers.`,
      };
    }
    if (real.length < p.minimumServers) {
      return {
        status: 'fail',
        observed,
        expected,
        message: 'No DNS server is configured: set the primary and secondary DNS servers from your network administrator (XenServer: "xe pif-reconfigure-ip ... DNS=primary,secondary", or /etc/resolv.conf).',
      };
    }
    if (real.length < p.recommendedServers) {
      return {
        status: 'warn',
        observed,
        expected,
        message: `Only ${real.length} DNS ${real.length === 1 ? 'server is' : 'servers are'} configured (${real.join(', ')}): add the secondary DNS server so name resolution survives the loss of one.`,
      };
    }
    return { status: 'pass', observed, expected, message: `${real.length} DNS servers are configured.` };
  },
};
