import { parsed, type ParseResult } from './parseResult.js';
import { quoteLine } from './textLines.js';

/**
 * Parser for probe `firewall.nft` (`nft list ruleset`). preflight does not evaluate nftables rules;
 * it only needs to know whether an nftables chain sits on the input hook and whether that chain could
 * refuse anything, so it can tell "no firewall" from "a firewall preflight cannot judge".
 *
 *   table inet filter {
 *           chain input {
 *                   type filter hook input priority filter; policy drop;
 *                   tcp dport { 22, 443 } accept
 *           }
 *   }
 *
 * The reader follows braces, quotes and `#` comments (`nft -a` adds "# handle N"), so multi-line
 * anonymous sets, set/map/flowtable blocks and comments holding braces do not derail it.
 */

export interface NftChain {
  family: string;
  table: string;
  name: string;
  /** Base chains only: `filter`, `nat` or `route`. */
  type?: string;
  /** Base chains only: `input`, `forward`, `prerouting`, ... */
  hook?: string;
  priority?: string;
  /** Base chains only: `accept` (also the default when not printed) or `drop`. */
  policy?: string;
  /** Rule statements as printed, comments removed, one entry per rule. */
  rules: string[];
}

export interface NftRuleset {
  tables: { family: string; name: string }[];
  chains: NftChain[];
}

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
const MAX_PROBLEMS = 20;

type Frame = { kind: 'root' } | { kind: 'table'; family: string; name: string } | { kind: 'chain'; chain: NftChain } | { kind: 'other' };

