import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBundle, type BundleTarget, type CreateBundleResult } from '../../src/bundle/create.js';
import { REDACTION_KINDS } from '../../src/bundle/manifest.js';
import { privateKeyLiterals } from '../../src/bundle/redact.js';
import type { Evidence, HostEvidence, Probe } from '../../src/collect/evidence.js';
import { collectLocal } from '../../src/collect/localTransport.js';
import { probeById } from '../../src/collect/probes.js';
import { supportProbes, type SupportProbe } from '../../src/collect/supportProbes.js';
import { loadProfile } from '../../src/engine/loadRules.js';
import { fileMode, listAll, preflight, requireBuild, tempDir, unpack, verdicts, cleanupTempDirs } from './helpers.js';
import { plantedSecrets } from './planted.js';
import { processesWithEnvMarker, readComm } from '../collect/procTree.js';

afterAll(cleanupTempDirs);

/**
 * Safe to send: secrets planted in files the bundle reads (a scan probe and a support item, and a
 * host error) never reach any file of the archive; obfuscation is consistent across files and hosts
 * and its map stays outside; logs keep their tail under the cap; a crash leaves nothing behind.
 */

const profile = loadProfile('everrun-6.0');
const dir = tempDir('safety');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'Zq9PlantedSecret4711';
const SSH_PASSWORD = 'Scan-Pass-9f8e7d';
const KEY_BODY = ['b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', 'QyNTUxOQAAACBQZXJmZWN0bHlGYWtlS2V5Rm9yVGVzdGluZ1B1cnBvc2VzT25seQAAAJh'];
const KEY_TEXT = `-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_BODY.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;

const quickProbes = ['uname', 'proc.meminfo', 'etc.os-release'].map((id) => probeById(id)!);
const probe = (id: string, script: string, extra: Partial<SupportProbe> = {}): SupportProbe => ({
  id,
  description: id,
  script,
  manual: script,
  timeoutMs: 5000,
  maxBytes: 1024 * 1024,
  personalData: true,
  keepTail: false,
  ...extra,
});

function allTexts(files: Map<string, Buffer>): [string, string][] {
  return [...files].map(([p, b]) => [p, b.toString('utf8')]);
}

describe('planted secrets never reach the archive', () => {
  let result: CreateBundleResult;
  let files: Map<string, Buffer>;
  let root: string;
  const planted = plantedSecrets(SECRET);

  beforeAll(async () => {
    const src = join(dir, 'planted');
    mkdirSync(src);
    const conf = join(src, 'app.conf');
    writeFileSync(conf, `${planted.filter((p) => !p.eatsRest).map((p) => p.text).join('\n')}\nlogin with ${SSH_PASSWORD} ok\n${planted.find((p) => p.eatsRest)!.text}\n`);
    const key = join(src, 'id_used');
    writeFileSync(key, KEY_TEXT);
    // A scan-kind probe (goes into evidence.json and the report) and support items, all reading them.
    const scanPlanted = probe('test.planted-scan', `cat ${conf}`);
    const support = [...supportProbes(64 * 1024).filter((p) => p.id === 'support.lspci'), probe('test.planted-conf', `cat ${conf}`, { path: conf }), probe('test.key', `cat ${key}; echo ${SSH_PASSWORD} >&2`)];
    const scanProbes: Probe[] = [...quickProbes, scanPlanted];
    const targets: BundleTarget[] = [
      { name: 'planted-host', address: 'local', role: 'master', transport: 'local', collect: () => collectLocal([...scanProbes, ...support]) },
      {
        name: 'broken',
        address: 'root@192.0.2.77:22',
        role: 'member',
        transport: 'ssh',
        collect: async () => {
          throw new Error(`192.0.2.77: authentication failed with password ${SSH_PASSWORD} (token=${SECRET})`);
        },
      },
    ];
    result = await createBundle({
      out: join(dir, 'planted.tar.gz'),
      targets,
      scanProbes,
      supportProbes: support,
      maxFileBytes: 64 * 1024,
      caseId: 'C-1',
      obfuscate: false,
      secrets: [SSH_PASSWORD, ...privateKeyLiterals(KEY_TEXT)],
      profile: profile.name,
      rules: profile.rules,
    });
    ({ files, root } = await unpack(result.archive));
  });

  it('no file of the archive holds any planted value, the SSH password or a private key line', () => {
    const forbidden = [...new Set(planted.flatMap((p) => p.secrets)), SSH_PASSWORD, ...KEY_BODY, SECRET];
    for (const [path, text] of allTexts(files)) {
      for (const s of forbidden) expect(text.includes(s), `${s} found in ${path}`).toBe(false);
    }
    // Also what the caller gets back in memory (what a caller could print).
    const manifestText = JSON.stringify(result.manifest);
    for (const s of forbidden) expect(manifestText.includes(s), s).toBe(false);
  });

  it('counts every kind, per file and in total, without the values', () => {
    const m = result.manifest;
    for (const kind of REDACTION_KINDS) expect(m.redactions.byKind[kind], kind).toBeGreaterThanOrEqual(1);
    const conf = m.files.find((f) => f.path.endsWith('/app.conf'))!;
    expect(conf.path).toMatch(/^hosts\/planted-host\/files\/.+\/planted\/app\.conf$/);
    for (const kind of REDACTION_KINDS.filter((k) => k !== 'scan-credential')) expect(conf.redactions[kind], kind).toBeGreaterThanOrEqual(1);
    const evidence = m.files.find((f) => f.path === 'hosts/planted-host/evidence.json')!;
    expect(evidence.redactions.password).toBeGreaterThanOrEqual(1);
    const keyStderr = m.files.find((f) => f.path === 'hosts/planted-host/commands/test.key.stderr')!;
    expect(keyStderr.redactions['scan-credential']).toBe(1);
  });

  it('redacts the error of a host that failed, and collects the others (the failure does not abort)', () => {
    const broken = result.manifest.hosts.find((h) => h.name === 'broken')!;
    expect(broken).toMatchObject({ collected: false, transport: 'ssh', items: [] });
    expect(broken.error).toContain('[REDACTED:scan-credential]');
    expect(broken.error).toContain('token=[REDACTED:token]');
    expect(result.hostsCollected).toBe(1);
    const report = JSON.parse(files.get(`${root}/report.json`)!.toString());
    expect(report.hosts.map((h: any) => [h.name, h.reachable])).toEqual([
      ['planted-host', true],
      ['broken', false],
    ]);
  });
});

describe('--obfuscate: consistent across files and hosts; the map stays outside', () => {
  const ev = (id: string, stdout: string): [string, Evidence] => [id, { probe: id, source: `test ${id}`, stdout, stderr: '', exitCode: 0, durationMs: 1, truncated: false }];
  const host = (self: string, ip: string, mac: string, peerIp: string, peerMac: string, peer: string): HostEvidence => ({
    transport: 'ssh',
    collectedAt: '2026-01-01T00:00:00.000Z',
    evidence: Object.fromEntries([
      ev('uname', `Linux ${self} 4.19.0+1 #1 SMP x86_64\n`),
      ev('ip.addr', `2: eth0: <BROADCAST,UP> mtu 1500\n    link/ether ${mac} brd ff:ff:ff:ff:ff:ff\n    inet ${ip}/24 brd 10.20.30.255 scope global eth0\n`),
      ev('ip.route', 'default via 10.20.30.1 dev eth0\n10.20.30.0/24 dev eth0 proto kernel scope link src ' + ip + '\n'),
      ev('etc.resolv-conf', 'search corp.example.com\nnameserver 10.20.30.53\n'),
      ev('support.ip.neigh', `${peerIp} dev eth0 lladdr ${peerMac} REACHABLE\n10.20.30.1 dev eth0 lladdr 00:00:5e:00:01:01 STALE\n`),
      ev('test.auth-log', `Dec  1 10:00:00 ${self} sshd[1]: Accepted publickey for alice from ${peerIp} port 50022\npeer ${peer}.corp.example.com is up; user carol logged in\n`),
    ]),
  });
  const A = { name: 'xs-a', ip: '10.20.30.11', mac: '00:25:90:aa:00:01' };
  const B = { name: 'xs-b', ip: '10.20.30.12', mac: '00:25:90:aa:00:02' };
  let result: CreateBundleResult;
  let files: Map<string, Buffer>;
  let root: string;
  let map: any;
  const text = (p: string) => files.get(`${root}/${p}`)!.toString();

  beforeAll(async () => {
    const targets: BundleTarget[] = [A, B].map((h, i) => {
      const peer = i === 0 ? B : A;
      return {
        name: h.name,
        address: `carol@${h.ip}:22`,
        role: i === 0 ? 'master' : 'member',
        transport: 'ssh',
        user: 'carol',
        host: h.ip,
        collect: async () => host(h.name, h.ip, h.mac, peer.ip, peer.mac, peer.name),
      };
    });
    const support = [probe('support.ip.neigh', 'ip neigh', { personalData: true }), probe('test.auth-log', 'cat auth.log')];
    mkdirSync(join(dir, 'obf'));
    result = await createBundle({
      out: join(dir, 'obf', 'case-obf.tar.gz'),
      targets,
      scanProbes: ['uname', 'ip.addr', 'ip.route', 'etc.resolv-conf'].map((id) => probeById(id)!),
      supportProbes: support,
      maxFileBytes: 64 * 1024,
      obfuscate: true,
      secrets: [],
      profile: profile.name,
      rules: profile.rules,
    });
    ({ files, root } = await unpack(result.archive));
    map = JSON.parse(readFileSync(result.mapFile!, 'utf8'));
  }, 60_000);

  it('writes the map beside the archive (mode 0600), never inside it', () => {
    expect(result.mapFile).toBe(join(dir, 'obf', 'case-obf.map.json'));
    expect(fileMode(result.mapFile!)).toBe(0o600);
    expect(listAll(join(dir, 'obf'))).toEqual(['case-obf.map.json', 'case-obf.tar.gz', 'case-obf.tar.gz.sha256']);
    for (const [path, t] of allTexts(files)) {
      expect(path).not.toMatch(/map\.json$/);
      expect(t.includes('preflight-bundle-map'), path).toBe(false);
    }
    expect(result.manifest.options.obfuscated).toBe(true);
  });

  it('no file holds an original address, MAC, host name, domain or user', () => {
    for (const [path, t] of allTexts(files)) {
      for (const s of ['10.20.30.', '00:25:90:aa', 'xs-a', 'xs-b', 'corp.example.com', 'alice', 'carol']) expect(t.includes(s), `${s} in ${path}`).toBe(false);
    }
  });

  it('gives every value one placeholder everywhere: across files, across hosts, in manifest and report', () => {
    const ha = result.manifest.hosts[0]!;
    const hb = result.manifest.hosts[1]!;
    expect([ha.name, hb.name]).toEqual([map.hosts['xs-a'], map.hosts['xs-b']]);
    const report = JSON.parse(text('report.json'));
    expect(report.hosts.map((h: any) => h.name)).toEqual([ha.name, hb.name]);
    // B's address and MAC, as B reports them and as A's neighbour table and log show them.
    const bIp = map.ipv4[B.ip];
    const bMac = map.macs[B.mac];
    expect(text(`${hb.dir}/commands/ip.addr.txt`)).toContain(`inet ${bIp}/24`);
    expect(text(`${hb.dir}/commands/ip.addr.txt`)).toContain(`link/ether ${bMac} `);
    expect(text(`${ha.dir}/commands/support.ip.neigh.txt`)).toContain(`${bIp} dev eth0 lladdr ${bMac} REACHABLE`);
    expect(text(`${ha.dir}/commands/test.auth-log.txt`)).toContain(`from ${bIp} port`);
    expect(text(`${ha.dir}/commands/test.auth-log.txt`)).toContain(`peer ${hb.name}.${map.domains['corp.example.com']} is up; user ${map.users.carol} logged in`);
    expect(text(`${ha.dir}/commands/uname.txt`)).toBe(`Linux ${ha.name} 4.19.0+1 #1 SMP x86_64\n`);
    expect(ha.address).toBe(`${map.users.carol}@${map.ipv4[A.ip]}:22`);
    // Same subnet, same obfuscated subnet; the gateway keeps its .1; a multicast-free router MAC is mapped too.
    expect(map.ipv4[A.ip].split('.').slice(0, 3)).toEqual(bIp.split('.').slice(0, 3));
    expect(map.ipv4['10.20.30.1']).toBe(`${bIp.split('.').slice(0, 3).join('.')}.1`);
    expect(Object.values(map.macs).every((m) => /^02:50:46:/.test(m as string))).toBe(true);
  });

  it('stores a report the replay gives again (the findings follow the obfuscated evidence)', () => {
    const r = preflight(['report', result.archive, '--format', 'json']);
    expect([0, 1, 3], r.stderr).toContain(r.code);
    expect(verdicts(JSON.parse(r.stdout))).toEqual(verdicts(JSON.parse(text('report.json'))));
  });
});

