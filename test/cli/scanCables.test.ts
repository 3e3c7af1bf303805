import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORT_TABLE_FORMAT, type PortRow, type PortTable } from '../../src/cables/portTable.js';
import type { HostEvidence } from '../../src/collect/evidence.js';
import { loadProfile } from '../../src/engine/loadRules.js';
import { runScan } from '../../src/engine/runScan.js';
import type { Finding } from '../../src/engine/types.js';
import type { Report } from '../../src/report/schema.js';
import { CLI, labUnavailableReason, NetnsLab, NICS, REPO_ROOT } from '../lab/netnsLab.js';
import { createBundle, type BundleTarget } from '../../src/bundle/create.js';
import { loadPortTable, PORT_TABLE_EVIDENCE } from '../../src/cables/loadPortTable.js';
import { collectLocal } from '../../src/collect/localTransport.js';
import { PROBES } from '../../src/collect/probes.js';
import { withPortTableEvidence } from '../../src/commands/scanTargets.js';

/**
 * `preflight scan --cables FILE` end to end with the built CLI (npx tsc -p tsconfig.json first):
 * on this machine, with a port table that names its host name and its real NIC, and in the
 * namespace lab, whose host has all five NICs of the layout (veth), for a table that passes,
 * one that fails, and NICs renamed after the walkthrough.
 */

