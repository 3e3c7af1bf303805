import { z } from 'zod';
import type { Status } from '../engine/types.js';
import type { HostFacts } from '../facts/schema.js';
import { cannotCompare, incomplete, joinNames } from './poolHosts.js';
import type { HostContext, PoolCheck } from './types.js';

const Params = z
  .object({
    ignoredFlags: z
      .array(z.string().min(1))
      .describe('feature flags left out of the comparison: those the kernel, the hypervisor or microcode set, not the processor model'),
  })
  .strict();
export type PoolIdenticalCpusParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'skip', 'error'];

const CPU_PROBES = ['proc.cpuinfo', 'lscpu', 'xe.host-list'] as const;

/** What makes two processors the same part: vendor, then CPUID family, model and stepping. */
const IDENTITY = ['vendor', 'family', 'model', 'stepping'] as const;
type IdentityField = (typeof IDENTITY)[number];

interface HostCpu {
  host: HostContext;
  vendor?: string;
  family?: number;
  model?: number;
  stepping?: number;
  modelName?: string;
  flags: string[];
  /** Where the flags come from; flags from different sources (or a Dom0 and a bare host) are not compared. */
  flagSource?: string;
}

const number = (s: string | undefined) => (s !== undefined && /^\s*\d+\s*$/.test(s) ? Number(s) : undefined);
const squeeze = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s.trim().replace(/\s+/g, ' '));

/** /proc/cpuinfo or lscpu first; XenServer's record of the host (xe host cpu_info) fills the gaps. */
function hostCpu(host: HostContext): HostCpu {
  const facts: HostFacts = host.facts;
  const xe = facts.xenserver?.cpuInfo;
  const cpu: HostCpu = { host, flags: [] };
  const vendor = squeeze(facts.cpu.vendor) ?? squeeze(xe?.['vendor']);
  if (vendor !== undefined) cpu.vendor = vendor;
  const family = facts.cpu.family ?? number(xe?.['family']);
  if (family !== undefined) cpu.family = family;
  const model = facts.cpu.model ?? number(xe?.['model']);
  if (model !== undefined) cpu.model = model;
  const stepping = facts.cpu.stepping ?? number(xe?.['stepping']);
  if (stepping !== undefined) cpu.stepping = stepping;
  const modelName = squeeze(facts.cpu.modelName) ?? squeeze(xe?.['modelname']);
  if (modelName !== undefined) cpu.modelName = modelName;
  // In a Xen Dom0 the kernel shows the flags Xen leaves its control domain, not the CPU's own.
  const dom0 = facts.virtualization.xenDom0 === true ? ' in a Xen Dom0' : '';
  if (facts.cpu.flags.length > 0) {
    cpu.flags = facts.cpu.flags;
    cpu.flagSource = `/proc/cpuinfo${dom0}`;
  } else if (squeeze(xe?.['flags']) !== undefined) {
    cpu.flags = squeeze(xe?.['flags'])!.split(' ');
    cpu.flagSource = 'xe host cpu_info';
  }
  return cpu;
}

const show = (c: HostCpu) =>
  `${c.vendor ?? 'vendor ?'} family ${c.family ?? '?'} model ${c.model ?? '?'} stepping ${c.stepping ?? '?'}${c.modelName ? ` (${c.modelName})` : ''}`;

/** Hosts grouped by one field's value, only where the value is known: Map value -> hosts. */
function groupBy<T>(cpus: readonly HostCpu[], get: (c: HostCpu) => T | undefined): Map<T, string[]> {
  const groups = new Map<T, string[]>();
  for (const c of cpus) {
    const v = get(c);
    if (v === undefined) continue;
    groups.set(v, [...(groups.get(v) ?? []), c.host.host]);
  }
  return groups;
}

const groupText = <T>(label: string, groups: Map<T, string[]>, quote = false) =>
  `${label} ${[...groups].map(([v, hosts]) => `${quote ? `"${String(v)}"` : String(v)} on ${joinNames(hosts)}`).join(', ')}`;

