// Turns raw samples into the per-case record stored in results.json, and the helpers groups use
// to state targets and ratios.
import { round, stats } from './measure.mjs';
import { fmtMs } from './report.mjs';

export function summarizeCase(c, samples) {
  const ok = samples.filter((s) => !s.error);
  const exitCodes = {};
  for (const s of samples) {
    const k = s.timedOut ? 'timeout' : s.exitCode === null ? (s.signal ?? 'none') : String(s.exitCode);
    exitCodes[k] = (exitCodes[k] ?? 0) + 1;
  }
  const failed = samples.filter((s) => s.error);
  const extraKeys = [...new Set(ok.flatMap((s) => Object.keys(s.extra ?? {})))];
  const extra = {};
  for (const k of extraKeys) {
    const vals = ok.map((s) => s.extra?.[k]);
    extra[k] = vals.every((v) => typeof v === 'number') ? stats(vals) : vals[vals.length - 1];
  }
  return {
    id: c.id,
    label: c.label,
    role: c.role,
    command: c.display ?? [c.cmd, ...c.args].join(' '),
    ...(c.unavailable ? { unavailable: c.unavailable } : {}),
    ...(c.gaveUp ? { gaveUp: c.gaveUp } : {}),
    ...(c.note ? { note: c.note } : {}),
    exitCodes,
    ...(failed.length ? { errors: failed.length, firstError: failed[0].error } : {}),
    stats: ok.length ? { wallMs: stats(ok.map((s) => s.wallMs)), cpuMs: stats(ok.map((s) => s.cpuMs)), rssKb: stats(ok.map((s) => s.rssKb)), ...(extraKeys.length ? { extra } : {}) } : null,
    samples,
  };
}

export const median = (c) => c?.stats?.wallMs?.median;

/** Why a case has no figure: not installed, given up, or every run failed (with the first error). */
export function whyNoFigure(c) {
  if (!c) return 'not measured';
  if (c.unavailable) return c.unavailable;
  if (c.gaveUp) return c.gaveUp;
  if (c.errors) {
    const tail = c.samples.find((s) => s.stderrTail)?.stderrTail?.trim().split('\n').at(-1);
    return `every run failed (exit ${Object.keys(c.exitCodes).join(', ')}): ${c.firstError}${tail ? `; stderr: ${tail}` : ''}`;
  }
  return 'no successful run';
}

/** Median over rounds of peer[i] / subject[i] (both successful in round i). */
export function pairedRatio(subject, peer) {
  const n = Math.min(subject.samples.length, peer.samples.length);
  const r = [];
  for (let i = 0; i < n; i++) {
    const a = subject.samples[i];
    const b = peer.samples[i];
    if (!a.error && !b.error && a.wallMs > 0) r.push(b.wallMs / a.wallMs);
  }
  return stats(r, 4)?.median;
}

/** "facter --json: 2.10x preflight's time (paired 2.05x)" */
export function ratioLine(subject, peer) {
  const a = median(subject);
  const b = median(peer);
  if (a === undefined || b === undefined) {
    const missing = a === undefined ? subject : peer;
    return { of: peer.id, to: subject.id, ratio: null, text: `${peer.label}: no ratio (${missing.label}: ${whyNoFigure(missing)})` };
  }
  const ratio = round(b / a, 2);
  const paired = pairedRatio(subject, peer);
  const verb = b >= a ? `preflight is ${(b / a).toFixed(2)}x faster` : `preflight is ${(a / b).toFixed(2)}x slower`;
  return {
    of: peer.id,
    to: subject.id,
    ratio,
    pairedRatio: paired === undefined ? null : round(paired, 2),
    text: `${peer.label} ${fmtMs(b)} ÷ ${subject.label} ${fmtMs(a)} = ${ratio.toFixed(2)} (paired ${paired === undefined ? '–' : paired.toFixed(2)}): ${verb}`,
  };
}

/** Target "subject faster than peer in the same run". */
export function fasterThan(id, subject, peer) {
  const a = median(subject);
  const b = median(peer);
  if (a === undefined || b === undefined) {
    const missing = a === undefined ? subject : peer;
    return { id, text: `faster than ${peer.label}`, met: false, detail: `not shown: ${missing.label}: ${whyNoFigure(missing)}` };
  }
  return {
    id,
    text: `faster than ${peer.label}`,
    met: a < b,
    value: a,
    threshold: b,
    detail: `${fmtMs(a)} vs ${fmtMs(b)}: ${a < b ? `${(b / a).toFixed(2)}x faster` : `${(a / b).toFixed(2)}x slower`}`,
  };
}

/** Target "median under N ms". */
export function medianUnder(id, text, c, limitMs) {
  const a = median(c);
  if (a === undefined) return { id, text, met: false, detail: `not measured: ${whyNoFigure(c)}` };
  return { id, text, met: a < limitMs, value: a, threshold: limitMs, detail: `median ${fmtMs(a)} (limit ${fmtMs(limitMs)}; min ${fmtMs(c.stats.wallMs.min)}, max ${fmtMs(c.stats.wallMs.max)})` };
}
