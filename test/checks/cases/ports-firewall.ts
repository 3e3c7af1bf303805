import type { FirewallRuleFacts } from '../../../src/facts/schema.js';
import type { CheckCase } from '../caseTable.js';
import { absent, chain, failed, fwRule, hostFacts, iptables } from '../hostFacts.js';

const RH = 'RH-Firewall-1-INPUT';
const accept = (port: number, protocol: 'tcp' | 'udp' = 'tcp') => fwRule(RH, { protocol, dport: port, target: 'ACCEPT' });

/**
 * XenServer's stock /etc/sysconfig/iptables (test/fixtures/iptables/xcpng-release-spec-default-
 * sysconfig-iptables-patch.txt): INPUT jumps to RH-Firewall-1-INPUT, which accepts ssh, http and
 * https for new connections and ends with a REJECT. `extra` rules go in before the REJECT.
 */
function xenServerStock(extra: FirewallRuleFacts[] = []) {
  return iptables([
    chain('INPUT', 'ACCEPT', [fwRule('INPUT', { target: RH })]),
    chain('FORWARD', 'ACCEPT', [fwRule('FORWARD', { target: RH })]),
    chain('OUTPUT', 'ACCEPT', []),
    chain(RH, undefined, [
      fwRule(RH, { inInterface: 'lo', target: 'ACCEPT' }),
      fwRule(RH, { protocol: 'icmp', matches: '--icmp-type any', target: 'ACCEPT' }),
      fwRule(RH, { states: ['ESTABLISHED', 'RELATED'], target: 'ACCEPT' }),
      fwRule(RH, { protocol: 'udp', dport: 694, states: ['NEW'], target: 'ACCEPT' }),
      fwRule(RH, { protocol: 'tcp', dport: 22, states: ['NEW'], target: 'ACCEPT' }),
      fwRule(RH, { protocol: 'tcp', dport: 80, states: ['NEW'], target: 'ACCEPT' }),
      fwRule(RH, { protocol: 'tcp', dport: 443, states: ['NEW'], target: 'ACCEPT' }),
      ...extra,
      fwRule(RH, { target: 'REJECT', targetOptions: '--reject-with icmp-host-prohibited' }),
    ]),
  ]);
}

export const cases: CheckCase[] = [
  {
    name: 'pass: iptables loaded, INPUT policy ACCEPT and no rules',
    facts: hostFacts({ firewall: iptables([chain('INPUT', 'ACCEPT', []), chain('FORWARD', 'ACCEPT', []), chain('OUTPUT', 'ACCEPT', [])]) }),
    status: 'pass',
    message: /accepts every port XenCenter and everRun need/,
  },
  {
    // The stock rules plus what the guide (Appendix A) and the everRun installer add: all let in.
    name: 'pass: stock XenServer rules with ACCEPTs for 5900, 8080, 8081 and UDP 2188 before the REJECT',
    facts: hostFacts({ firewall: xenServerStock([accept(5900), accept(8080), accept(8081), accept(2188, 'udp')]) }),
    status: 'pass',
  },
  {
    name: 'pass: no firewall active',
    facts: hostFacts({ firewall: { backend: 'none' } }),
    status: 'pass',
    observed: /no firewall is active/,
  },
  {
    name: 'fail: INPUT accepts only TCP 22 and 443, then REJECTs: 5900, 8080, 8081 and UDP 2188 blocked',
    facts: hostFacts({
      firewall: iptables([
        chain('INPUT', 'ACCEPT', [
          fwRule('INPUT', { protocol: 'tcp', dport: 22, target: 'ACCEPT' }),
          fwRule('INPUT', { protocol: 'tcp', dport: 443, target: 'ACCEPT' }),
          fwRule('INPUT', { target: 'REJECT', targetOptions: '--reject-with icmp-port-unreachable' }),
        ]),
      ]),
    }),
    status: 'fail',
    observed: /TCP 443 accepted.*TCP 22 accepted.*TCP 5900 blocked/,
    message: /^(?!.*TCP 443 )(?!.*TCP 22 ).*The firewall blocks TCP 5900 .*TCP 8080 .*TCP 8081 .*UDP 2188 /,
  },
  {
    // Fresh XenServer before everRun: only 22/80/443 open; VNC, the eAC ports and quorum are rejected.
    name: 'fail: stock XenServer rules reject 5900, 8080, 8081 and UDP 2188',
    facts: hostFacts({ firewall: xenServerStock() }),
    status: 'fail',
    observed: /TCP 5900 blocked.*TCP 8080 blocked.*TCP 8081 blocked.*UDP 2188 blocked/,
    message: /The firewall blocks TCP 5900 .*TCP 8080 .*TCP 8081 .*UDP 2188 .*REJECT/,
  },
  {
    // Before installation only the eAC ports are closed: the installer opens them itself.
    name: 'fail: only 8080/8081 blocked, and the message says the installer opens them',
    facts: hostFacts({ firewall: xenServerStock([accept(5900), accept(2188, 'udp')]) }),
    status: 'fail',
    message: /Only the eAC ports are blocked, and the everRun installer opens TCP 8080 and 8081/,
  },
  {
    // Quorum traffic let in only from the quorum computers' subnet: fine if that is the right subnet.
    name: 'warn: UDP 2188 accepted only from 10.0.9.0/24 (conditional)',
    facts: hostFacts({ firewall: xenServerStock([accept(5900), accept(8080), accept(8081), fwRule(RH, { source: '10.0.9.0/24', protocol: 'udp', dport: 2188, target: 'ACCEPT' })]) }),
    status: 'warn',
    observed: /UDP 2188 conditional/,
    message: /No port is blocked outright.*UDP 2188 is accepted only under conditions/,
  },
  {
    // iptables-nft and a native nftables table (e.g. firewalld) both hook input: iptables is not the last word.
    name: 'warn: iptables accepts everything, but an nftables ruleset also filters input',
    facts: hostFacts({ firewall: { ...iptables([chain('INPUT', 'ACCEPT', [])]), nftRuleset: true } }),
    status: 'warn',
    message: /nftables ruleset also filters incoming traffic.*nft list ruleset/,
  },
  {
    name: 'error: firewall state unknown (iptables-save needs root)',
    facts: hostFacts({ probes: { 'firewall.iptables-save': failed('iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)') }, firewall: { backend: 'unknown' } }),
    status: 'error',
    message: /Cannot read the firewall rules: .*\(run as root\)/,
  },
  {
    name: 'error: nftables ruleset with an input hook is not evaluated',
    facts: hostFacts({ firewall: { backend: 'nftables', nftRuleset: true } }),
    status: 'error',
    message: /does not evaluate nftables rules: check by hand with "nft list ruleset"/,
  },
  {
    name: 'error: iptables in use but its filter table unreadable',
    facts: hostFacts({ probes: { 'firewall.iptables-save': absent('iptables-save: not installed') }, firewall: { backend: 'iptables', loadedTables: ['filter'] } }),
    status: 'error',
    message: /Cannot read the iptables filter table: iptables-save: not installed/,
  },
];