export const poolIdenticalCpus: PoolCheck<PoolIdenticalCpusParams> = {
  name: 'pool-identical-cpus',
  scope: 'pool',
  description:
    'every master and member host has the same processor (vendor, family, model, stepping); differing feature flags or model names are a warning',
  params: Params,
  probes: [...CPU_PROBES],
  evaluate(ctx, { ignoredFlags }) {
    const expected = 'identical processors on every host: the same vendor, family, model and stepping, and the same feature flags';
    const notComparable = cannotCompare(ctx, expected, 'the processors');
    if (notComparable) return notComparable;

    const cpus = ctx.hosts.map(hostCpu);
    const observed =
      cpus.map((c) => `${c.host.host}: ${show(c)}`).join('; ') + (ctx.unreachable.length ? `; not scanned: ${joinNames(ctx.unreachable.map((u) => u.host))}` : '');

    // A difference between two hosts whose values are known is proven, whatever else is missing.
    const differing = IDENTITY.map((field) => [field, groupBy(cpus, (c) => c[field])] as [IdentityField, Map<string | number, string[]>]).filter(
      ([, groups]) => groups.size > 1,
    );
    if (differing.length) {
      const details = differing.map(([field, groups]) => groupText(field, groups));
      // Two hosts: neither side is "the wrong one". From three hosts up, the odd ones out are named.
      let blame = '';
      if (cpus.length >= 3) {
        const odd = new Set<string>();
        for (const [, groups] of differing) {
          const sorted = [...groups.values()].sort((a, b) => b.length - a.length);
          if (sorted[0]!.length * 2 > cpus.length) for (const g of sorted.slice(1)) g.forEach((h) => odd.add(h));
        }
        if (odd.size) blame = ` ${joinNames([...odd])} ${odd.size === 1 ? 'differs' : 'differ'} from the other hosts.`;
      }
      return {
        status: 'fail',
        observed,
        expected,
        message: `The processors are not identical: ${details.join('; ')}.${blame} everRun runs each protected VM on two hosts at once, and the guide requires a second computer with identical processors: fit the same processor model and stepping in every host (compare "grep -m5 -E '^(vendor_id|cpu family|model|stepping)' /proc/cpuinfo" on each).`,
      };
    }

    const unknown = cpus.filter((c) => IDENTITY.some((f) => c[f] === undefined)).map((c) => ({ host: c.host, probes: CPU_PROBES }));
    const gap = incomplete(ctx, unknown, 'the processors are identical on every host', `Run "grep -m5 -E '^(vendor_id|cpu family|model|stepping)' /proc/cpuinfo" on each host by hand.`);
    if (gap) return { status: 'error', observed, expected, message: gap };

    const warnings: string[] = [];
    const names = groupBy(cpus, (c) => c.modelName);
    if (names.size > 1) {
      warnings.push(
        `The processors are the same family, model and stepping, but their model names differ (${groupText('model name', names, true)}): a different part of the same generation (clock speed, cache), not an identical processor.`,
      );
    }
    const sources = new Set(cpus.map((c) => c.flagSource));
    let flagNote = '';
    if (sources.size > 1 || sources.has(undefined)) {
      const missing = cpus.filter((c) => c.flagSource === undefined).map((c) => c.host.host);
      flagNote = missing.length
        ? ` Feature flags were not compared: they are not known on ${joinNames(missing)}.`
        : ` Feature flags were not compared: they come from different views (${cpus.map((c) => `${c.host.host}: ${c.flagSource}`).join(', ')}).`;
    } else {
      const ignored = new Set(ignoredFlags);
      const all = new Set(cpus.flatMap((c) => c.flags).filter((f) => !ignored.has(f)));
      const lacks = cpus
        .map((c) => {
          const own = new Set(c.flags);
          return { host: c.host.host, missing: [...all].filter((f) => !own.has(f)).sort() };
        })
        .filter((l) => l.missing.length > 0);
      if (lacks.length) {
        warnings.push(
          `The feature flags differ: ${lacks.map((l) => `${l.host} lacks ${l.missing.join(', ')}`).join('; ')}. A flag missing on one host is usually a BIOS setting (Execute Disable/NX, VT, C-states) or older BIOS/microcode: set the BIOS options the same on every host and bring BIOS and microcode to the same level.`,
        );
      }
    }
    if (warnings.length) return { status: 'warn', observed, expected, message: warnings.join(' ') + flagNote };
    return {
      status: 'pass',
      observed,
      expected,
      message: `Every host has the same processor: ${show(cpus[0]!)}${flagNote ? `.${flagNote}` : ', with the same feature flags.'}`,
    };
  },
};