describe('preflight bundle --obfuscate of this machine', () => {
  it('hides this host name, writes the map beside the archive, and replays to its own report', async () => {
    requireBuild();
    const out = join(dir, 'this', 'me.tgz');
    mkdirSync(join(dir, 'this'));
    const r = preflight(['bundle', '--out', out, '--obfuscate', '--max-file-size', '256k']);
    expect(r.code, r.stderr).toBe(0);
    expect(listAll(join(dir, 'this'))).toEqual(['me.map.json', 'me.tgz', 'me.tgz.sha256']);
    const { files, root } = await unpack(out);
    const manifest = JSON.parse(files.get(`${root}/manifest.json`)!.toString());
    expect(manifest.replay).toEqual({ identical: true, differences: [] });
    const map = JSON.parse(readFileSync(join(dir, 'this', 'me.map.json'), 'utf8'));
    const me = hostname().toLowerCase();
    expect(manifest.hosts[0].name).toBe(map.hosts[me]);
    const uname = files.get(`${root}/${manifest.hosts[0].dir}/commands/uname.txt`)!.toString();
    expect(uname.split(/\s+/)[1]).toBe(map.hosts[me]);
    for (const ip of Object.keys(map.ipv4)) {
      for (const [path, b] of files) expect(new RegExp(`(^|[^0-9.])${ip.replace(/\./g, '\\.')}($|[^0-9])`).test(b.toString()), `${ip} in ${path}`).toBe(false);
    }
    for (const mac of Object.keys(map.macs)) for (const [path, b] of files) expect(b.toString().toLowerCase().includes(mac), `${mac} in ${path}`).toBe(false);
    const rep = preflight(['report', out, '--format', 'json']);
    expect(verdicts(JSON.parse(rep.stdout))).toEqual(verdicts(JSON.parse(files.get(`${root}/report.json`)!.toString())));
  });
});

