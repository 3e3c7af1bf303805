import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptsEverything, hasInputHook, ipv4InputChains, parseNftRuleset } from '../../src/facts/nftRuleset.js';
import { firewallFixture } from './firewallFixtures.js';

describe('parseNftRuleset on a real capture', () => {
  const { value, problems } = parseNftRuleset(firewallFixture('brentgroves-nft-a-list-ruleset-lxd-libvirt.txt'));

  it('brentgroves-nft-a-list-ruleset-lxd-libvirt.txt: every table, with "# handle N" comments ignored', () => {
    expect(problems).toEqual([]);
    expect(value.tables).toEqual([
      { family: 'inet', name: 'lxd' },
      { family: 'ip', name: 'filter' },
      { family: 'ip', name: 'nat' },
      { family: 'ip', name: 'mangle' },
      { family: 'ip6', name: 'filter' },
      { family: 'ip6', name: 'nat' },
      { family: 'ip6', name: 'mangle' },
    ]);
    expect(value.chains).toHaveLength(28);
    // "... counter packets 0 bytes 0 # CHECKSUM fill # handle 4": the comment is not part of the rule.
    expect(value.chains.find((c) => c.table === 'mangle' && c.family === 'ip' && c.name === 'LIBVIRT_PRT')!.rules).toEqual([
      'oifname "virbr0" meta l4proto udp udp dport 68 counter packets 0 bytes 0',
    ]);
  });

  it('finds the input hooks: lxd\'s in.mpbr0, libvirt\'s iptables-nft INPUT, and the IPv6-only one', () => {
    expect(hasInputHook(value)).toBe(true);
    const input = value.chains.filter((c) => c.hook === 'input');
    expect(input.map((c) => `${c.family} ${c.table} ${c.name}`)).toEqual(['inet lxd in.mpbr0', 'ip filter INPUT', 'ip6 filter INPUT']);
    const lxd = input[0]!;
    expect(lxd).toMatchObject({ type: 'filter', priority: 'filter', policy: 'accept' });
    expect(lxd.rules).toHaveLength(6);
    expect(lxd.rules[2]).toBe('iifname "mpbr0" icmp type { destination-unreachable, time-exceeded, parameter-problem } accept');
    expect(input[1]!.rules).toEqual(['counter packets 7405235 bytes 2301059896 jump LIBVIRT_INP']);
    expect(ipv4InputChains(value).map((c) => `${c.family} ${c.table}`)).toEqual(['inet lxd', 'ip filter']);
  });

  it('lxd only accepts, and libvirt\'s INPUT only jumps to a chain that only accepts: neither can refuse a packet', () => {
    const [lxd, libvirt] = ipv4InputChains(value);
    expect(acceptsEverything(lxd!)).toBe(true);
    expect(acceptsEverything(libvirt!, value)).toBe(true);
    expect(acceptsEverything(libvirt!)).toBe(false); // without the ruleset the jump cannot be followed
  });
});

