import { z } from 'zod';
import type { Status } from '../engine/types.js';
import type { IpConfigFacts } from '../facts/schema.js';
import { addressHolder, ipv4, isDefaultRoute, mastersOf } from './hostNetwork.js';
import { findManagementInterface } from './managementInterface.js';
import { whyMissing } from './missingFacts.js';
import { NicLayout } from './nicLayout.js';
import type { HostCheck } from './types.js';

const Params = z.object({ layout: NicLayout }).strict();
export type NetworkStaticIpParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

const EXPECTED = 'a static IPv4 address on the management interface: configured static, never DHCP';

export const networkStaticIp: HostCheck<NetworkStaticIpParams> = {
  name: 'network-static-ip',
  scope: 'host',
  description: 'the management interface has a static IPv4 address (configuration, address lifetime, running DHCP clients)',
  params: Params,
  probes: ['xe.pif-list', 'xen.inventory', 'ip.route', 'ip.addr', 'net.ifcfg', 'net.debian-interfaces', 'net.networkmanager', 'net.networkd', 'net.netplan', 'proc.dhcp-clients'],
  evaluate({ facts }, { layout }) {
    const mgmt = findManagementInterface(facts, layout);
    const holder = addressHolder(facts, mgmt.name);
    // Configuration may name the NIC (eth0), its bond or its bridge (xenbr0): all stand for the same address.
    const aliases = [...new Set([mgmt.name, ...mastersOf(facts, mgmt.name), ...(holder ? [holder.name] : [])])];
    const configs = (facts.ipConfig ?? []).filter((c) => aliases.includes(c.interface));
    const dhcpSigns: string[] = [];
    const mode = mgmt.pif?.ipConfigurationMode;
    if (mode && /^dhcp$/i.test(mode)) dhcpSigns.push(`the management PIF's IP configuration mode is ${mode}`);
    for (const c of configs) if (c.method === 'dhcp') dhcpSigns.push(`${c.source} says DHCP for ${c.interface}`);
    const addresses = ipv4(holder);
    for (const a of addresses) if (a.dynamic) dhcpSigns.push(`${a.address}/${a.prefixLength} on ${holder!.name} is dynamic (it has a lease lifetime)`);
    const clients = (facts.dhcpClients ?? []).filter((cmd) => aliases.some((name) => namesInterface(cmd, name)));
    for (const cmd of clients) dhcpSigns.push(`a DHCP client runs for it: ${cmd.trim()}`);
    // A route the DHCP client installed (NetworkManager, networkd and dhclient hooks mark it "proto dhcp").
    for (const r of facts.routes ?? []) {
      if (r.protocol === 'dhcp' && r.device !== undefined && aliases.includes(r.device)) {
        dhcpSigns.push(`the ${isDefaultRoute(r) ? 'default route' : `route to ${r.destination}`} via ${r.device} was installed by DHCP (proto dhcp)`);
      }
    }

    const where = `management interface ${mgmt.name} (found from ${mgmt.via}${holder && holder.name !== mgmt.name ? `; address on ${holder.name}` : ''})`;
    const addressText = addresses.length ? addresses.map((a) => `${a.address}/${a.prefixLength}${a.dynamic ? ' dynamic' : ' permanent'}`).join(', ') : 'no IPv4 address';
    if (dhcpSigns.length) {
      return {
        status: 'fail',
        observed: `${where}: ${addressText}; ${dhcpSigns.join('; ')}`,
        expected: EXPECTED,
        message: `The management interface ${mgmt.name} uses DHCP: give it the static address your network administrator assigned (XenServer: "xe pif-reconfigure-ip uuid=PIF mode=static IP=... netmask=... gateway=... DNS=..."); pool hosts need static addresses.`,
      };
    }
    if (addresses.length === 0) {
      // NICs may come from sysfs alone; only a readable ip.addr proves the NIC really has no address.
      const addressesRead = facts.nics !== undefined && facts.probes['ip.addr']?.status !== 'absent' && facts.probes['ip.addr']?.status !== 'failed';
      const why = addressesRead ? `${mgmt.name} has no IPv4 address` : `the addresses could not be read (${whyMissing(facts, ['ip.addr'])})`;
      return {
        status: 'error',
        observed: `${where}: ${addressesRead ? 'no IPv4 address' : 'addresses not known'}`,
        expected: EXPECTED,
        message: `Cannot judge the management address: ${why}. Check "ip addr show ${holder?.name ?? mgmt.name}" and the interface configuration.`,
      };
    }
    const staticSource = staticConfig(configs, mode);
    if (staticSource) {
      return { status: 'pass', observed: `${where}: ${addressText}; ${staticSource}`, expected: EXPECTED, message: `The management interface ${mgmt.name} has a static address.` };
    }
    const clientsKnown = facts.dhcpClients !== undefined;
    const clientText = clientsKnown ? 'no DHCP client serves it' : `the running DHCP clients could not be listed (${whyMissing(facts, ['proc.dhcp-clients'])})`;
    return {
      status: 'pass',
      observed: `${where}: ${addressText}; no interface configuration found for it, and ${clientText}`,
      expected: EXPECTED,
      message: `No configuration file was found for ${mgmt.name}, but its address is permanent (valid_lft forever)${clientsKnown ? ' and no DHCP client serves it' : ''}, so it is static as far as the running system shows.${clientsKnown ? '' : ` Old DHCP clients leave permanent addresses: check "ps -ef | grep dhc" for one serving ${mgmt.name}.`}`,
    };
  },
};

function staticConfig(configs: IpConfigFacts[], pifMode: string | undefined): string | undefined {
  if (pifMode && /^static$/i.test(pifMode)) return `the management PIF's IP configuration mode is ${pifMode}`;
  const c = configs.find((x) => x.method === 'static');
  return c ? `${c.source} configures it static` : undefined;
}

/** "dhclient ... eth0" or "/var/lib/dhclient/dhclient-eth0.leases" names eth0, but not eth0.100 or eth01. */
function namesInterface(cmd: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_])${escaped}(?![A-Za-z0-9_]|\\.\\d)`).test(cmd);
}