describe('size cap: logs keep their tail, marked truncated', () => {
  it('keeps the last bytes of a long log and the first bytes of a long command output', async () => {
    const cap = 8 * 1024;
    const log = join(dir, 'big.log');
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${String(i).padStart(5, '0')} of the big log`);
    writeFileSync(log, `${lines.join('\n')}\n`);
    const support = [
      probe('test.log', `tail -c ${cap + 1} ${log}`, { keepTail: true, maxBytes: cap + 1, path: log }),
      probe('test.head', `cat ${log}`, { keepTail: false, maxBytes: cap + 1 }),
    ];
    const scanProbes = [probeById('uname')!];
    const res = await createBundle({
      out: join(dir, 'cap.tar.gz'),
      targets: [{ name: 'cap', address: 'local', role: 'master', transport: 'local', collect: () => collectLocal([...scanProbes, ...support]) }],
      scanProbes,
      supportProbes: support,
      maxFileBytes: cap,
      obfuscate: false,
      secrets: [],
      profile: profile.name,
      rules: profile.rules,
    });
    const { files, root } = await unpack(res.archive);
    const full = readFileSync(log, 'utf8');
    const tail = files.get(`${root}/hosts/cap/files${log}`)!.toString();
    expect(tail.length).toBe(cap);
    expect(full.endsWith(tail)).toBe(true);
    const head = files.get(`${root}/hosts/cap/commands/test.head.txt`)!.toString();
    expect(full.startsWith(head)).toBe(true);
    expect(head.length).toBe(cap);
    const recs = res.manifest.files.filter((f) => f.probe === 'test.log' || f.probe === 'test.head');
    expect(recs.map((f) => [f.probe, f.truncated, f.size])).toEqual([
      ['test.log', true, cap],
      ['test.head', true, cap],
    ]);
    expect(res.manifest.hosts[0]!.items.find((i) => i.probe === 'test.log')).toMatchObject({ truncated: true, status: 'ok', path: log });
  });
});

describe('never lose, never corrupt', () => {
  it('a crash before the rename leaves the old bundle untouched and no temporary file or folder', async () => {
    const folder = join(dir, 'crash');
    mkdirSync(folder);
    const out = join(folder, 'case.tar.gz');
    writeFileSync(out, 'the previous bundle');
    writeFileSync(`${out}.sha256`, 'old checksum');
    const listeners = process.listenerCount('SIGINT');
    let tempSeen = '';
    await expect(
      createBundle({
        out,
        targets: [{ name: 'c', address: 'local', role: 'master', transport: 'local', collect: () => collectLocal([probeById('uname')!]) }],
        scanProbes: [probeById('uname')!],
        supportProbes: [],
        maxFileBytes: 4096,
        obfuscate: true,
        secrets: [],
        profile: profile.name,
        rules: profile.rules,
        beforeRename: (tmp) => {
          tempSeen = tmp;
          expect(listAll(folder).some((p) => p.includes('.staging-'))).toBe(true);
          throw new Error('disk on fire');
        },
      }),
    ).rejects.toThrow('disk on fire');
    expect(tempSeen).toMatch(/\.case\.tar\.gz\.\d+\.tmp$/);
    expect(listAll(folder)).toEqual(['case.tar.gz', 'case.tar.gz.sha256']);
    expect(readFileSync(out, 'utf8')).toBe('the previous bundle');
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });
});

describe('interrupted while a local probe runs', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: the probe process group is killed and nothing is left behind`, async () => {
      requireBuild();
      const folder = join(dir, `slow-${signal}`);
      mkdirSync(folder);
      const marker = `PREFLIGHT_SLOW_BUNDLE=${signal}-${process.pid}-${Date.now()}`;
      const [k, v] = marker.split('=') as [string, string];
      const child = spawn(process.execPath, [join(process.cwd(), 'test/bundle/slowBundle.mjs'), join(folder, 'slow.tar.gz')], { env: { ...process.env, [k]: v }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
      // Wait until the probe's `sleep` runs (it carries the marker in its environment).
      const deadline = Date.now() + 20_000;
      while (!processesWithEnvMarker(marker).some((pid) => readComm(pid) === 'sleep')) {
        if (Date.now() > deadline) throw new Error(`the slow probe never started: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(listAll(folder).length).toBeGreaterThan(0); // the reserved name and the staging folder
      child.kill(signal);
      expect(await exited, stderr).toBe(code);
      expect(stderr).toMatch(/interrupted; the partial bundle and its temporary files were removed/);
      expect(listAll(folder)).toEqual([]);
      // The sleep (its own process group, detached) did not outlive preflight.
      const until = Date.now() + 2000;
      while (processesWithEnvMarker(marker).length && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(processesWithEnvMarker(marker)).toEqual([]);
    });
  }
});
