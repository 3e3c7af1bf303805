import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { create as tarCreate } from 'tar';
import type { Evidence, HostEvidence, Probe } from '../collect/evidence.js';
import { scanProbePersonalData, type SupportProbe } from '../collect/supportProbes.js';
import { InputError } from '../engine/inputError.js';
import { accessProbe } from '../engine/exercise.js';
import { runScan, type ScanTarget } from '../engine/runScan.js';
import { parsePlan, type SitePlan } from '../engine/plan.js';
import type { ResolvedRule } from '../engine/types.js';
import { renderReport } from '../report/formats.js';
import type { Report } from '../report/schema.js';
import { TOOL_VERSION } from '../version.js';
import { TempPaths, withCleanup } from './cleanup.js';
import { commandPathFor, EVIDENCE, filePathFor, hostDirFor, MANIFEST, PLAN_PATH, REPORT_HTML, REPORT_JSON, rootNameFor } from './layout.js';
import {
  addCounts,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  countTotal,
  type BundleHost,
  type FileRecord,
  type ItemRecord,
  type Manifest,
  type RedactionCounts,
} from './manifest.js';
import { Obfuscator } from './obfuscate.js';
import { Redactor } from './redact.js';

/**
 * Makes a support bundle: collect (scan probes + support items, same transports as the scan),
 * redact every text, optionally obfuscate, evaluate the stored evidence into report.json/html,
 * stage the files, write the archive to a temporary name beside the target and rename it into
 * place, then write `<archive>.sha256`. Temporary files never outlive the run (see cleanup.ts).
 */

export interface BundleTarget extends ScanTarget {
  transport: 'local' | 'ssh';
  /** The SSH user and host part (obfuscation learns them). */
  user?: string;
  host?: string;
}

export interface BundleProgress {
  /** A host's evidence is in, or it could not be collected. */
  hostDone(name: string, error?: string): void;
  /** One line about one item or file (per-item progress). */
  item(host: string, line: string): void;
  /** Anything else worth a line (writing, warnings). */
  info(line: string): void;
}

export interface CreateBundleOptions {
  /** Final archive path (.tar.gz). */
  out: string;
  targets: readonly BundleTarget[];
  /** The scan catalogue: these probes make evidence.json and the report. */
  scanProbes: readonly Probe[];
  /** The support items the targets also collect (for their manifest tags and tail handling). */
  supportProbes: readonly SupportProbe[];
  maxFileBytes: number;
  caseId?: string;
  label?: string;
  obfuscate: boolean;
  /** Where the obfuscation map goes (default: beside the archive, <name>.map.json). */
  mapOut?: string;
  /** Literal secrets of this run (SSH password, private key lines): never written anywhere. */
  secrets: readonly string[];
  profile: string;
  rules: readonly ResolvedRule[];
  /** Hosts collected at once. */
  concurrency?: number;
  /** false: no active network tests (as `scan --no-network-tests`). */
  networkTests?: boolean;
  /** The site plan (--plan): its text is stored (redacted, obfuscated) as pool/plan.yaml, so a replay judges with it. */
  plan?: { file: string; text: string };
  /** --isolation-ip: recorded in the manifest's options, so a replay judges the same address. */
  isolationIp?: string;
  progress?: BundleProgress;
  /** Test hook: runs after the temporary archive is complete, before it is renamed. */
  beforeRename?: (tempArchive: string) => void | Promise<void>;
}

export interface CreateBundleResult {
  archive: string;
  sha256File: string;
  sha256: string;
  mapFile?: string;
  manifest: Manifest;
  /** The report stored in the bundle (from the stored evidence). */
  report: Report;
  /** The report of the live evidence, before redaction (never written). */
  liveReport: Report;
  bytes: number;
  hostsCollected: number;
}

const silent: BundleProgress = { hostDone: () => undefined, item: () => undefined, info: () => undefined };

interface Collected {
  target: BundleTarget;
  evidence?: HostEvidence;
  error?: string;
}

/** A text after redaction (and obfuscation), with what redaction found in it. */
interface Clean {
  text: string;
  counts: RedactionCounts;
}

interface CleanItem {
  ev: Evidence;
  source: Clean;
  stdout: Clean;
  stderr: Clean;
  error: Clean | undefined;
}

export function defaultMapPath(archive: string): string {
  const dir = dirname(archive);
  const stem = basename(archive).replace(/\.(?:tar\.gz|tgz|tar)$/i, '');
  return join(dir, `${stem}.map.json`);
}