describe('parseNftRuleset on synthetic rulesets (hand-written in nft list ruleset layout)', () => {
  it('synthetic: Debian\'s stock /etc/nftables.conf: policy accept, no rules, accepts everything', () => {
    const text = [
      'table inet filter {',
      '\tchain input {',
      '\t\ttype filter hook input priority filter; policy accept;',
      '\t}',
      '\tchain forward {',
      '\t\ttype filter hook forward priority filter; policy accept;',
      '\t}',
      '\tchain output {',
      '\t\ttype filter hook output priority filter; policy accept;',
      '\t}',
      '}',
    ].join('\n');
    const { value, problems } = parseNftRuleset(text);
    expect(problems).toEqual([]);
    const input = ipv4InputChains(value);
    expect(input).toEqual([{ family: 'inet', table: 'filter', name: 'input', type: 'filter', hook: 'input', priority: 'filter', policy: 'accept', rules: [] }]);
    expect(acceptsEverything(input[0]!)).toBe(true);
  });

  it('synthetic: firewalld-style chain ending in reject, with a multi-line anonymous set, a set block and a brace in a comment', () => {
    const text = [
      'table inet firewalld {',
      '\tset allowed {',
      '\t\ttype ipv4_addr',
      '\t\telements = { 192.0.2.1,',
      '\t\t\t     192.0.2.2 }',
      '\t}',
      '\tflowtable ft {',
      '\t\thook ingress priority filter',
      '\t\tdevices = { eth0, eth1 }',
      '\t}',
      '\tchain filter_INPUT {',
      '\t\ttype filter hook input priority filter + 10; policy accept;',
      '\t\tct state { established, related } accept',
      '\t\ttcp dport { 22, 443,',
      '\t\t\t     8080 } accept comment "open { ports"',
      '\t\treject with icmpx admin-prohibited',
      '\t}',
      '}',
    ].join('\n');
    const { value, problems } = parseNftRuleset(text);
    expect(problems).toEqual([]);
    expect(value.chains).toHaveLength(1);
    const chain = value.chains[0]!;
    expect(chain).toMatchObject({ name: 'filter_INPUT', hook: 'input', priority: 'filter + 10', policy: 'accept' });
    expect(chain.rules).toEqual(['ct state { established, related } accept', 'tcp dport { 22, 443, 8080 } accept comment "open { ports"', 'reject with icmpx admin-prohibited']);
    expect(acceptsEverything(chain)).toBe(false);
  });

  it('synthetic: policy drop, verdict maps and words inside comments', () => {
    const chain = (policy: string, ...rules: string[]) => ({ family: 'inet', table: 't', name: 'c', type: 'filter', hook: 'input', policy, rules });
    expect(acceptsEverything(chain('drop'))).toBe(false);
    expect(acceptsEverything(chain('accept', 'ct state vmap { invalid : drop, established : accept }'))).toBe(false);
    expect(acceptsEverything(chain('accept', 'tcp dport 22 accept comment "drop me a line"'))).toBe(true);
    expect(acceptsEverything(chain('accept', 'jump nowhere'))).toBe(false);
  });

  it('synthetic: a table without a family is "ip"; an ip6-only input hook is not on the IPv4 path; cut output is a problem', () => {
    const { value, problems } = parseNftRuleset('table nat {\n}\ntable ip6 only6 {\n chain in {\n  type filter hook input priority 0; policy drop;\n }\n}\ntable inet cut {\n chain input {\n  type filter hook input priority 0;\n');
    expect(value.tables).toEqual([
      { family: 'ip', name: 'nat' },
      { family: 'ip6', name: 'only6' },
      { family: 'inet', name: 'cut' },
    ]);
    expect(hasInputHook(value)).toBe(true);
    expect(ipv4InputChains(value).map((c) => c.table)).toEqual(['cut']);
    expect(problems).toEqual(['nft: the ruleset ends inside a block: the output may be cut']);
  });

  it('synthetic: an empty ruleset has no input hook', () => {
    expect(parseNftRuleset('')).toEqual({ value: { tables: [], chains: [] }, problems: [] });
    expect(hasInputHook(parseNftRuleset('').value)).toBe(false);
  });
});

describe('parseNftRuleset properties', () => {
  const words = fc.constantFrom('table', 'inet', 'ip', 'filter', 'chain', 'input', '{', '}', 'type', 'hook', 'priority', '0', ';', 'policy', 'drop', 'accept', 'jump', 'x', '"', '#', '\n', '\\');

  it('never throws on arbitrary text, and acceptsEverything terminates on whatever it returns', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.array(words, { maxLength: 80 }).map((w) => w.join(' '))), (text) => {
        const { value, problems } = parseNftRuleset(text);
        for (const chain of value.chains) expect(typeof acceptsEverything(chain, value)).toBe('boolean');
        expect(problems.length).toBeLessThanOrEqual(20);
      }),
      { numRuns: 500 },
    );
  });
});
