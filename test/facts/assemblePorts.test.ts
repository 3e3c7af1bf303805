import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { judgePort } from '../../src/checks/firewallPath.js';
import type { Evidence } from '../../src/collect/evidence.js';
import { assemblePorts } from '../../src/facts/assemble/ports.js';
import { FirewallFacts, ListenerFacts } from '../../src/facts/schema.js';
import { firewallFixture } from './firewallFixtures.js';

const NAMES = 'firewall.ip-tables-names';
const SAVE = 'firewall.iptables-save';
const NFT = 'firewall.nft';

function ev(probe: string, stdout: string, exitCode: number | null = 0, stderr = ''): Evidence {
  return { probe, source: 'test', stdout, stderr, exitCode, durationMs: 1, truncated: false };
}
const evidence = (...items: Evidence[]) => Object.fromEntries(items.map((e) => [e.probe, e]));

// How the probes report a missing file or tool (exit 127, see src/collect/probes.ts).
const namesAbsent = ev(NAMES, '', 127, '/proc/net/ip_tables_names: no such file');
const saveAbsent = ev(SAVE, '', 127, 'iptables-save: not installed');
const nftAbsent = ev(NFT, '', 127, 'nft: not installed');
// Messages observed on the preflight development VM when run as nobody (setpriv --reuid=65534).
const namesDenied = ev(NAMES, '', 1, 'cat: /proc/net/ip_tables_names: Permission denied');
const saveDenied = ev(SAVE, '', 4, 'iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)');

const xcpngLegacy = firewallFixture('preflight-vm-netns-legacy-xcpng-default.txt');
const xcpngNft = firewallFixture('preflight-vm-netns-xcpng-default.txt');

/** Synthetic (hand-written): Debian's stock /etc/nftables.conf as `nft list ruleset` prints it. */
const DEBIAN_STOCK_NFT = 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n\t}\n\tchain output {\n\t\ttype filter hook output priority filter; policy accept;\n\t}\n}\n';
/** Synthetic (hand-written): a firewalld-style input chain that rejects what it does not allow. */
const FIREWALLD_NFT = 'table inet firewalld {\n\tchain filter_INPUT {\n\t\ttype filter hook input priority filter + 10; policy accept;\n\t\tct state { established, related } accept\n\t\ttcp dport 22 accept\n\t\treject with icmpx admin-prohibited\n\t}\n}\n';

function firewallOf(...items: Evidence[]) {
  const result = assemblePorts(evidence(...items));
  expect(() => FirewallFacts.parse(result.firewall)).not.toThrow();
  // The parse above proves the firewall facts are there.
  return { ...result, firewall: result.firewall! };
}

