import { EXIT_NOT_FOUND, type Evidence } from '../../collect/evidence.js';
import { parseIptablesSave, type IptablesSave } from '../iptablesSave.js';
import { parseListeners } from '../listeners.js';
import { acceptsEverything, ipv4InputChains, parseNftRuleset, type NftRuleset } from '../nftRuleset.js';
import type { FirewallFacts, ListenerFacts, ParseProblem } from '../schema.js';
import { splitLines } from '../textLines.js';
import { parseProbe, probeOutput } from './probeOutput.js';

/**
 * Listening sockets and the firewall in front of them.
 *
 * Three probes describe the firewall, and on current distributions they do not see the same thing:
 *
 * - N `/proc/net/ip_tables_names`: tables of the legacy (x_tables) iptables in the kernel. The file
 *   is absent when the ip_tables module is not loaded, and is empty or lacks "filter" when legacy
 *   iptables holds no filter table. It says nothing about nftables: on the preflight VM (Debian 12,
 *   ip_tables built in) it exists and stays empty while iptables-nft rules are loaded.
 * - S `iptables-save`: on XenServer/CentOS (and any iptables before 1.8, or "legacy") it prints the
 *   legacy tables. On Debian 10+/RHEL 8+ `iptables` is iptables-nft: the header says "(nf_tables)"
 *   and it prints the iptables-compatible tables kept in nftables (table ip filter, ...), not the
 *   legacy ones; when legacy tables are loaded too, it writes "# Warning: iptables-legacy tables
 *   present, use iptables-legacy-save to see them" to stderr (observed: stdout then empty, exit 0)
 *   and the legacy rules stay invisible. With nothing loaded either one prints nothing.
 * - T `nft list ruleset`: every nftables table, including the ones iptables-nft keeps (those appear
 *   again as `table ip filter`), plus native ones (Debian's /etc/nftables.conf `table inet filter`,
 *   firewalld's `table inet firewalld`, lxd, ...). Absent (exit 127) where nft is not installed.
 *
 * A packet must pass every input-hook chain, legacy and nftables alike. So:
 *
 *   legacy filter loaded      = N lists filter, or S (legacy variant, or no header at all) prints
 *                               *filter, or S warns about legacy tables and N cannot be read
 *   iptables-nft filters      = S (nf_tables variant) prints a filter table with a rule or a non-ACCEPT policy
 *   native nftables filters   = T has an ip/inet filter chain on the input hook that is not one of the
 *                               tables S printed (iptables-nft) and could refuse a packet
 *                               (acceptsEverything), or S says the filter table is incompatible
 *   legacy side known         = N was read, or N is absent (module not loaded), or S was read
 *                               (the legacy variant prints them; the nf_tables one warns about them)
 *   nftables side known       = T was read, or nft is not installed and S was read or is not installed
 *
 *   backend 'iptables'  when the legacy filter table is loaded or iptables-nft filters. `filter` holds
 *                       the chains from S, except when S cannot show the rules that are in force
 *                       (iptables-nft view while legacy filter is loaded): then `filter` is absent and
 *                       a problem says to run iptables-legacy-save. `nftRuleset` is true when native
 *                       nftables filters as well, so the check can say the iptables verdict is not
 *                       the whole story. (`nftRuleset` means "a native nftables input chain that can
 *                       refuse packets", not merely "an input hook exists": an accept-all chain such
 *                       as Debian's stock one filters nothing.)
 *   backend 'nftables'  when only native nftables filters (preflight does not evaluate nft rules).
 *   backend 'none'      when both sides are known and nothing filters: N empty or absent, S empty or
 *                       only an all-ACCEPT filter table, T without a refusing input chain.
 *   backend 'unknown'   otherwise, typically when iptables-save/nft failed (not root) and nothing
 *                       readable shows a firewall.
 *
 * IPv6 (ip6tables, `table ip6 ...`) is not looked at: XenCenter, eAC and quorum traffic of this era is IPv4.
 */

export interface PortsFacts {
  listeners?: ListenerFacts[];
  firewall?: FirewallFacts;
  problems: ParseProblem[];
}

const NAMES = 'firewall.ip-tables-names';
const SAVE = 'firewall.iptables-save';
const NFT = 'firewall.nft';

export function assemblePorts(evidence: Record<string, Evidence>): PortsFacts {
  const problems: ParseProblem[] = [];
  const listeners = parseProbe(evidence, 'net.listeners', parseListeners, problems);
  const firewall = assembleFirewall(evidence, problems);
  return { ...(listeners !== undefined ? { listeners } : {}), firewall, problems };
}

