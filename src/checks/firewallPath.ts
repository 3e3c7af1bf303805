import type { z } from 'zod';
import { isGotoRule } from '../facts/iptablesSave.js';
import type { FirewallChainFacts, FirewallRuleFacts } from '../facts/schema.js';

/**
 * What the iptables filter table does with a new incoming connection to one port.
 *
 * The packet: the first packet (conntrack state NEW; a SYN for TCP) of a connection to `port` over
 * `protocol`, from a source preflight does not know, arriving on an interface preflight does not know
 * (but never on `lo`). It walks the filter table's INPUT chain top to bottom, as the kernel does:
 *
 * - A rule that cannot match this packet is skipped: another protocol, another port, a state list
 *   without NEW (e.g. `--ctstate RELATED,ESTABLISHED`), `-i lo`, or a loopback source (127/8, ::1).
 * - A rule that matches for sure decides: ACCEPT -> accepted; DROP or REJECT -> blocked; a jump
 *   (`-j CHAIN`) walks that chain, and its RETURN (or its end) comes back to the next rule; a goto
 *   (`-g CHAIN`) does not come back: its RETURN ends the calling chain too. LOG, MARK and other
 *   targets that let the packet go on are passed. RETURN in INPUT, or the end of INPUT, applies
 *   INPUT's policy.
 * - A rule that matches only under conditions preflight cannot know (a source range, a named input
 *   interface, any `!`, or a match preflight does not model: -m recent, -m limit, -m set, -d, ...)
 *   is a fork. The walk goes on as if it did not match (that is the "otherwise" answer), and also
 *   notes where the packet would end if it did. Targets preflight does not know (NFQUEUE, ...)
 *   end in "unknown".
 *
 * Verdict: what happens otherwise (the walk without any condition), unless some condition could
 * change it. Accepted only under a condition but otherwise blocked -> conditional; blocked only
 * under a condition (rate limit, source blacklist) but otherwise accepted -> conditional; a condition
 * that leads to the same end changes nothing. An unknown end anywhere that matters -> conditional.
 * `rule` is the deciding rule (for conditional: the rule holding the condition); `chainPath` is the
 * chains from INPUT down to it, e.g. INPUT -> RH-Firewall-1-INPUT. A verdict by INPUT's policy has
 * no rule and chainPath [INPUT].
 *
 * Each chain is walked once (its result is reused for every jump to it), so the cost is linear in
 * the rules. iptables refuses to load jump loops; a loop or a nesting deeper than MAX_DEPTH in
 * hand-made input is treated as an unknown end, so the walk always terminates.
 */

type FirewallChain = z.infer<typeof FirewallChainFacts>;

export type PortVerdict = 'accepted' | 'blocked' | 'conditional';

export interface PortPath {
  verdict: PortVerdict;
  rule?: string;
  chainPath: string[];
}

/** Where the packet ends when it leaves a chain: `return` = back to the caller (or INPUT's policy). */
type Exit = 'accepted' | 'blocked' | 'return' | 'unknown';

interface Outcome {
  exit: Exit;
  /** The rule that decided, or (for a conditional outcome) the rule holding the condition. */
  rule?: string;
  /** Chains from the walked chain down to `rule`. */
  path: string[];
}

/** The walk of a chain from some rule on: the unconditional outcome, and those reachable only under conditions. */
interface Walk {
  otherwise: Outcome;
  conditional: Outcome[];
}

const MAX_DEPTH = 32;

/** Targets that let the packet continue with the next rule. */
const CONTINUING_TARGETS = new Set([
  'LOG', 'ULOG', 'NFLOG', 'MARK', 'CONNMARK', 'CLASSIFY', 'TOS', 'DSCP', 'TTL', 'HL', 'NOTRACK', 'CT', 'TRACE', 'AUDIT',
  'SET', 'CHECKSUM', 'TCPMSS', 'LED', 'SECMARK', 'CONNSECMARK', 'IDLETIMER', 'HMARK', 'TEE', 'RATEEST', 'ECN',
]);
const PROTOCOL_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp' };