export async function createBundle(opts: CreateBundleOptions): Promise<CreateBundleResult> {
  const started = Date.now();
  const createdAt = new Date(started).toISOString();
  const progress = opts.progress ?? silent;
  const out = resolve(opts.out);
  const dir = dirname(out);
  const rootName = rootNameFor(out);
  const tmpArchive = join(dir, `.${basename(out)}.${process.pid}.tmp`);
  const mapFile = opts.obfuscate ? resolve(opts.mapOut ?? defaultMapPath(out)) : undefined;
  if (mapFile !== undefined && (mapFile === out || mapFile === `${out}.sha256`)) {
    throw new InputError(`--map-out ${opts.mapOut}: must not be the archive or its .sha256`);
  }
  const temps = new TempPaths();

  return withCleanup(
    temps,
    async () => {
      // Reserve the temporary name first: an unwritable folder fails before any host is contacted.
      try {
        const fh = await open(tmpArchive, 'wx', 0o600);
        temps.add(tmpArchive);
        await fh.close();
      } catch (err) {
        throw new InputError(`${opts.out}: cannot write in ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const staging = await mkdtemp(join(dir, `.${basename(out)}.staging-`));
      temps.add(staging);

      // --- collect: the scan itself ------------------------------------------------------------
      // The same runScan as `preflight scan` (its network tests included); each target's probe list
      // also holds the support items. Its evidence map is what the scan saw, host by host.
      const today = createdAt.slice(0, 10);
      const livePlan = opts.plan ? parsePlan(opts.plan.file, opts.plan.text) : undefined;
      const live = await runScan({
        profile: opts.profile,
        rules: opts.rules,
        targets: opts.targets,
        ...(livePlan ? { plan: livePlan } : {}),
        ...(opts.isolationIp !== undefined ? { isolationIp: opts.isolationIp } : {}),
        ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
        evaluation: { skip: new Set(), today },
        networkTests: opts.networkTests !== false,
        onHostCollected: (t, error) => progress.hostDone(t.name, error),
      });
      const liveReport = live.report;
      const collected: Collected[] = opts.targets.map((target, i) => {
        const evidence = live.evidence.get(target.name);
        return evidence ? { target, evidence } : { target, error: liveReport.hosts[i]?.error ?? 'not collected' };
      });

      // --- cut, redact, obfuscate ---------------------------------------------------------------
      const probeInfo = new Map<string, Probe | SupportProbe>([...opts.scanProbes, ...opts.supportProbes].map((p) => [p.id, p]));
      const supportById = new Map(opts.supportProbes.map((p) => [p.id, p]));
      for (const c of collected) {
        if (!c.evidence) continue;
        for (const ev of Object.values(c.evidence.evidence)) {
          const sp = supportById.get(ev.probe);
          if (sp) applyCap(ev, opts.maxFileBytes, sp.keepTail);
        }
      }

      const redactor = new Redactor(opts.secrets);
      const red = (text: string): Clean => redactor.redact(text);
      const cleanItem = (ev: Evidence): CleanItem => ({
        ev,
        source: red(ev.source),
        stdout: red(ev.stdout),
        stderr: red(ev.stderr),
        error: ev.error !== undefined ? red(ev.error) : undefined,
      });
      const cleaned = collected.map((c) => ({
        ...c,
        errorClean: c.error !== undefined ? red(c.error) : undefined,
        items: c.evidence ? Object.values(c.evidence.evidence).map(cleanItem) : [],
      }));
      const poolItems = live.poolEvidence ? Object.values(live.poolEvidence.evidence).map(cleanItem) : [];
      // The site plan and --isolation-ip: inputs of the pool rules, stored so that a replay judges alike.
      const planClean = opts.plan ? red(opts.plan.text) : undefined;
      const isolationClean = opts.isolationIp !== undefined ? red(opts.isolationIp) : undefined;

      let obf: Obfuscator | undefined;
      if (opts.obfuscate) {
        const all = [...cleaned.flatMap((c) => c.items), ...poolItems];
        const texts: string[] = cleaned.flatMap((c) => (c.errorClean ? [c.errorClean.text] : []));
        for (const i of all) texts.push(i.source.text, i.stdout.text, i.stderr.text, i.error?.text ?? '');
        if (planClean) texts.push(planClean.text);
        const o = Obfuscator.build(obfuscationSeeds(cleaned), texts);
        if (planClean) planClean.text = o.apply(planClean.text);
        if (isolationClean) isolationClean.text = o.apply(isolationClean.text);
        for (const c of cleaned) if (c.errorClean) c.errorClean.text = o.apply(c.errorClean.text);
        for (const i of all) {
          for (const t of [i.source, i.stdout, i.stderr, i.error]) if (t) t.text = o.apply(t.text);
        }
        obf = o;
      }
      /** Catalogue text (fixed, but a test or a future probe could hold anything): cleaned too. */
      const sanitize = (text: string) => (obf ? obf.apply(redactor.redact(text).text) : redactor.redact(text).text);
      const nameOf = (t: BundleTarget) => (obf ? obf.hostName(t.name) : redactor.redact(t.name).text);
      const addressOf = (t: BundleTarget) => (obf ? obf.apply(redactor.redact(t.address).text) : redactor.redact(t.address).text);
      const storedEvidence = (i: CleanItem, id = i.ev.probe): Evidence => ({
        ...i.ev,
        probe: id,
        source: i.source.text,
        stdout: i.stdout.text,
        stderr: i.stderr.text,
        ...(i.error ? { error: i.error.text } : {}),
      });

      // --- the stored evidence and its report ---------------------------------------------------
      // Stored: everything the scan read (catalogue probes and network tests), not the support items.
      const stored = cleaned.map((c) => {
        const name = nameOf(c.target);
        const address = addressOf(c.target);
        const evidence: HostEvidence | undefined = c.evidence
          ? {
              transport: c.evidence.transport,
              collectedAt: c.evidence.collectedAt,
              evidence: Object.fromEntries(c.items.filter((i) => !supportById.has(i.ev.probe)).map((i) => [i.ev.probe, storedEvidence(i)])),
            }
          : undefined;
        return { c, name, address, evidence };
      });
      // The management computer's own tests of the hosts, keyed by host name: renamed with the hosts.
      const renamed = new Map(stored.map((s) => [accessProbe(s.c.target.name), accessProbe(s.name)]));
      const poolEvidence: HostEvidence | undefined = live.poolEvidence
        ? {
            transport: live.poolEvidence.transport,
            collectedAt: live.poolEvidence.collectedAt,
            evidence: Object.fromEntries(
              poolItems.map((i) => {
                const id = renamed.get(i.ev.probe) ?? (obf ? obf.apply(i.ev.probe) : i.ev.probe);
                return [id, storedEvidence(i, id)];
              }),
            ),
          }
        : undefined;
      // report.json is exactly what `preflight report` replays from the stored evidence: nothing live.
      let storedPlan: SitePlan | undefined;
      if (planClean) {
        try {
          storedPlan = parsePlan(PLAN_PATH, planClean.text);
        } catch (err) {
          progress.info(`warning: the stored site plan no longer reads as a plan after redaction or obfuscation (${(err as Error).message}); the stored report is judged without it`);
        }
      }
      const { report } = await runScan({
        profile: opts.profile,
        rules: opts.rules,
        evaluation: { skip: new Set(), today },
        networkTests: false,
        ...(storedPlan ? { plan: storedPlan } : {}),
        ...(isolationClean ? { isolationIp: isolationClean.text } : {}),
        ...(poolEvidence ? { storedPoolEvidence: poolEvidence } : {}),
        targets: stored.map((s) => ({
          name: s.name,
          address: s.address,
          role: s.c.target.role,
          collect: async () => {
            if (!s.evidence) throw new Error(s.c.errorClean?.text ?? 'not collected');
            return s.evidence;
          },
        })),
      });
      const differences = compareVerdicts(liveReport, report);
      for (const d of differences) {
        progress.info(`warning: ${d.rule} on ${d.host} is ${d.stored} from the stored evidence but was ${d.live} in the live scan (see docs/bundle-format.md, "Replay")`);
      }

      // --- stage the files ------------------------------------------------------------------------
      const root = join(staging, rootName);
      await mkdir(root, { mode: 0o700 });
      const files: FileRecord[] = [];
      const usedPaths = new Set<string>();
      const write = async (rel: string, content: string, record: Omit<FileRecord, 'path' | 'size' | 'sha256'>) => {
        usedPaths.add(rel);
        const buf = Buffer.from(content, 'utf8');
        const abs = join(root, rel);
        await mkdir(dirname(abs), { recursive: true, mode: 0o700 });
        await writeFile(abs, buf, { mode: 0o600, flag: 'wx' });
        const rec: FileRecord = { path: rel, size: buf.length, sha256: sha256(buf), ...record };
        files.push(rec);
        return rec;
      };

      const taken = new Set<string>();
      const hosts: BundleHost[] = [];
      const totals: RedactionCounts = {};
      for (const s of stored) {
        const hostDir = hostDirFor(s.name, taken);
        const items: ItemRecord[] = [];
        let evidencePath: string | undefined;
        if (s.evidence) {
          // Catalogue order: scan probes first, then support items, as the manifest lists them.
          const order = new Map([...opts.scanProbes, ...opts.supportProbes].map((p, i) => [p.id, i]));
          const sorted = [...s.c.items].sort((a, b) => (order.get(a.ev.probe) ?? 1e9) - (order.get(b.ev.probe) ?? 1e9));
          for (const i of sorted) {
            const probe = probeInfo.get(i.ev.probe);
            const support = supportById.get(i.ev.probe);
            const kind = support ? 'support' : 'scan';
            const rawPath = probe?.file ?? support?.path;
            const hostPath = rawPath !== undefined ? sanitize(rawPath) : undefined;
            const personalData = support ? support.personalData : scanProbePersonalData(i.ev.probe);
            const base = {
              host: s.name,
              probe: i.ev.probe,
              source: hostPath ?? i.source.text,
              exitCode: i.ev.exitCode,
              durationMs: i.ev.durationMs,
              personalData,
            };
            const itemFiles: string[] = [];
            const status = statusOf(i.ev);
            let storedPath = hostPath !== undefined ? filePathFor(hostPath) : undefined;
            // Two items reading the same file: the second goes under commands/.
            if (storedPath !== undefined && usedPaths.has(`${hostDir}/${storedPath}`)) storedPath = undefined;
            const wantStdout = storedPath !== undefined ? i.ev.exitCode === 0 && i.ev.error === undefined : i.stdout.text !== '' || status === 'ok';
            if (wantStdout) {
              const rel = `${hostDir}/${storedPath ?? commandPathFor(i.ev.probe, 'stdout')}`;
              const rec = await write(rel, i.stdout.text, { ...base, role: 'stdout', truncated: i.ev.truncated, redactions: i.stdout.counts });
              itemFiles.push(rel);
              progress.item(s.name, `${rel.slice(hostDir.length + 1)} ${formatBytes(rec.size)}${i.ev.truncated ? ' (truncated, tail kept)' : ''}${describeCounts(i.stdout.counts)}`);
            }
            if (i.stderr.text !== '') {
              const rel = `${hostDir}/${commandPathFor(i.ev.probe, 'stderr')}`;
              await write(rel, i.stderr.text, { ...base, role: 'stderr', truncated: false, redactions: i.stderr.counts });
              itemFiles.push(rel);
            }
            if (!wantStdout) progress.item(s.name, `${i.ev.probe}: ${status}${i.error ? ` (${i.error.text})` : ''}`);
            addCounts(totals, i.stdout.counts);
            addCounts(totals, i.stderr.counts);
            addCounts(totals, i.source.counts);
            if (i.error) addCounts(totals, i.error.counts);
            items.push({
              probe: i.ev.probe,
              kind,
              description: sanitize(probe?.description ?? i.ev.probe),
              source: i.source.text,
              manual: probe ? sanitize(probe.manual) : i.source.text,
              ...(hostPath !== undefined ? { path: hostPath } : {}),
              personalData,
              timeoutMs: probe?.timeoutMs ?? 0,
              maxBytes: support ? opts.maxFileBytes : (probe?.maxBytes ?? 0),
              status,
              exitCode: i.ev.exitCode,
              durationMs: i.ev.durationMs,
              truncated: i.ev.truncated,
              ...(i.error ? { error: i.error.text } : {}),
              files: itemFiles,
            });
          }
          const evCounts: RedactionCounts = {};
          for (const i of s.c.items) {
            if (supportById.has(i.ev.probe)) continue;
            addCounts(evCounts, i.stdout.counts);
            addCounts(evCounts, i.stderr.counts);
            addCounts(evCounts, i.source.counts);
            if (i.error) addCounts(evCounts, i.error.counts);
          }
          evidencePath = `${hostDir}/${EVIDENCE}`;
          await write(evidencePath, JSON.stringify(s.evidence, null, 2) + '\n', {
            host: s.name,
            role: 'evidence',
            source: 'preflight: the scan evidence of this host (HostEvidence), replayed by `preflight report`',
            truncated: false,
            personalData: true,
            redactions: evCounts,
          });
        }
        if (s.c.errorClean) addCounts(totals, s.c.errorClean.counts);
        hosts.push({
          name: s.name,
          dir: hostDir,
          address: s.address,
          role: s.c.target.role,
          transport: s.c.target.transport,
          collected: s.evidence !== undefined,
          ...(s.c.errorClean ? { error: s.c.errorClean.text } : {}),
          ...(s.evidence ? { collectedAt: s.evidence.collectedAt } : {}),
          ...(evidencePath ? { evidence: evidencePath } : {}),
          items,
        });
      }

      let poolEvidencePath: string | undefined;
      if (poolEvidence) {
        poolEvidencePath = `pool/${EVIDENCE}`;
        const counts: RedactionCounts = {};
        for (const i of poolItems) for (const t of [i.source, i.stdout, i.stderr, i.error]) if (t) addCounts(counts, t.counts);
        addCounts(totals, counts);
        await write(poolEvidencePath, JSON.stringify(poolEvidence, null, 2) + '\n', {
          host: 'pool',
          role: 'evidence',
          source: "preflight: this computer's own network tests of the hosts (pool.management-access)",
          truncated: false,
          personalData: true,
          redactions: counts,
        });
      }

      if (planClean) {
        addCounts(totals, planClean.counts);
        await write(PLAN_PATH, planClean.text, {
          host: 'pool',
          role: 'evidence',
          source: 'preflight: the site plan given with --plan (read by the pool rules; a replay uses it)',
          truncated: false,
          personalData: true,
          redactions: planClean.counts,
        });
      }

      const reportRecord = { role: 'report' as const, source: 'preflight: the scan report, evaluated from the stored evidence', truncated: false, personalData: true, redactions: {} };
      await write(REPORT_JSON, await renderReport(report, 'json'), reportRecord);
      await write(REPORT_HTML, await renderReport(report, 'html'), reportRecord);

      const manifest: Manifest = {
        format: BUNDLE_FORMAT,
        formatVersion: BUNDLE_FORMAT_VERSION,
        tool: { name: 'preflight', version: TOOL_VERSION },
        createdAt,
        durationMs: Date.now() - started,
        ...(opts.caseId !== undefined ? { caseId: redactor.redact(opts.caseId).text } : {}),
        ...(opts.label !== undefined ? { label: redactor.redact(opts.label).text } : {}),
        profile: opts.profile,
        options: { maxFileBytes: opts.maxFileBytes, obfuscated: opts.obfuscate, ...(isolationClean ? { isolationIp: isolationClean.text } : {}) },
        report: { json: REPORT_JSON, html: REPORT_HTML },
        hosts,
        ...(poolEvidencePath ? { poolEvidence: poolEvidencePath } : {}),
        ...(planClean ? { plan: PLAN_PATH } : {}),
        files,
        redactions: { total: countTotal(totals), byKind: totals },
        replay: { identical: differences.length === 0, differences },
      };
      const manifestText = JSON.stringify(manifest, null, 2) + '\n';
      await writeFile(join(root, MANIFEST), manifestText, { mode: 0o600, flag: 'wx' });

      // --- archive, checksum, map, renames --------------------------------------------------------
      progress.info(`writing ${opts.out}`);
      await tarCreate({ gzip: true, portable: true, cwd: staging, file: tmpArchive, mtime: new Date(started) }, [rootName]);
      await opts.beforeRename?.(tmpArchive);
      const digest = await sha256File(tmpArchive);
      const bytes = (await stat(tmpArchive)).size;

      if (mapFile !== undefined && obf) {
        const tmpMap = `${mapFile}.${process.pid}.tmp`;
        temps.add(tmpMap);
        try {
          await mkdir(dirname(mapFile), { recursive: true });
          await writeFile(tmpMap, JSON.stringify(obf.map(basename(out)), null, 2) + '\n', { mode: 0o600 });
          await rename(tmpMap, mapFile);
        } catch (err) {
          throw new InputError(`--map-out ${mapFile}: cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
        temps.release(tmpMap);
      }

      const shaFile = `${out}.sha256`;
      const tmpSha = `${shaFile}.${process.pid}.tmp`;
      temps.add(tmpSha);
      await writeFile(tmpSha, `${digest}  ${basename(out)}\n`, { mode: 0o644 });
      // An old checksum must not sit beside a new archive, even for a moment.
      await unlink(shaFile).catch(() => undefined);
      await rename(tmpArchive, out);
      temps.release(tmpArchive);
      await rename(tmpSha, shaFile);
      temps.release(tmpSha);
      await rm(staging, { recursive: true, force: true });
      temps.release(staging);

      return {
        archive: out,
        sha256File: shaFile,
        sha256: digest,
        ...(mapFile !== undefined ? { mapFile } : {}),
        manifest,
        report,
        liveReport,
        bytes,
        hostsCollected: collected.filter((c) => c.evidence).length,
      };
    },
    () => process.stderr.write(`\npreflight: interrupted; the partial bundle and its temporary files were removed\n`),
  );
}

/** The size cap of a support item: logs keep their tail, other output its head. */
function applyCap(ev: Evidence, cap: number, keepTail: boolean): void {
  const buf = Buffer.from(ev.stdout, 'utf8');
  if (buf.length <= cap) return;
  let piece = keepTail ? buf.subarray(buf.length - cap) : buf.subarray(0, cap);
  if (keepTail) {
    // Do not start in the middle of a UTF-8 character.
    let skip = 0;
    while (skip < piece.length && skip < 3 && (piece[skip]! & 0xc0) === 0x80) skip++;
    piece = piece.subarray(skip);
  }
  ev.stdout = piece.toString('utf8');
  ev.truncated = true;
}

function statusOf(ev: Evidence): ItemRecord['status'] {
  if (ev.error !== undefined || ev.exitCode === null) return 'error';
  if (ev.exitCode === 127) return 'absent';
  return ev.exitCode === 0 ? 'ok' : 'failed';
}

/** Host names, domains and users obfuscation must know before it reads the texts. */
function obfuscationSeeds(hosts: readonly { target: BundleTarget; items: readonly CleanItem[] }[]) {
  const hostNames: string[] = [];
  const domains: string[] = [];
  const users: string[] = [];
  for (const h of hosts) {
    hostNames.push(h.target.name);
    if (h.target.host) hostNames.push(h.target.host);
    if (h.target.user) users.push(h.target.user);
    for (const i of h.items) {
      const text = i.stdout.text;
      switch (i.ev.probe) {
        case 'uname': {
          const node = text.trim().split(/\s+/)[1];
          if (node) hostNames.push(node);
          break;
        }
        case 'xe.host-list':
          for (const m of text.matchAll(/^\s*(?:hostname|name-label)\s*\([^)]*\):\s*(\S+)\s*$/gm)) hostNames.push(m[1]!);
          break;
        case 'net.ifcfg':
          for (const m of text.matchAll(/HOSTNAME=["']?([A-Za-z0-9.-]+)/g)) hostNames.push(m[1]!);
          break;
        case 'etc.resolv-conf':
        case 'run.resolved-conf':
          for (const m of text.matchAll(/^\s*(?:search|domain)\s+([^\n#]+)/gm)) domains.push(...m[1]!.trim().split(/\s+/));
          break;
        default:
          break;
      }
    }
  }
  return { hostNames, domains, users };
}

/** Rules whose status differs between the live scan and the stored evidence (hosts in order). */
function compareVerdicts(live: Report, stored: Report): { host: string; rule: string; live: string; stored: string }[] {
  const out: { host: string; rule: string; live: string; stored: string }[] = [];
  const cmp = (host: string, a: readonly { rule: string; status: string }[], b: readonly { rule: string; status: string }[]) => {
    const bs = new Map(b.map((f) => [f.rule, f.status]));
    for (const f of a) {
      const s = bs.get(f.rule) ?? 'missing';
      if (s !== f.status) out.push({ host, rule: f.rule, live: f.status, stored: s });
    }
  };
  live.hosts.forEach((h, i) => cmp(stored.hosts[i]?.name ?? h.name, h.findings, stored.hosts[i]?.findings ?? []));
  cmp('pool', live.pool.findings, stored.pool.findings);
  return out;
}

export function sha256(buf: Buffer | string): string {
  return createHash('sha256').update(buf).digest('hex');
}

export function sha256File(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', rej)
      .on('end', () => res(h.digest('hex')));
  });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function describeCounts(c: RedactionCounts): string {
  const parts = Object.entries(c).map(([k, n]) => `${k} x${n}`);
  return parts.length ? `, redacted ${parts.join(', ')}` : '';
}