type ProbeState = 'read' | 'absent' | 'unreadable';

/** read: ran and exited 0; absent: the file or tool does not exist here (127); unreadable: anything else. */
function probeState(evidence: Record<string, Evidence>, id: string): ProbeState {
  if (probeOutput(evidence, id) !== undefined) return 'read';
  const ev = evidence[id];
  return ev !== undefined && ev.error === undefined && ev.exitCode === EXIT_NOT_FOUND ? 'absent' : 'unreadable';
}

function assembleFirewall(evidence: Record<string, Evidence>, problems: ParseProblem[]): FirewallFacts {
  const names = parseProbe(evidence, NAMES, (text) => ({ value: splitLines(text).map((l) => l.trim()).filter((l) => l !== ''), problems: [] }), problems);
  const save: IptablesSave | undefined = parseProbe(evidence, SAVE, parseIptablesSave, problems);
  const nft: NftRuleset | undefined = parseProbe(evidence, NFT, parseNftRuleset, problems);
  const namesState = probeState(evidence, NAMES);
  const saveState = probeState(evidence, SAVE);
  const nftState = probeState(evidence, NFT);

  // iptables-nft writes its legacy warning to stderr; older releases printed it as a comment.
  const legacyWarning = save !== undefined && (save.legacyTablesPresent || /iptables-legacy tables present/i.test(evidence[SAVE]?.stderr ?? ''));
  // Output without a "Generated by" header but with tables is taken as legacy (a hand-saved file).
  const saveShowsLegacy = save !== undefined && (save.variant === 'legacy' || (save.variant === undefined && save.tables.length > 0));
  // Without N, the warning alone cannot say which legacy tables are loaded: assume filter may be.
  const legacyFilterSuspected = names?.includes('filter') === true || (legacyWarning && names === undefined);
  const legacyFilterLoaded = legacyFilterSuspected || (saveShowsLegacy && save.tables.includes('filter'));
  // iptables-save shows the nftables view (or nothing) while legacy filter rules are in force.
  const legacyHidden = save !== undefined && !saveShowsLegacy && legacyFilterSuspected;
  const iptablesNftFilters = save?.variant === 'nf_tables' && save.filter !== undefined && tableFilters(save.filter);

  const shownByIptablesSave = new Set(save?.variant === 'nf_tables' ? save.tables : []);
  const nativeInput = nft ? ipv4InputChains(nft).filter((c) => !(c.family === 'ip' && shownByIptablesSave.has(c.table))) : [];
  const nativeFilters = nativeInput.some((c) => !acceptsEverything(c, nft)) || save?.incompatibleTables.includes('filter') === true;

  const legacyKnown = namesState !== 'unreadable' || save !== undefined;
  const nftKnown = nftState === 'read' || (nftState === 'absent' && saveState !== 'unreadable');

  const loadedTables = names ?? save?.tables;
  const base = {
    ...(loadedTables !== undefined ? { loadedTables } : {}),
    ...(nft !== undefined || nativeFilters ? { nftRuleset: nativeFilters } : {}),
  };

  if (legacyFilterLoaded || iptablesNftFilters) {
    if (legacyHidden) {
      problems.push({
        probe: SAVE,
        message:
          'the kernel has legacy iptables rules loaded (filter table), but this iptables-save is iptables-nft and does not show them: run "iptables-legacy-save" as root to see them',
      });
      return { backend: 'iptables', ...base };
    }
    if (!save?.filter) {
      if (save !== undefined) problems.push({ probe: SAVE, message: '/proc/net/ip_tables_names lists the filter table, but iptables-save printed no *filter section' });
      return { backend: 'iptables', ...base };
    }
    return { backend: 'iptables', ...base, filter: save.filter };
  }
  // The filter table S printed, kept as a fact even when it filters nothing.
  const filter = save?.filter ? { filter: save.filter } : {};
  if (nativeFilters) return { backend: 'nftables', ...base, ...filter };
  if (legacyKnown && nftKnown) return { backend: 'none', ...base, ...filter };
  return { backend: 'unknown', ...base, ...filter };
}

/** A filter table does something when a chain has a rule or a built-in chain drops by policy. */
function tableFilters(chains: NonNullable<IptablesSave['filter']>): boolean {
  return chains.some((c) => c.rules.length > 0 || (c.policy !== undefined && c.policy.toUpperCase() !== 'ACCEPT'));
}
