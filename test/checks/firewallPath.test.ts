import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgePort } from '../../src/checks/firewallPath.js';
import { parseIptablesSave, type FirewallChain } from '../../src/facts/iptablesSave.js';
import type { FirewallRuleFacts } from '../../src/facts/schema.js';
import { firewallFixture, xcpngPatchedFile } from '../facts/firewallFixtures.js';

const filterOf = (text: string) => parseIptablesSave(text).value.filter!;
const RH = ['INPUT', 'RH-Firewall-1-INPUT'];
const FINAL_REJECT = '-A RH-Firewall-1-INPUT -j REJECT --reject-with icmp-host-prohibited';

describe('judgePort on the XenServer default firewall (RH-Firewall-1-INPUT)', () => {
  const versions = {
    'the release spec patch applied (xcpng-release-spec-default-sysconfig-iptables-patch.txt)': filterOf(xcpngPatchedFile()),
    'loaded with iptables-nft (preflight-vm-netns-xcpng-default.txt)': filterOf(firewallFixture('preflight-vm-netns-xcpng-default.txt')),
    'loaded with iptables-legacy (preflight-vm-netns-legacy-xcpng-default.txt)': filterOf(firewallFixture('preflight-vm-netns-legacy-xcpng-default.txt')),
  };

  for (const [name, chains] of Object.entries(versions)) {
    it(`${name}: ssh and HTTPS get in, the eAC and quorum ports hit the final REJECT`, () => {
      expect(judgePort(chains, 'tcp', 22)).toEqual({ verdict: 'accepted', rule: expect.stringMatching(/--dport 22 -j ACCEPT$/), chainPath: RH });
      expect(judgePort(chains, 'tcp', 443)).toEqual({ verdict: 'accepted', rule: expect.stringMatching(/--dport 443 -j ACCEPT$/), chainPath: RH });
      expect(judgePort(chains, 'tcp', 8080)).toEqual({ verdict: 'blocked', rule: FINAL_REJECT, chainPath: RH });
      expect(judgePort(chains, 'tcp', 8081)).toEqual({ verdict: 'blocked', rule: FINAL_REJECT, chainPath: RH });
      expect(judgePort(chains, 'tcp', 5900)).toEqual({ verdict: 'blocked', rule: FINAL_REJECT, chainPath: RH });
      expect(judgePort(chains, 'udp', 2188)).toEqual({ verdict: 'blocked', rule: FINAL_REJECT, chainPath: RH });
      expect(judgePort(chains, 'udp', 694)).toMatchObject({ verdict: 'accepted' }); // Linux HA heartbeat
      expect(judgePort(chains, 'udp', 5405)).toMatchObject({ verdict: 'accepted', rule: expect.stringContaining('--dports 5404,5405') });
      // DHCP is accepted only on the internal "xenapi" interface: conditional.
      expect(judgePort(chains, 'udp', 67)).toEqual({ verdict: 'conditional', rule: expect.stringContaining('xenapi'), chainPath: RH });
    });
  }

  it('the kernel listing cites the rule exactly as iptables-save prints it', () => {
    expect(judgePort(versions['loaded with iptables-nft (preflight-vm-netns-xcpng-default.txt)'], 'tcp', 22).rule).toBe(
      '-A RH-Firewall-1-INPUT -p tcp -m conntrack --ctstate NEW -m tcp --dport 22 -j ACCEPT',
    );
  });
});