export function judgePort(chains: readonly FirewallChain[], protocol: 'tcp' | 'udp', port: number): PortPath {
  const byName = new Map<string, FirewallChain>();
  for (const chain of chains) if (!byName.has(chain.name)) byName.set(chain.name, chain);
  const input = byName.get('INPUT');
  if (!input) return { verdict: 'accepted', chainPath: [] }; // no INPUT chain: nothing filters

  const memo = new Map<string, Walk>();
  const walking = new Set<string>();

  const walkChain = (name: string, depth: number): Walk => {
    const known = memo.get(name);
    if (known) return known;
    const chain = byName.get(name);
    if (!chain || walking.has(name) || depth > MAX_DEPTH) return { otherwise: { exit: 'unknown', path: [name] }, conditional: [] };
    walking.add(name);
    // Built from the end of the chain backwards: `next` is the walk from the following rule on.
    let next: Walk = { otherwise: { exit: 'return', path: [name] }, conditional: [] };
    for (let i = chain.rules.length - 1; i >= 0; i--) {
      const rule = chain.rules[i]!;
      const match = matchRule(rule, protocol, port);
      if (match === 'no' || continues(rule)) continue;
      const matched = whenMatched(rule, name, next, depth);
      if (match === 'yes') {
        next = matched;
      } else {
        // A fork: otherwise as `next`; under the rule's condition, wherever `matched` ends. Outcomes
        // that `matched` only passes through from `next` keep their own citation.
        const fromNext = new Set([next.otherwise, ...next.conditional]);
        const underCondition = [matched.otherwise, ...matched.conditional].map((o) => (fromNext.has(o) ? o : { ...o, rule: rule.text, path: [name] }));
        next = { otherwise: next.otherwise, conditional: distinctExits([...underCondition, ...next.conditional]) };
      }
    }
    walking.delete(name);
    memo.set(name, next);
    return next;
  };

  /** The walk when `rule` (in chain `name`) matches, given the walk after it. */
  const whenMatched = (rule: FirewallRuleFacts, name: string, next: Walk, depth: number): Walk => {
    const target = rule.target ?? '';
    const decided = (exit: Exit): Walk => ({ otherwise: { exit, rule: rule.text, path: [name] }, conditional: [] });
    switch (target.toUpperCase()) {
      case 'ACCEPT':
        return decided('accepted');
      case 'DROP':
      case 'REJECT':
        return decided('blocked');
      case 'RETURN':
        return decided('return');
    }
    if (!byName.has(target)) return decided('unknown');
    const sub = walkChain(target, depth + 1);
    if (sub.otherwise.exit === 'unknown' && sub.otherwise.rule === undefined) return decided('unknown'); // loop or too deep
    // After a goto, the called chain's RETURN ends this chain as well.
    const afterReturn: Walk = isGotoRule(rule.text) ? { otherwise: { exit: 'return', path: [name] }, conditional: [] } : next;
    return splice(sub, afterReturn, name);
  };

  const walk = walkChain('INPUT', 0);
  const policy: Exclude<Exit, 'return'> = (input.policy ?? 'ACCEPT').toUpperCase() === 'ACCEPT' ? 'accepted' : 'blocked';
  const verdictOf = (exit: Exit) => (exit === 'return' ? policy : exit);
  const otherwise = walk.otherwise;
  const usual = verdictOf(otherwise.exit);
  if (usual === 'unknown') return judgement('conditional', otherwise.rule, otherwise.path);
  const differing = walk.conditional.find((o) => verdictOf(o.exit) !== usual);
  if (differing) return judgement('conditional', differing.rule, differing.path);
  if (otherwise.exit === 'return') return judgement(usual, undefined, ['INPUT']);
  return judgement(usual, otherwise.rule, otherwise.path);
}

function judgement(verdict: PortVerdict, rule: string | undefined, chainPath: string[]): PortPath {
  return rule === undefined ? { verdict, chainPath } : { verdict, rule, chainPath };
}

/** The walk through a called chain `sub` (a jump or goto from chain `name`), then `afterReturn` when it returns. */
function splice(sub: Walk, afterReturn: Walk, name: string): Walk {
  const under = (o: Outcome): Outcome => ({ ...o, path: [name, ...o.path] });
  const afterwards = [afterReturn.otherwise, ...afterReturn.conditional];
  const conditional: Outcome[] = [];
  for (const o of sub.conditional) {
    // Returning only under a condition: whatever follows the call becomes possible, cited by that condition.
    if (o.exit === 'return') conditional.push(...afterwards.map((a) => ({ ...a, ...(o.rule !== undefined ? { rule: o.rule, path: [name, ...o.path] } : {}) })));
    else conditional.push(under(o));
  }
  if (sub.otherwise.exit === 'return') return { otherwise: afterReturn.otherwise, conditional: distinctExits([...conditional, ...afterReturn.conditional]) };
  return { otherwise: under(sub.otherwise), conditional: distinctExits(conditional) };
}

/** One outcome per exit, the first one found (closest to the top of the walk). */
function distinctExits(outcomes: Outcome[]): Outcome[] {
  const seen = new Set<Exit>();
  return outcomes.filter((o) => (seen.has(o.exit) ? false : (seen.add(o.exit), true)));
}

/** A rule without a target (a counter) or with a target like LOG lets the packet go on. */
function continues(rule: FirewallRuleFacts): boolean {
  return rule.target === undefined || CONTINUING_TARGETS.has(rule.target.toUpperCase());
}

/** Whether the rule's matches hold for the packet: for sure, never, or only under conditions. */
export function matchRule(rule: FirewallRuleFacts, protocol: 'tcp' | 'udp', port: number): 'yes' | 'no' | 'maybe' {
  if (rule.protocol !== undefined) {
    const p = rule.protocol.toLowerCase();
    if (p !== 'all' && p !== '0' && (PROTOCOL_NUMBERS[p] ?? p) !== protocol) return 'no';
  }
  if (rule.dports !== undefined && !rule.dports.some(([low, high]) => port >= low && port <= high)) return 'no';
  let conditional = false;
  if (rule.states !== undefined) {
    const states = rule.states.map((s) => s.toUpperCase());
    if (!states.includes('NEW')) {
      // DNAT/SNAT say how the connection was translated, which preflight cannot know; the rest
      // (ESTABLISHED, RELATED, INVALID, UNTRACKED) never describe a new connection.
      if (!states.includes('DNAT') && !states.includes('SNAT')) return 'no';
      conditional = true;
    }
  }
  if (rule.inInterface !== undefined) {
    if (rule.inInterface === 'lo') return 'no';
    conditional = true;
  }
  if (rule.source !== undefined) {
    if (/^127\./.test(rule.source) || /^::1(\/128)?$/.test(rule.source)) return 'no';
    conditional = true;
  }
  if (rule.negated || rule.otherMatches) conditional = true;
  return conditional ? 'maybe' : 'yes';
}
