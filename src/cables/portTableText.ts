import { alignColumns } from '../report/alignedColumns.js';
import { inertText } from '../report/inertText.js';
import { FAILING_VERDICTS } from './diagnose.js';
import { roleText, type PortTable } from './portTable.js';

/** The port table as the walkthrough prints it at the end: one line per port, then the counts. */
export function renderPortTableText(t: PortTable, managementNic = 'eth0'): string {
  const head = ['HOST', 'DEVICE', 'MAC', 'LABEL', 'ROLE', 'PEER', 'VERDICT'];
  const rows = t.rows.map((r) => [
    r.host,
    r.device,
    r.mac ?? '-',
    r.label ?? '-',
    r.role ? roleText(r.role, managementNic) : '-',
    r.peer ? `${r.peer.host} ${r.peer.device}` : '-',
    r.verdict + (r.rehearsal ? ` (rehearsal ${r.rehearsal.verdict})` : ''),
  ]);
  let out = alignColumns(head, rows);
  const counts = new Map<string, number>();
  for (const r of t.rows) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
  out += `${[...counts].map(([v, n]) => `${n} ${v}`).join(', ')}\n`;
  const problems = t.rows.filter((r) => FAILING_VERDICTS.has(r.verdict) || r.rehearsal?.verdict === 'failed');
  for (const r of problems) out += `- ${inertText(`${r.host} ${r.device}: ${r.verdict === 'ok' ? r.rehearsal!.detail : r.detail}`)}\n`;
  return out;
}