export function parseNftRuleset(text: string): ParseResult<NftRuleset> {
  const ruleset: NftRuleset = { tables: [], chains: [] };
  const problems: string[] = [];
  const problem = (message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(message);
  };
  const stack: Frame[] = [{ kind: 'root' }];
  let statement = '';
  /** Braces opened inside the current statement (anonymous sets, set elements): not blocks. */
  let innerBraces = 0;
  let quoted = false;
  let comment = false;

  const top = () => stack[stack.length - 1]!;
  const endStatement = () => {
    const s = statement.trim().replace(/\s+/g, ' ');
    statement = '';
    innerBraces = 0;
    if (s !== '') takeStatement(top(), s, problem);
  };
  const openBlock = () => {
    const header = statement.trim().replace(/\s+/g, ' ');
    statement = '';
    const frame = top();
    const words = header.split(' ').map(unquote);
    if (frame.kind === 'root' && words[0] === 'table') {
      const [family, name] = words.length >= 3 && FAMILIES.has(words[1]!) ? [words[1]!, words[2]!] : ['ip', words[1] ?? ''];
      ruleset.tables.push({ family, name });
      stack.push({ kind: 'table', family, name });
    } else if (frame.kind === 'table' && words[0] === 'chain' && words[1] !== undefined) {
      const chain: NftChain = { family: frame.family, table: frame.name, name: words[1], rules: [] };
      ruleset.chains.push(chain);
      stack.push({ kind: 'chain', chain });
    } else {
      if (frame.kind === 'root') problem(`nft: unexpected block ${quoteLine(header)}`);
      stack.push({ kind: 'other' }); // set, map, flowtable, counter, quota, ct helper, ...
    }
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (comment) {
      if (c === '\n' || c === '\r') {
        comment = false;
        if (innerBraces === 0) endStatement();
      }
      continue;
    }
    if (quoted) {
      statement += c;
      if (c === '\\' && i + 1 < text.length) statement += text[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') {
      quoted = true;
      statement += c;
    } else if (c === '#') {
      comment = true;
    } else if (c === '{') {
      const frame = top();
      if ((frame.kind === 'root' || frame.kind === 'table') && innerBraces === 0) openBlock();
      else {
        innerBraces++;
        statement += c;
      }
    } else if (c === '}') {
      if (innerBraces > 0) {
        innerBraces--;
        statement += c;
      } else {
        endStatement();
        if (stack.length > 1) stack.pop();
        else problem('nft: unbalanced "}"');
      }
    } else if ((c === '\n' || c === '\r' || c === ';') && innerBraces === 0) {
      endStatement();
    } else {
      statement += c === '\n' || c === '\r' || c === '\t' ? ' ' : c;
    }
  }
  endStatement();
  if (stack.length > 1) problem('nft: the ruleset ends inside a block: the output may be cut');
  return parsed(ruleset, problems);
}

function takeStatement(frame: Frame, statement: string, problem: (m: string) => void): void {
  if (frame.kind === 'root') {
    problem(`nft: unexpected line ${quoteLine(statement)}`);
    return;
  }
  if (frame.kind !== 'chain') return; // table flags/comments, set bodies: nothing preflight needs
  const chain = frame.chain;
  const base = /^type (\S+) hook (\S+)(?: device \S+)?(?: priority (.+))?$/.exec(statement);
  if (base) {
    chain.type = base[1]!;
    chain.hook = base[2]!;
    if (base[3] !== undefined) chain.priority = base[3].trim();
    return;
  }
  const policy = /^policy (\S+)$/.exec(statement);
  if (policy) {
    chain.policy = policy[1]!;
    return;
  }
  if (/^(comment|devices|flags)\b/.test(statement)) return;
  chain.rules.push(statement);
}

function unquote(word: string): string {
  return word.length >= 2 && word.startsWith('"') && word.endsWith('"') ? word.slice(1, -1) : word;
}

/** Families whose input hook sees IPv4 packets (XenCenter, eAC and quorum traffic of this era is IPv4). */
const IPV4_FAMILIES = new Set(['ip', 'inet']);

/** Filter chains on the input hook that IPv4 traffic passes through. */
export function ipv4InputChains(ruleset: NftRuleset): NftChain[] {
  return ruleset.chains.filter((c) => c.type === 'filter' && c.hook === 'input' && IPV4_FAMILIES.has(c.family));
}

/** True when `nft list ruleset` has a filter chain on the input hook (any family). */
export function hasInputHook(ruleset: NftRuleset): boolean {
  return ruleset.chains.some((c) => c.type === 'filter' && c.hook === 'input');
}

/** Verdicts by which a rule can refuse a packet. */
const REFUSING = /\b(drop|reject|queue|synproxy)\b/;
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/**
 * True when the chain lets every packet through: policy accept (the default) and no rule that could
 * refuse one. With no rules at all this is the plain "policy accept, empty chain" case (Debian's
 * stock /etc/nftables.conf); rules that only accept, count or log (lxd's per-bridge chains) do not
 * change that. A jump or goto is followed into the chain it names (same table) when `ruleset` is
 * given, so libvirt's "INPUT -> jump LIBVIRT_INP (accepts only)" also lets everything through;
 * without it, or to a chain that is not there, a jump counts as able to refuse. Quoted strings
 * (comments) are ignored when looking for verdicts.
 */
export function acceptsEverything(chain: NftChain, ruleset?: NftRuleset): boolean {
  if ((chain.policy ?? 'accept') !== 'accept') return false;
  return cannotRefuse(chain, ruleset, new Set());
}

function cannotRefuse(chain: NftChain, ruleset: NftRuleset | undefined, seen: Set<NftChain>): boolean {
  if (seen.has(chain)) return true; // already being looked at: a loop adds no verdict of its own
  seen.add(chain);
  for (const rule of chain.rules) {
    const strings: string[] = [];
    const bare = rule.replace(QUOTED, (q) => `"${strings.push(q.slice(1, -1)) - 1}"`);
    if (REFUSING.test(bare)) return false;
    for (const m of bare.matchAll(/\b(?:jump|goto)\s+("\d+"|[^\s,}]+)/g)) {
      const word = m[1]!;
      const name = word.startsWith('"') ? (strings[Number(word.slice(1, -1))] ?? '') : word;
      const target = ruleset?.chains.find((c) => c.family === chain.family && c.table === chain.table && c.name === name);
      if (!target || !cannotRefuse(target, ruleset, seen)) return false;
    }
  }
  return true;
}