describe('judgePort on the branches capture (preflight-vm-netns-branches.txt, policy DROP)', () => {
  const chains = filterOf(firewallFixture('preflight-vm-netns-branches.txt'));
  const logDrop = { verdict: 'blocked', rule: '-A LOGDROP -j DROP', chainPath: ['INPUT', 'LOGDROP'] };

  it('multiport ranges accept', () => {
    expect(judgePort(chains, 'tcp', 443)).toEqual({ verdict: 'accepted', rule: '-A INPUT -p tcp -m multiport --dports 80,443,8000:8100 -j ACCEPT', chainPath: ['INPUT'] });
    expect(judgePort(chains, 'tcp', 8050).verdict).toBe('accepted');
  });

  it('a rate limit (-m recent ... DROP) ahead of the ssh ACCEPT in SERVICES makes ssh conditional', () => {
    expect(judgePort(chains, 'tcp', 22)).toEqual({ verdict: 'conditional', rule: expect.stringContaining('-m recent'), chainPath: ['INPUT'] });
  });

  it('a source-limited ACCEPT and an interface-limited ACCEPT are conditional when otherwise dropped', () => {
    expect(judgePort(chains, 'tcp', 5432)).toEqual({ verdict: 'conditional', rule: '-A INPUT -s 192.168.10.0/24 -p tcp -m tcp --dport 5432 -j ACCEPT', chainPath: ['INPUT'] });
    expect(judgePort(chains, 'udp', 161)).toEqual({ verdict: 'conditional', rule: '-A INPUT -i eth1 -p udp -m udp --dport 161 -j ACCEPT', chainPath: ['INPUT'] });
  });

  it('a negated DROP that ends like everything else changes nothing; LOG goes on to the DROP after it', () => {
    expect(judgePort(chains, 'tcp', 3306)).toEqual(logDrop);
    expect(judgePort(chains, 'tcp', 9999)).toEqual(logDrop);
  });

  it('RETURN from SERVICES comes back to INPUT, which then goes to LOGDROP', () => {
    expect(judgePort(chains, 'udp', 2188)).toEqual(logDrop);
  });

  it('the -c capture gives the same verdicts', () => {
    const counted = filterOf(firewallFixture('preflight-vm-netns-branches-counters.txt'));
    for (const [protocol, port] of [['tcp', 22], ['tcp', 443], ['tcp', 3306], ['udp', 2188], ['udp', 161]] as const) {
      expect(judgePort(counted, protocol, port)).toEqual(judgePort(chains, protocol, port));
    }
  });
});

describe('judgePort on iptables-save v1.4.7 (insights-iptables-save-v147-filter-mangle-nat.txt)', () => {
  const chains = filterOf(firewallFixture('insights-iptables-save-v147-filter-mangle-nat.txt'));

  it('ssh is accepted for everyone; the source-limited ACCEPT of 192.168.0.0/24 only says the same', () => {
    expect(judgePort(chains, 'tcp', 22)).toEqual({ verdict: 'accepted', rule: '-A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT', chainPath: ['INPUT'] });
  });

  it('everything else is rejected except from 192.168.0.0/24: conditional', () => {
    for (const [protocol, port] of [['tcp', 443], ['tcp', 8080], ['udp', 2188]] as const) {
      expect(judgePort(chains, protocol, port)).toEqual({ verdict: 'conditional', rule: '-A INPUT -s 192.168.0.0/24 -j ACCEPT', chainPath: ['INPUT'] });
    }
  });
});

/** Synthetic chains: `rules` are iptables-save lines after "-A NAME". */
function synthetic(spec: Record<string, { policy?: string; rules?: string[] }>): FirewallChain[] {
  const lines = ['*filter'];
  for (const [name, c] of Object.entries(spec)) lines.push(`:${name} ${c.policy ?? '-'} [0:0]`);
  for (const [name, c] of Object.entries(spec)) for (const r of c.rules ?? []) lines.push(`-A ${name} ${r}`);
  lines.push('COMMIT');
  const { value, problems } = parseIptablesSave(lines.join('\n'));
  expect(problems).toEqual([]);
  return value.filter!;
}