const dir = mkdtempSync(join(tmpdir(), 'pft-scan-cables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOST = hostname();
/** This machine's first NIC with a MAC (not lo): the real NIC the table names. */
const REAL_NIC = (() => {
  const r = spawnSync('ip', ['-j', 'link', 'show'], { encoding: 'utf8' });
  const links = JSON.parse(r.stdout) as { ifname: string; address?: string; link_type: string }[];
  const nic = links.find((l) => l.link_type === 'ether' && l.address && l.address !== '00:00:00:00:00:00' && l.ifname === 'eth0') ?? links.find((l) => l.link_type === 'ether' && l.address);
  if (!nic) throw new Error('this machine has no Ethernet NIC to name in the port table');
  return { device: nic.ifname, mac: nic.address! };
})();

function portRow(host: string, device: string, mac: string | null, over: Partial<PortRow> = {}): PortRow {
  return {
    host,
    device,
    mac,
    pciSlot: null,
    driver: null,
    speedMbps: 1000,
    label: `rear port ${device}`,
    role: null,
    peer: null,
    verdict: 'ok',
    detail: `${host} ${device} lost carrier when its cable was pulled and got it back`,
    observedAt: '2026-11-25T12:00:00.000Z',
    rehearsal: null,
    ...over,
  };
}

function tableFile(name: string, rows: PortRow[], hosts = [HOST]): string {
  const table: PortTable = {
    format: PORT_TABLE_FORMAT,
    createdAt: '2026-11-25T12:10:00.000Z',
    profile: 'everrun-6.0',
    hosts: hosts.map((h) => ({ name: h, address: 'local' })),
    rows,
  };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(table, null, 2));
  return path;
}

interface Scan {
  status: number | null;
  stdout: string;
  stderr: string;
  report: Report;
  cabling: Finding;
}

/** The built CLI's scan; `ns` runs it inside a lab namespace (`ip netns exec`). */
function scan(args: string[], ns?: string): Scan {
  const cmd = ns ? 'ip' : process.execPath;
  const argv = [...(ns ? ['netns', 'exec', ns, process.execPath] : []), CLI, 'scan', '--format', 'json', '--no-color', ...args];
  const r = spawnSync(cmd, argv, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  expect([0, 1], r.stderr).toContain(r.status);
  const report = JSON.parse(r.stdout) as Report;
  const cabling = report.pool.findings.find((f) => f.rule === 'pool.cabling');
  if (!cabling) throw new Error(`no pool.cabling finding; pool rules: ${report.pool.findings.map((f) => f.rule).join(', ')}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, report, cabling };
}

describe(`this machine (${HOST}, ${REAL_NIC.device} ${REAL_NIC.mac})`, () => {
  it('without --cables pool.cabling skips and says how to get a table', () => {
    const s = scan([]);
    expect(s.cabling.status).toBe('skip');
    expect(s.cabling.message).toMatch(/--cables ports\.json/);
  });

  it(`a verified ${REAL_NIC.device}: ok in the finding; the layout NICs the table lacks are warnings`, () => {
    const s = scan(['--cables', tableFile('ok.json', [portRow(HOST, REAL_NIC.device, REAL_NIC.mac, { role: 'management' })])]);
    expect(s.cabling.observed).toContain(`${HOST} ${REAL_NIC.device} ("rear port ${REAL_NIC.device}") (management): ok`);
    if (REAL_NIC.device === 'eth0' && !['eth1', 'eth2', 'eth3'].some((n) => s.report.hosts[0]!.facts?.nics?.some((x) => x.name === n))) {
      expect(s.cabling.status).toBe('warn');
      expect(s.cabling.message).toMatch(new RegExp(`${HOST} eth1 \\(A-link 1\\): not in the port table, and ${HOST} has no eth1`));
    }
  });

  it('a cable the walkthrough found wrong fails, naming host, device, label and what was seen', () => {
    const s = scan([
      '--cables',
      tableFile('crossed.json', [portRow(HOST, REAL_NIC.device, REAL_NIC.mac, { verdict: 'no-change', detail: 'nothing changed on any host when the cable was pulled' })]),
    ]);
    expect(s.cabling.status).toBe('fail');
    expect(s.status).toBe(1);
    expect(s.cabling.message).toContain(`${HOST} ${REAL_NIC.device} ("rear port ${REAL_NIC.device}")`);
    expect(s.cabling.message).toContain('no-change: nothing changed on any host when the cable was pulled');
    expect(s.cabling.reference).toMatch(/Chapter 3, Step 4, Verify Network Connections/);
  });

  it("a row whose MAC is on another interface name now fails and says both names", () => {
    const s = scan(['--cables', tableFile('renamed.json', [portRow(HOST, 'ens9', REAL_NIC.mac)])]);
    expect(s.cabling.status).toBe('fail');
    expect(s.cabling.message).toContain(`${HOST}: the port ("rear port ens9") with MAC ${REAL_NIC.mac} was ens9 in the port table and is ${REAL_NIC.device} now`);
  });

  it('a table of other hosts: this host is not in it (warn)', () => {
    const s = scan(['--cables', tableFile('others.json', [portRow('xs1', 'eth0', '02:00:00:00:00:01')], ['xs1', 'xs2'])]);
    expect(s.cabling.status).toBe('warn');
    expect(s.cabling.message).toContain(`${HOST}: not in the port table (it lists xs1 and xs2; hosts are matched by name)`);
  });

  it('the text, HTML and JUnit reports show the finding like any other', () => {
    const file = tableFile('formats.json', [portRow(HOST, REAL_NIC.device, REAL_NIC.mac, { verdict: 'crossed', label: 'slot <b>2</b>' })]);
    const html = join(dir, 'r.html');
    const xml = join(dir, 'r.xml');
    const r = spawnSync(process.execPath, [CLI, 'scan', '--no-color', '--cables', file, '--out', html, '--out', xml], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+pool\.cabling\s+Each layout NIC's cable was verified by unplugging it/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('pool.cabling');
    expect(page).toContain('slot &lt;b&gt;2&lt;/b&gt;');
    expect(page).not.toContain('slot <b>2</b>');
    const junit = readFileSync(xml, 'utf8');
    const testcase = /<testcase [^>]*name="pool\.cabling: [^"]*"[^>]*>([\s\S]*?)<\/testcase>/.exec(junit)?.[1] ?? '';
    expect(testcase).toContain('<property name="status" value="fail"/>');
    expect(testcase).toMatch(/<failure\b/);
  });

  it('--evidence-out records the table, and replaying that evidence gives the same finding', async () => {
    const file = tableFile('replay.json', [portRow(HOST, REAL_NIC.device, REAL_NIC.mac, { verdict: 'carrier-not-back', detail: 'no carrier 20 s after plugging in' })]);
    const evidenceFile = join(dir, 'evidence.json');
    const live = scan(['--cables', file, '--evidence-out', evidenceFile]);
    const stored = JSON.parse(readFileSync(evidenceFile, 'utf8')) as Record<string, HostEvidence>;
    expect(stored[HOST]!.evidence[PORT_TABLE_EVIDENCE]!.stdout).toContain('carrier-not-back');
    const profile = loadProfile('everrun-6.0');
    const { report } = await runScan({
      profile: profile.name,
      rules: profile.rules,
      networkTests: false,
      evaluation: { skip: new Set(), today: new Date().toISOString().slice(0, 10) },
      targets: Object.entries(stored).map(([name, ev]) => ({ name, address: 'local', role: 'master' as const, collect: async () => ev })),
    });
    const replayed = report.pool.findings.find((f) => f.rule === 'pool.cabling')!;
    expect(replayed).toEqual(live.cabling);
    expect(replayed.status).toBe('fail');
  });
});

describe('support bundles: a bundle collected with the port table replays to the same finding', () => {
  it.each([false, true])('obfuscate %s', async (obfuscate) => {
    const profile = loadProfile('everrun-6.0');
    const file = tableFile(`bundle-${obfuscate}.json`, [portRow(HOST, REAL_NIC.device, REAL_NIC.mac, { verdict: 'wrong-peer', label: 'slot 9', detail: `${HOST} ${REAL_NIC.device} lost carrier alone: it goes to a switch` })]);
    const target: BundleTarget = { name: HOST, address: 'local', role: 'master', transport: 'local', collect: () => collectLocal(PROBES) };
    const res = await createBundle({
      out: join(dir, `b-${obfuscate}.tar.gz`),
      // What `preflight bundle --cables FILE` would hand over (the bundle command has no such option yet).
      targets: withPortTableEvidence([target], loadPortTable(file), file),
      scanProbes: PROBES,
      supportProbes: [],
      maxFileBytes: 4096,
      obfuscate,
      secrets: [],
      profile: profile.name,
      rules: profile.rules,
      networkTests: false,
    });
    const live = res.liveReport.pool.findings.find((f) => f.rule === 'pool.cabling')!;
    const stored = res.report.pool.findings.find((f) => f.rule === 'pool.cabling')!;
    expect(live.status).toBe('fail');
    expect(stored.status).toBe('fail');
    if (!obfuscate) expect(stored).toEqual(live);
    else expect(stored.message).not.toContain(REAL_NIC.mac);
    const r = spawnSync(process.execPath, [CLI, 'report', res.archive, '--format', 'json'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect([0, 1], r.stderr).toContain(r.status);
    const replayed = (JSON.parse(r.stdout) as Report).pool.findings.find((f) => f.rule === 'pool.cabling');
    expect(replayed).toEqual(stored);
  });
});

const noLab = labUnavailableReason();

describe.skipIf(noLab !== undefined)('the namespace lab: a host with all five layout NICs', () => {
  let lab: NetnsLab;
  const macs: Record<string, string> = {};
  const ROLES: Record<string, PortRow['role']> = { eth0: 'management', eth1: 'alink1', eth2: 'alink2', eth3: 'production', eth4: 'bond' };
  const labTable = (name: string, over: Partial<Record<string, Partial<PortRow>>> = {}) =>
    tableFile(
      name,
      NICS.map((nic) => portRow(HOST, nic, macs[nic]!, { role: ROLES[nic]!, ...over[nic] })),
    );

  beforeAll(() => {
    lab = NetnsLab.create();
    for (const nic of NICS) macs[nic] = lab.exec(lab.host, 'cat', [`/sys/class/net/${nic}/address`]).trim();
  });
  afterAll(() => {
    lab?.destroy();
    expect(lab?.leftovers() ?? []).toEqual([]);
  });

  it('every layout NIC verified ok: pool.cabling passes (eth4 too, as the table gives it the bond role)', () => {
    const s = scan(['--cables', labTable('lab-ok.json')], lab.host);
    expect(s.cabling.status, s.cabling.message).toBe('pass');
    expect(s.cabling.observed).toBe(
      [
        'eth0 ("rear port eth0") (management)',
        'eth1 ("rear port eth1") (A-link 1)',
        'eth2 ("rear port eth2") (A-link 2)',
        'eth3 ("rear port eth3") (production)',
        'eth4 ("rear port eth4") (management bond partner)',
      ]
        .map((p) => `${HOST} ${p}: ok`)
        .join('; '),
    );
  });

  it('a crossed A-link in the table fails', () => {
    const s = scan(['--cables', labTable('lab-crossed.json', { eth1: { verdict: 'crossed', detail: `${HOST} eth1 and h2 eth2 lost carrier together` } })], lab.host);
    expect(s.cabling.status).toBe('fail');
    expect(s.cabling.message).toMatch(new RegExp(`^${HOST} eth1 \\("rear port eth1"\\) \\(A-link 1\\): crossed: ${HOST} eth1 and h2 eth2 lost carrier together\\.`));
  });

  it('eth1 and eth2 renamed after the walkthrough: fails, naming both names of each', () => {
    // Swap the names inside the lab namespace (never outside it): the MACs stay with the ports.
    lab.ipBatch(lab.host, ['link set eth1 down', 'link set eth2 down', 'link set eth1 name ethtmp', 'link set eth2 name eth1', 'link set ethtmp name eth2', 'link set eth1 up', 'link set eth2 up']);
    const s = scan(['--cables', labTable('lab-renamed.json')], lab.host);
    expect(s.cabling.status).toBe('fail');
    expect(s.cabling.message).toContain(`${HOST}: the port ("rear port eth1") with MAC ${macs.eth1} was eth1 in the port table and is eth2 now`);
    expect(s.cabling.message).toContain(`${HOST}: the port ("rear port eth2") with MAC ${macs.eth2} was eth2 in the port table and is eth1 now`);
  });
});
