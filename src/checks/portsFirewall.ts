import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { judgePort } from './firewallPath.js';
import { listing } from './formatUnits.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    eacPort: z.number().int().min(1).max(65534).describe('first eAC TCP port; everRun uses it and the next one (installer --port=n)'),
    tcpPorts: z.array(z.number().int().min(1).max(65535)).describe('other TCP ports to let in: 443 (XenCenter HTTPS), 22 (ssh), 5900 (VNC)'),
    udpPorts: z.array(z.number().int().min(1).max(65535)).describe('UDP ports to let in: 2188 (quorum service to host)'),
  })
  .strict();
export type PortsFirewallParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'error'];

const PROBES = ['firewall.ip-tables-names', 'firewall.iptables-save', 'firewall.nft'];

interface PortJudgement {
  label: string;
  port: number;
  protocol: 'tcp' | 'udp';
  verdict: 'accepted' | 'blocked' | 'conditional';
  rule?: string;
  chainPath: string[];
}

export const portsFirewall: HostCheck<PortsFirewallParams> = {
  name: 'ports-firewall',
  scope: 'host',
  description: 'the local firewall (iptables filter INPUT path) lets in the ports XenCenter and everRun use',
  params: Params,
  probes: PROBES,
  evaluate({ facts }, p) {
    const eacPorts = [p.eacPort, p.eacPort + 1];
    const wanted = [
      ...[...p.tcpPorts, ...eacPorts].map((port) => ({ protocol: 'tcp' as const, port })),
      ...p.udpPorts.map((port) => ({ protocol: 'udp' as const, port })),
    ];
    const list = wanted.map((w) => `${w.protocol.toUpperCase()} ${w.port}`).join(', ');
    const expected = `incoming ${list} accepted by the host firewall (TCP ${eacPorts.join(' and ')} are opened by the everRun installer itself)`;
    const fw = facts.firewall;
    if (!fw || fw.backend === 'unknown') {
      return {
        status: 'error',
        observed: 'firewall state not known',
        expected,
        message: `Cannot read the firewall rules: ${whyMissing(facts, PROBES)}. Run "iptables-save" as root.`,
      };
    }
    if (fw.backend === 'none') {
      return { status: 'pass', observed: 'no firewall is active (no iptables filter rules, and no nftables input chain that can refuse a packet)', expected, message: 'No firewall is active, so nothing blocks these ports.' };
    }
    if (fw.backend === 'nftables') {
      return {
        status: 'error',
        observed: 'an nftables ruleset with an input hook is active',
        expected,
        message: `preflight does not evaluate nftables rules: check by hand with "nft list ruleset" that the input chain accepts ${list}.`,
      };
    }
    if (!fw.filter) {
      return {
        status: 'error',
        observed: 'iptables is in use but its filter table was not readable',
        expected,
        // When iptables-save ran but showed other tables (iptables-nft over legacy rules), its problem
        // already says what to run instead; "run iptables-save" would send the operator in a circle.
        message: `Cannot read the iptables filter table: ${whyMissing(facts, ['firewall.iptables-save'])}.${facts.probes['firewall.iptables-save']?.status === 'ok' ? '' : ' Run "iptables-save" as root.'}`,
      };
    }
    const judged: PortJudgement[] = wanted.map((w) => ({ ...w, label: `${w.protocol.toUpperCase()} ${w.port}`, ...judgePort(fw.filter!, w.protocol, w.port) }));
    const describe = (j: PortJudgement) =>
      `${j.label} ${j.verdict}${j.rule ? ` by "${j.rule}"` : ''}${j.chainPath.length ? ` (${j.chainPath.join(' -> ')})` : ''}`;
    const observed = judged.map(describe).join('; ');
    const blocked = judged.filter((j) => j.verdict === 'blocked');
    const conditional = judged.filter((j) => j.verdict === 'conditional');
    const conditionalNote = conditional.length
      ? ` ${listing(conditional.map((j) => j.label))} ${conditional.length === 1 ? 'is' : 'are'} accepted only under conditions (source, interface or state matches): check ${conditional.length === 1 ? 'it covers' : 'they cover'} XenCenter and the quorum computers.`
      : '';
    // Native nftables chains on the input hook filter the same packets after (or before) iptables:
    // an iptables ACCEPT is then not the last word, so nothing better than warn can be said.
    const nftNote = fw.nftRuleset
      ? ` An nftables ruleset also filters incoming traffic and preflight does not evaluate it: check with "nft list ruleset" that its input chain accepts ${list}.`
      : '';
    if (blocked.length) {
      const onlyEac = blocked.every((j) => j.protocol === 'tcp' && eacPorts.includes(j.port));
      const eacNote = onlyEac
        ? ` Only the eAC ports are blocked, and the everRun installer opens TCP ${eacPorts.join(' and ')} in iptables itself (guide, Appendix A), so this is expected before installation.`
        : '';
      return {
        status: 'fail',
        observed,
        expected,
        message: `The firewall blocks ${blocked.map((j) => `${j.label} (${j.rule ? `rule "${j.rule}"` : `policy of ${j.chainPath[j.chainPath.length - 1] ?? 'INPUT'}`})`).join(', ')}: add ACCEPT rules before it (e.g. "-A RH-Firewall-1-INPUT -m state --state NEW -m tcp -p tcp --dport 443 -j ACCEPT" in /etc/sysconfig/iptables, then "service iptables restart").${eacNote}${conditionalNote}${nftNote}`,
      };
    }
    if (conditional.length || nftNote) {
      return { status: 'warn', observed, expected, message: `No port is blocked outright by iptables.${conditionalNote}${nftNote}` };
    }
    return { status: 'pass', observed, expected, message: 'The firewall accepts every port XenCenter and everRun need.' };
  },
};