describe('judgePort branches (synthetic rulesets)', () => {
  it('synthetic: no filter table at all: nothing filters', () => {
    expect(judgePort([], 'tcp', 22)).toEqual({ verdict: 'accepted', chainPath: [] });
  });

  it('synthetic: an empty INPUT decides by its policy (no rule cited)', () => {
    expect(judgePort(synthetic({ INPUT: { policy: 'DROP' } }), 'tcp', 22)).toEqual({ verdict: 'blocked', chainPath: ['INPUT'] });
    expect(judgePort(synthetic({ INPUT: { policy: 'ACCEPT' } }), 'udp', 2188)).toEqual({ verdict: 'accepted', chainPath: ['INPUT'] });
  });

  it('synthetic: ESTABLISHED/RELATED-only rules, -i lo and loopback sources never match a new outside connection', () => {
    const chains = synthetic({
      INPUT: {
        policy: 'DROP',
        rules: ['-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-i lo -j ACCEPT', '-s 127.0.0.0/8 -j ACCEPT', '-m state --state INVALID -j ACCEPT'],
      },
    });
    expect(judgePort(chains, 'tcp', 443)).toEqual({ verdict: 'blocked', chainPath: ['INPUT'] });
  });

  it('synthetic: protocol and port ranges decide whether a rule applies', () => {
    const chains = synthetic({ INPUT: { policy: 'DROP', rules: ['-p udp --dport 8080 -j ACCEPT', '-p tcp --dport 8000:8099 -j ACCEPT', '-p icmp -j ACCEPT'] } });
    expect(judgePort(chains, 'tcp', 8080).verdict).toBe('accepted');
    expect(judgePort(chains, 'tcp', 8100).verdict).toBe('blocked');
    expect(judgePort(chains, 'udp', 8080).verdict).toBe('accepted');
    expect(judgePort(chains, 'udp', 8081).verdict).toBe('blocked');
  });

  it('synthetic: a conditional ACCEPT where the packet is accepted anyway is just accepted', () => {
    const chains = synthetic({ INPUT: { policy: 'ACCEPT', rules: ['-s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT'] } });
    expect(judgePort(chains, 'tcp', 22)).toEqual({ verdict: 'accepted', chainPath: ['INPUT'] });
  });

  it('synthetic: a conditional DROP (source blacklist, negation) where the packet is otherwise accepted is conditional', () => {
    const blacklist = synthetic({ INPUT: { policy: 'ACCEPT', rules: ['-m set --match-set blacklist src -j DROP'] } });
    expect(judgePort(blacklist, 'tcp', 443)).toEqual({ verdict: 'conditional', rule: '-A INPUT -m set --match-set blacklist src -j DROP', chainPath: ['INPUT'] });
    const negated = synthetic({ INPUT: { policy: 'ACCEPT', rules: ['! -s 10.0.0.0/8 -p udp --dport 2188 -j REJECT'] } });
    expect(judgePort(negated, 'udp', 2188).verdict).toBe('conditional');
  });

  it('synthetic: LOG and counting rules (no target) let the packet go on', () => {
    const chains = synthetic({ INPUT: { policy: 'ACCEPT', rules: ['-p tcp --dport 8080 -j LOG --log-prefix "eac: "', '-p tcp --dport 8080', '-p tcp --dport 8080 -j DROP'] } });
    expect(judgePort(chains, 'tcp', 8080)).toEqual({ verdict: 'blocked', rule: '-A INPUT -p tcp --dport 8080 -j DROP', chainPath: ['INPUT'] });
  });

  it('synthetic: a jump comes back on RETURN (or at the end of the chain); a goto does not', () => {
    const spec = (how: '-j' | '-g') =>
      synthetic({
        INPUT: { policy: 'DROP', rules: [`${how} SERVICES`, '-p tcp --dport 8080 -j ACCEPT'] },
        SERVICES: { rules: ['-p tcp --dport 8080 -j RETURN', '-p tcp --dport 22 -j ACCEPT'] },
      });
    expect(judgePort(spec('-j'), 'tcp', 8080)).toEqual({ verdict: 'accepted', rule: '-A INPUT -p tcp --dport 8080 -j ACCEPT', chainPath: ['INPUT'] });
    expect(judgePort(spec('-g'), 'tcp', 8080)).toEqual({ verdict: 'blocked', chainPath: ['INPUT'] }); // INPUT's policy
    expect(judgePort(spec('-j'), 'tcp', 22)).toEqual({ verdict: 'accepted', rule: '-A SERVICES -p tcp --dport 22 -j ACCEPT', chainPath: ['INPUT', 'SERVICES'] });
    expect(judgePort(spec('-j'), 'tcp', 443)).toEqual({ verdict: 'blocked', chainPath: ['INPUT'] }); // end of SERVICES, end of INPUT
  });

  it('synthetic: RETURN in INPUT applies the policy', () => {
    const chains = synthetic({ INPUT: { policy: 'DROP', rules: ['-p tcp -j RETURN', '-j ACCEPT'] } });
    expect(judgePort(chains, 'tcp', 22)).toEqual({ verdict: 'blocked', chainPath: ['INPUT'] });
    expect(judgePort(chains, 'udp', 2188).verdict).toBe('accepted');
  });

  it('synthetic: a source-limited jump into a chain that accepts makes the port conditional, citing the jump', () => {
    const chains = synthetic({ INPUT: { policy: 'DROP', rules: ['-s 192.0.2.0/24 -j TRUSTED'] }, TRUSTED: { rules: ['-j ACCEPT'] } });
    expect(judgePort(chains, 'tcp', 443)).toEqual({ verdict: 'conditional', rule: '-A INPUT -s 192.0.2.0/24 -j TRUSTED', chainPath: ['INPUT'] });
  });

  it('synthetic: a conditional RETURN inside a called chain exposes what follows the jump', () => {
    const chains = synthetic({
      INPUT: { policy: 'ACCEPT', rules: ['-j GATE', '-j DROP'] },
      GATE: { rules: ['-i eth1 -j RETURN', '-j ACCEPT'] },
    });
    expect(judgePort(chains, 'tcp', 22)).toEqual({ verdict: 'conditional', rule: '-A GATE -i eth1 -j RETURN', chainPath: ['INPUT', 'GATE'] });
  });

  it('synthetic: a ctstate DNAT match cannot be known', () => {
    const chains = synthetic({ INPUT: { policy: 'DROP', rules: ['-m conntrack --ctstate DNAT -j ACCEPT'] } });
    expect(judgePort(chains, 'tcp', 80).verdict).toBe('conditional');
  });

  it('synthetic: NFQUEUE hands the verdict to a program: conditional', () => {
    const chains = synthetic({ INPUT: { policy: 'ACCEPT', rules: ['-p tcp --dport 443 -j NFQUEUE --queue-num 0'] } });
    expect(judgePort(chains, 'tcp', 443)).toEqual({ verdict: 'conditional', rule: '-A INPUT -p tcp --dport 443 -j NFQUEUE --queue-num 0', chainPath: ['INPUT'] });
    expect(judgePort(chains, 'tcp', 22).verdict).toBe('accepted');
  });

  it('synthetic: a jump loop (which iptables would refuse) terminates as conditional', () => {
    const chains = synthetic({ INPUT: { policy: 'DROP', rules: ['-j A'] }, A: { rules: ['-j B'] }, B: { rules: ['-j A'] } });
    expect(judgePort(chains, 'tcp', 22)).toEqual({ verdict: 'conditional', rule: '-A B -j A', chainPath: ['INPUT', 'A', 'B'] });
  });

  it('synthetic: nesting deeper than the depth limit terminates as conditional', () => {
    const spec: Record<string, { policy?: string; rules?: string[] }> = { INPUT: { policy: 'DROP', rules: ['-j C0'] } };
    for (let i = 0; i < 40; i++) spec[`C${i}`] = { rules: [`-j C${i + 1}`] };
    spec['C40'] = { rules: ['-j ACCEPT'] };
    expect(judgePort(synthetic(spec), 'tcp', 22).verdict).toBe('conditional');
  });
});

