import { parsed, type ParseResult } from './parseResult.js';
import { splitLines } from './textLines.js';

/**
 * Parser for probe `windows.systeminfo`: the `systeminfo` command of Windows XP and later.
 *
 *   OS Name:                   Microsoft Windows 7 Professional
 *   OS Version:                6.1.7601 Service Pack 1 Build 7601
 *   System Type:               x64-based PC
 *   Processor(s):              1 Processor(s) Installed.
 *                              [01]: Intel64 Family 6 Model 42 Stepping 7 GenuineIntel ~2501 Mhz
 *   Total Physical Memory:     8,075 MB
 *   Network Card(s):           5 NIC(s) Installed.
 *                              [01]: Intel(R) 82579LM Gigabit Network Connection
 *                                    Connection Name: Local Area Connection
 *                                    Status:          Media disconnected
 *
 * The labels are localised (German: "Betriebssystemname"), so only English output is read; other
 * languages give a problem, and the systeminformation probe describes the machine instead.
 * "System Type" is the type of the running Windows (a 32-bit Windows on x64 hardware says
 * "X86-based PC"), which is what the guide's 64-bit OS note is about.
 */
export interface WindowsSysteminfo {
  hostName?: string;
  osName?: string;
  /** "6.1.7601" */
  osVersion?: string;
  servicePack?: number;
  /** 32 or 64 from "System Type" */
  bits?: 32 | 64;
  processors: { description: string; mhz?: number }[];
  /** "Total Physical Memory" in bytes (what Windows can use, a little less than installed) */
  totalPhysicalMemoryBytes?: number;
  nics: { name: string; connectionName?: string; status?: string }[];
}

export function parseWindowsSysteminfo(text: string): ParseResult<WindowsSysteminfo> {
  const out: WindowsSysteminfo = { processors: [], nics: [] };
  const problems: string[] = [];
  const fields = new Map<string, { value: string; more: string[] }>();
  let last: { value: string; more: string[] } | undefined;
  for (const line of splitLines(text)) {
    if (line.trim() === '') continue;
    const m = /^(\S[^:]*?):\s*(.*)$/.exec(line);
    if (m && !/^\s/.test(line)) {
      last = { value: m[2]!.trim(), more: [] };
      if (!fields.has(m[1]!)) fields.set(m[1]!, last);
      continue;
    }
    if (last && /^\s/.test(line)) last.more.push(line.trim());
  }
  if (!fields.has('OS Name') && !fields.has('OS Version')) {
    return parsed(out, [fields.size ? 'not English systeminfo output (the labels are localised): only English is read' : 'no "Label: value" lines']);
  }
  const get = (k: string) => fields.get(k)?.value || undefined;
  const host = get('Host Name');
  if (host) out.hostName = host;
  const name = get('OS Name');
  if (name) out.osName = name;
  const version = get('OS Version');
  if (version) {
    const v = /^(\d+(?:\.\d+)+)/.exec(version);
    if (v) out.osVersion = v[1]!;
    const sp = /Service Pack (\d+)/i.exec(version);
    out.servicePack = sp ? Number(sp[1]) : 0;
  }
  const type = get('System Type');
  if (type) {
    if (/^x64|^AMD64|^IA64|ARM64/i.test(type)) out.bits = 64;
    else if (/^X86/i.test(type)) out.bits = 32;
    else problems.push(`unknown System Type "${type.slice(0, 40)}"`);
  }
  for (const line of fields.get('Processor(s)')?.more ?? []) {
    const m = /^\[\d+\]:\s*(.*?)(?:\s+~?(\d+)\s*Mhz)?\s*$/i.exec(line);
    if (!m) continue;
    out.processors.push({ description: m[1]!.trim(), ...(m[2] ? { mhz: Number(m[2]) } : {}) });
  }
  const memory = get('Total Physical Memory');
  if (memory) {
    // "8,075 MB" (en-US); other separators are tolerated: "8.075 MB", "8 075 MB".
    const m = /^([\d.,\s\u00a0\u202f]+)\s*MB$/i.exec(memory);
    const digits = m ? m[1]!.replace(/[^\d]/g, '') : '';
    if (digits) out.totalPhysicalMemoryBytes = Number(digits) * 1024 * 1024;
    else problems.push(`unreadable Total Physical Memory "${memory.slice(0, 40)}"`);
  }
  let nic: WindowsSysteminfo['nics'][number] | undefined;
  for (const line of fields.get('Network Card(s)')?.more ?? []) {
    const head = /^\[\d+\]:\s*(.*)$/.exec(line);
    if (head && !/^\d+(\.\d+){3}$|:/.test(head[1]!.trim())) {
      nic = { name: head[1]!.trim() };
      out.nics.push(nic);
      continue;
    }
    const kv = /^(Connection Name|Status):\s*(.*)$/.exec(line);
    if (kv && nic) {
      if (kv[1] === 'Connection Name') nic.connectionName = kv[2]!.trim();
      else nic.status = kv[2]!.trim();
    }
  }
  return parsed(out, problems);
}
