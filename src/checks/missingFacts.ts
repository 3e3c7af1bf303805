import { probeById } from '../collect/probes.js';
import type { HostFacts } from '../facts/schema.js';

/**
 * Why a fact is missing, in the operator's words, from how the probes that would have given it
 * fared: "ethtool: not installed", "iptables-save failed: Permission denied (run as root)".
 * Checks put this in skip/error messages so nobody has to guess what to fix first.
 */
export function whyMissing(facts: HostFacts, probeIds: readonly string[]): string {
  const notes = probeIds.map((id) => probeNote(facts, id));
  return notes.length ? notes.join('; ') : 'no probe gives this information';
}

/** What the operator would call the probe's source: the file it reads, or the command. */
export function probeSourceName(id: string): string {
  const probe = probeById(id);
  if (!probe) return id;
  if (probe.file) return probe.file;
  const words = probe.manual.split('\n')[0]!.trim().split(/\s+/);
  // "xe sr-list ..." is more useful than "xe"; "cat /proc/net/bonding/*" is named by what it reads,
  // not "cat"; other tools are named by their first word.
  if (words[0] === 'xe' && words[1]) return `xe ${words[1]}`;
  if (words[0] === 'cat' || words[0] === 'ls') {
    const path = words.slice(1).find((w) => !w.startsWith('-'));
    if (path) return path;
  }
  return words[0] ?? id;
}

function probeNote(facts: HostFacts, id: string): string {
  const name = probeSourceName(id);
  const status = facts.probes[id];
  if (!status) return `${name}: not collected`;
  if (status.status === 'absent') return status.detail ? status.detail : `${name}: not available on this host`;
  if (status.status === 'failed') {
    const detail = status.detail ?? 'unknown error';
    const rootHint = /permission denied|operation not permitted|must be root|you must be root/i.test(detail) ? ' (run as root)' : '';
    return `${name} failed: ${detail}${rootHint}`;
  }
  const problems = facts.problems.filter((p) => p.probe === id).map((p) => p.message);
  return problems.length ? `${name} could not be read: ${problems.join(', ')}` : `${name} was read but did not give it`;
}