// --- properties ------------------------------------------------------------------------------

const NAMES = ['INPUT', 'A', 'B', 'C', 'D'];
const PORTS = [22, 443, 2188, 8080];

interface RuleSpec {
  protocol?: 'tcp' | 'udp' | 'icmp';
  port?: number;
  states?: 'NEW' | 'ESTABLISHED';
  lo: boolean;
  condition?: 'source' | 'interface' | 'negated' | 'other';
  target?: string;
  goto: boolean;
}

/** Usually absent (so that rules often apply), sometimes one of `values`. */
const mostlyAbsent = <T,>(...values: T[]) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.constantFrom(...values), weight: 2 });

const ruleSpec = (targets: string[], conditions: boolean): fc.Arbitrary<RuleSpec> =>
  fc.record({
    protocol: mostlyAbsent('tcp' as const, 'udp' as const, 'icmp' as const),
    port: mostlyAbsent(...PORTS),
    states: mostlyAbsent('NEW' as const, 'ESTABLISHED' as const),
    lo: fc.constantFrom(false, false, false, false, true),
    condition: conditions ? mostlyAbsent('source' as const, 'interface' as const, 'negated' as const, 'other' as const) : fc.constant(undefined),
    target: fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: fc.constantFrom(...targets), weight: 6 }),
    goto: fc.boolean(),
  });