describe('assemblePorts: which firewall is in force', () => {
  it('XenServer Dom0: legacy iptables with the filter table loaded (captures from the netns lab)', () => {
    const { firewall, problems } = firewallOf(ev(NAMES, firewallFixture('preflight-vm-netns-legacy-ip_tables_names.txt')), ev(SAVE, xcpngLegacy), nftAbsent);
    expect(problems).toEqual([]);
    expect(firewall).toMatchObject({ backend: 'iptables', loadedTables: ['filter'] });
    expect(firewall!.nftRuleset).toBeUndefined();
    expect(firewall!.filter!.map((c) => c.name)).toEqual(['INPUT', 'FORWARD', 'OUTPUT', 'RH-Firewall-1-INPUT']);
    expect(judgePort(firewall!.filter!, 'tcp', 22).verdict).toBe('accepted');
    expect(judgePort(firewall!.filter!, 'udp', 2188).verdict).toBe('blocked');
  });

  it('Debian 12 with iptables-nft rules: ip_tables_names is empty, iptables-save "(nf_tables)" shows the rules', () => {
    const { firewall, problems } = firewallOf(ev(NAMES, ''), ev(SAVE, xcpngNft), nftAbsent);
    expect(problems).toEqual([]);
    expect(firewall).toMatchObject({ backend: 'iptables', loadedTables: [] });
    expect(firewall!.filter).toHaveLength(4);
  });

  it('Debian 12 with iptables-nft rules and no ip_tables module at all (file absent)', () => {
    const { firewall } = firewallOf(namesAbsent, ev(SAVE, xcpngNft), nftAbsent);
    expect(firewall).toMatchObject({ backend: 'iptables', loadedTables: ['filter'] });
  });

  it('legacy rules loaded while iptables-save is iptables-nft (captured: empty stdout, warning on stderr): iptables, but the rules are not readable', () => {
    const { firewall, problems } = firewallOf(
      ev(NAMES, firewallFixture('preflight-vm-netns-legacy-ip_tables_names.txt')),
      ev(SAVE, '', 0, firewallFixture('preflight-vm-netns-legacy-present-iptables-save-stderr.txt')),
      nftAbsent,
    );
    expect(firewall).toEqual({ backend: 'iptables', loadedTables: ['filter'] });
    expect(problems).toEqual([{ probe: SAVE, message: expect.stringContaining('iptables-legacy-save') }]);
  });

  it('legacy warning but ip_tables_names unreadable: legacy filter rules may be in force', () => {
    const { firewall, problems } = firewallOf(namesDenied, ev(SAVE, '', 0, firewallFixture('preflight-vm-netns-legacy-present-iptables-save-stderr.txt')), nftAbsent);
    expect(firewall.backend).toBe('iptables');
    expect(firewall.filter).toBeUndefined();
    expect(problems).toHaveLength(1);
  });

  it('fresh network namespace (observed: every probe prints nothing): no firewall', () => {
    const { firewall, problems } = firewallOf(ev(NAMES, ''), ev(SAVE, ''), nftAbsent);
    expect(problems).toEqual([]);
    expect(firewall).toEqual({ backend: 'none', loadedTables: [] });
  });

  it('iptables-nft with an all-ACCEPT, rule-less filter table: no firewall (the table is kept as a fact)', () => {
    // Synthetic: what `iptables -L` leaves behind on iptables-nft.
    const empty = '# Generated by iptables-save v1.8.9 (nf_tables) on Wed Nov 25 06:32:26 2026\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';
    const { firewall } = firewallOf(namesAbsent, ev(SAVE, empty), nftAbsent);
    expect(firewall.backend).toBe('none');
    expect(firewall.filter).toHaveLength(3);
  });

  it('synthetic: Debian\'s stock nftables.conf (policy accept, no rules) is no firewall', () => {
    const { firewall } = firewallOf(namesAbsent, ev(SAVE, ''), ev(NFT, DEBIAN_STOCK_NFT));
    expect(firewall).toEqual({ backend: 'none', loadedTables: [], nftRuleset: false });
  });

  it('synthetic: a firewalld-style nftables input chain and nothing in iptables: nftables', () => {
    const { firewall } = firewallOf(namesAbsent, ev(SAVE, ''), ev(NFT, FIREWALLD_NFT));
    expect(firewall).toEqual({ backend: 'nftables', loadedTables: [], nftRuleset: true });
  });

  it('synthetic combination: iptables-nft rules plus a native nftables chain that rejects: iptables, and nftRuleset says nft filters too', () => {
    const { firewall } = firewallOf(namesAbsent, ev(SAVE, xcpngNft), ev(NFT, FIREWALLD_NFT));
    expect(firewall).toMatchObject({ backend: 'iptables', nftRuleset: true });
    expect(firewall.filter).toHaveLength(4);
  });

  it('brentgroves nft capture (lxd + libvirt\'s iptables-nft tables), iptables-save unreadable: libvirt\'s INPUT only jumps to accepts, lxd only accepts: no firewall', () => {
    const { firewall } = firewallOf(namesAbsent, ev(SAVE, '', 0), ev(NFT, firewallFixture('brentgroves-nft-a-list-ruleset-lxd-libvirt.txt')));
    expect(firewall).toEqual({ backend: 'none', loadedTables: [], nftRuleset: false });
  });

  it('synthetic: iptables-nft cannot show a filter table it calls incompatible: only nft can, so nftables', () => {
    const save = "# Generated by iptables-save v1.8.9 (nf_tables) on Wed Nov 25 06:32:26 2026\n# Table `filter' is incompatible, use 'nft' tool.\n";
    const { firewall } = firewallOf(namesAbsent, ev(SAVE, save), nftAbsent);
    expect(firewall).toMatchObject({ backend: 'nftables', nftRuleset: true });
  });

  it('not root: nothing readable, nothing known', () => {
    const { firewall } = firewallOf(namesDenied, saveDenied, ev(NFT, '', 1, 'Error: Operation not permitted'));
    expect(firewall).toEqual({ backend: 'unknown' });
  });

  it('nothing collected at all: unknown, and no listeners', () => {
    const result = assemblePorts({});
    expect(result).toEqual({ firewall: { backend: 'unknown' }, problems: [] });
  });

  it('ip_tables_names empty but iptables-save failed: iptables-nft rules could exist, so unknown', () => {
    expect(firewallOf(ev(NAMES, ''), saveDenied, nftAbsent).firewall.backend).toBe('unknown');
  });

  it('nft failed while iptables-save is empty: native nftables could exist, so unknown', () => {
    expect(firewallOf(namesAbsent, ev(SAVE, ''), ev(NFT, '', 1, 'Error: Operation not permitted')).firewall.backend).toBe('unknown');
  });

  it('ip_tables_names unreadable but iptables-save read (legacy side known through it) and nft not installed: none', () => {
    expect(firewallOf(namesDenied, ev(SAVE, ''), nftAbsent).firewall.backend).toBe('none');
  });

  it('old Dom0 without iptables-save (not installed) but the filter table loaded: iptables, rules unreadable', () => {
    const { firewall, problems } = firewallOf(ev(NAMES, 'filter\nnat\n'), saveAbsent, nftAbsent);
    expect(firewall).toEqual({ backend: 'iptables', loadedTables: ['filter', 'nat'] });
    expect(problems).toEqual([]);
  });

  it('parse problems are tagged with their probe', () => {
    const { problems } = firewallOf(ev(NAMES, 'filter\n'), ev(SAVE, '*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\n'), nftAbsent);
    expect(problems).toEqual([{ probe: SAVE, message: 'iptables-save: table filter has no COMMIT: the output may be cut' }]);
  });
});

describe('assemblePorts: listeners', () => {
  it('parses net.listeners (preflight-vm-netns-ports-ss.txt) and validates against the schema', () => {
    const ss = readFileSync(new URL('../fixtures/listeners/preflight-vm-netns-ports-ss.txt', import.meta.url), 'utf8');
    const { listeners, problems } = assemblePorts(evidence(ev('net.listeners', ss)));
    expect(problems).toEqual([]);
    expect(listeners).toHaveLength(7);
    for (const l of listeners!) expect(() => ListenerFacts.parse(l)).not.toThrow();
  });

  it('a failed or missing ss/netstat gives no listeners; truncated output is a problem', () => {
    expect(assemblePorts(evidence(ev('net.listeners', '', 127, 'ss/netstat: not installed'))).listeners).toBeUndefined();
    const cut = { ...ev('net.listeners', 'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\ntcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n'), truncated: true };
    const { listeners, problems } = assemblePorts(evidence(cut));
    expect(listeners).toEqual([{ protocol: 'tcp', address: '0.0.0.0', port: 22 }]);
    expect(problems).toEqual([{ probe: 'net.listeners', message: expect.stringContaining('cut') }]);
  });
});