/** Rule facts as the parser would give them; the text carries a serial number so citations can be checked. */
function toFacts(chain: string, r: RuleSpec, serial: number): FirewallRuleFacts {
  const facts: FirewallRuleFacts = { text: `-A ${chain} rule-${serial} ${r.goto ? '-g' : '-j'} ${r.target ?? ''}`.trim() };
  if (r.protocol) facts.protocol = r.protocol;
  if (r.port !== undefined) facts.dports = [[r.port, r.port]];
  if (r.states) facts.states = r.states === 'NEW' ? ['NEW'] : ['ESTABLISHED', 'RELATED'];
  if (r.lo) facts.inInterface = 'lo';
  if (r.condition === 'source') facts.source = '192.0.2.0/24';
  if (r.condition === 'interface' && !r.lo) facts.inInterface = 'eth0';
  if (r.condition === 'negated') facts.negated = true;
  if (r.condition === 'other') facts.otherMatches = true;
  if (r.target) facts.target = r.target;
  return facts;
}

/** A chain graph: any chain may jump to any other (loops included), or only to later chains (acyclic). */
const chainGraph = (options: { acyclic: boolean; conditions: boolean }) =>
  fc
    .tuple(
      fc.constantFrom('ACCEPT', 'DROP'),
      ...NAMES.map((name, index) => {
        const jumpTargets = options.acyclic ? NAMES.slice(index + 1) : NAMES;
        // Jumps are listed twice so that walks often go through several chains.
        const targets = ['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'RETURN', 'LOG', ...(options.conditions ? ['NFQUEUE'] : []), ...jumpTargets, ...jumpTargets];
        return fc.array(ruleSpec(targets, options.conditions), { maxLength: 6 });
      }),
    )
    .map(([policy, ...ruleLists]) => {
      let serial = 0;
      return NAMES.map((name, i): FirewallChain => ({
        name,
        ...(name === 'INPUT' ? { policy } : {}),
        rules: ruleLists[i]!.map((r) => toFacts(name, r, serial++)),
      }));
    });

/** The kernel's walk, step by step with a call stack: the reference for rulesets without conditions. */
function referenceWalk(chains: FirewallChain[], protocol: 'tcp' | 'udp', port: number): { verdict: 'accepted' | 'blocked'; rule?: string } {
  const byName = new Map(chains.map((c) => [c.name, c]));
  const input = byName.get('INPUT')!;
  const policy = input.policy === 'ACCEPT' ? 'accepted' : 'blocked';
  const stack: { chain: FirewallChain; next: number; viaGoto: boolean }[] = [{ chain: input, next: 0, viaGoto: false }];
  const leave = () => {
    let frame = stack.pop();
    while (frame?.viaGoto) frame = stack.pop();
  };
  for (let steps = 0; steps < 100_000; steps++) {
    const frame = stack[stack.length - 1];
    if (!frame) return { verdict: policy };
    const rule = frame.chain.rules[frame.next++];
    if (!rule) {
      leave();
      continue;
    }
    const applies =
      (rule.protocol === undefined || rule.protocol === protocol) &&
      (rule.dports === undefined || rule.dports.some(([l, h]) => port >= l && port <= h)) &&
      (rule.states === undefined || rule.states.includes('NEW')) &&
      rule.inInterface !== 'lo';
    if (!applies || rule.target === undefined || rule.target === 'LOG') continue;
    if (rule.target === 'ACCEPT') return { verdict: 'accepted', rule: rule.text };
    if (rule.target === 'DROP' || rule.target === 'REJECT') return { verdict: 'blocked', rule: rule.text };
    if (rule.target === 'RETURN') {
      leave();
      continue;
    }
    stack.push({ chain: byName.get(rule.target)!, next: 0, viaGoto: / -g /.test(rule.text) });
  }
  throw new Error('reference walk did not end');
}

describe('judgePort properties', () => {
  it('terminates on random chain graphs with loops, and every answer is well formed', () => {
    fc.assert(
      fc.property(chainGraph({ acyclic: false, conditions: true }), fc.constantFrom('tcp' as const, 'udp' as const), fc.constantFrom(...PORTS, 9), (chains, protocol, port) => {
        const result = judgePort(chains, protocol, port);
        expect(['accepted', 'blocked', 'conditional']).toContain(result.verdict);
        expect(result.chainPath[0]).toBe('INPUT');
        for (const name of result.chainPath) expect(NAMES).toContain(name);
        if (result.rule !== undefined) expect(chains.flatMap((c) => c.rules.map((r) => r.text))).toContain(result.rule);
      }),
      { numRuns: 1000 },
    );
  });

  it('without conditions or loops it agrees with a step-by-step walk of the kernel\'s semantics', () => {
    fc.assert(
      fc.property(chainGraph({ acyclic: true, conditions: false }), fc.constantFrom('tcp' as const, 'udp' as const), fc.constantFrom(...PORTS, 9), (chains, protocol, port) => {
        const expected = referenceWalk(chains, protocol, port);
        const result = judgePort(chains, protocol, port);
        expect(result.verdict).toBe(expected.verdict);
        expect(result.rule).toBe(expected.rule);
      }),
      { numRuns: 1000 },
    );
  });

  it('a ruleset with conditions is never judged more certain than every way its conditions can fall', () => {
    // Settle each condition both ways (it holds: keep the rule without it; it fails: drop the rule).
    // When the settled rulesets disagree, judgePort must say conditional.
    fc.assert(
      fc.property(chainGraph({ acyclic: true, conditions: true }), fc.constantFrom('tcp' as const, 'udp' as const), fc.constantFrom(...PORTS), (chains, protocol, port) => {
        const conditional = (r: FirewallRuleFacts) => r.source !== undefined || (r.inInterface !== undefined && r.inInterface !== 'lo') || r.negated || r.otherMatches || r.target === 'NFQUEUE';
        const settle = (holds: boolean) =>
          chains.map((c) => ({
            ...c,
            rules: c.rules.flatMap((r) => {
              if (!conditional(r)) return [r];
              if (!holds || r.target === 'NFQUEUE') return [];
              const { source: _s, negated: _n, otherMatches: _o, ...rest } = r;
              return [{ ...rest, ...(rest.inInterface === 'eth0' ? { inInterface: undefined } : {}) }];
            }),
          }));
        const outcomes = new Set([referenceWalk(settle(true), protocol, port).verdict, referenceWalk(settle(false), protocol, port).verdict]);
        if (outcomes.size > 1) expect(judgePort(chains, protocol, port).verdict).toBe('conditional');
      }),
      { numRuns: 1000 },
    );
  });
});
