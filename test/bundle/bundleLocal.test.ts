import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBES } from '../../src/collect/probes.js';
import { fileMode, listAll, preflight, requireBuild, tempDir, unpack, verdicts, type Run, cleanupTempDirs } from './helpers.js';

afterAll(cleanupTempDirs);

/**
 * End to end with the built CLI on this machine: `preflight bundle` writes the archive and its
 * .sha256, with the sos-like layout and a manifest that matches its schema and its files;
 * `preflight report` replays it (archive or unpacked folder) to the findings of the bundle's own
 * report.json; a file changed after the fact is reported.
 */

const dir = tempDir('local');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('preflight bundle of this machine', () => {
  const archive = join(dir, 'case-1234.tar.gz');
  let run: Run;
  let files: Map<string, Buffer>;
  let root: string;
  let unpacked: string;
  let manifest: any;

  beforeAll(async () => {
    requireBuild();
    run = preflight(['bundle', '--out', archive, '--case-id', '1234', '--label', 'eth2 link flaps']);
    ({ files, root, dir: unpacked } = await unpack(archive));
    manifest = JSON.parse(files.get(`${root}/manifest.json`)!.toString());
    console.info(`local bundle: ${Math.round(run.ms)} ms, ${statSync(archive).size} bytes compressed, ${files.size} files`);
  });
  afterAll(() => rmSync(unpacked, { recursive: true, force: true }));

  it('exits 0, prints progress on stderr only, and leaves the archive, its .sha256 and nothing else', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/commands\/uname\.txt/); // per-item progress
    expect(run.stderr).toMatch(/wrote .*case-1234\.tar\.gz \(/);
    expect(listAll(dir).filter((p) => !p.startsWith('pft-'))).toEqual(['case-1234.tar.gz', 'case-1234.tar.gz.sha256']);
    expect(fileMode(archive)).toBe(0o600);
    const sum = createHash('sha256').update(readFileSync(archive)).digest('hex');
    expect(readFileSync(`${archive}.sha256`, 'utf8')).toBe(`${sum}  case-1234.tar.gz\n`);
  });

  it('has the documented layout under one top folder named after the archive', () => {
    expect(root).toBe('case-1234');
    const host = manifest.hosts[0];
    for (const p of ['manifest.json', 'report.json', 'report.html', `${host.dir}/evidence.json`, `${host.dir}/commands/uname.txt`, `${host.dir}/files/proc/cpuinfo`, `${host.dir}/commands/support.lspci.txt`]) {
      expect(files.has(`${root}/${p}`), p).toBe(true);
    }
    expect(host.dir).toMatch(/^hosts\/[A-Za-z0-9._-]+$/);
  });

  it('writes a manifest that matches its published schema, with case id, label and every host', () => {
    const schema = JSON.parse(readFileSync('schema/bundle-manifest.schema.json', 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const validate = ajv.compile(schema);
    expect(validate(manifest), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(manifest).toMatchObject({ format: 'preflight-bundle', formatVersion: '1.0.0', caseId: '1234', label: 'eth2 link flaps', options: { maxFileBytes: 8 * 1024 * 1024, obfuscated: false } });
    expect(manifest.hosts).toHaveLength(1);
    expect(manifest.hosts[0]).toMatchObject({ address: 'local', role: 'master', transport: 'local', collected: true });
  });

  it('lists every file with its size and sha256, and nothing else is in the archive', () => {
    const listed = new Set(manifest.files.map((f: any) => `${root}/${f.path}`));
    for (const path of files.keys()) if (path !== `${root}/manifest.json`) expect(listed.has(path), path).toBe(true);
    for (const f of manifest.files) {
      const content = files.get(`${root}/${f.path}`)!;
      expect(content.length, f.path).toBe(f.size);
      expect(createHash('sha256').update(content).digest('hex'), f.path).toBe(f.sha256);
    }
  });

  it('records every item: scan and support, with status, exit code, duration, personal-data tag and its files', () => {
    const items = manifest.hosts[0].items;
    const ids = items.map((i: any) => i.probe);
    for (const p of PROBES) expect(ids).toContain(p.id);
    for (const id of ['support.dmesg', 'support.lspci', 'support.ip.route-all', 'support.ip.neigh', 'support.log.xensource', 'support.product.logs', 'support.xe.pbd-list']) expect(ids).toContain(id);
    const xensource = items.find((i: any) => i.probe === 'support.log.xensource');
    if (xensource.status === 'absent') expect(xensource.files.every((f: string) => f.endsWith('.stderr'))).toBe(true);
    const uname = items.find((i: any) => i.probe === 'uname');
    expect(uname).toMatchObject({ kind: 'scan', status: 'ok', exitCode: 0, personalData: true, truncated: false });
    expect(uname.files).toEqual([`${manifest.hosts[0].dir}/commands/uname.txt`]);
    const cpuinfo = manifest.files.find((f: any) => f.path.endsWith('/files/proc/cpuinfo'));
    expect(cpuinfo).toMatchObject({ role: 'stdout', source: '/proc/cpuinfo', exitCode: 0, personalData: false, truncated: false });
  });

  it('stores the exact scan evidence in evidence.json (every scan probe, no support item)', () => {
    const ev = JSON.parse(files.get(`${root}/${manifest.hosts[0].evidence}`)!.toString());
    expect(ev.transport).toBe('local');
    for (const p of PROBES) expect(ev.evidence[p.id]?.probe).toBe(p.id);
    expect(Object.keys(ev.evidence).some((k) => k.startsWith('support.'))).toBe(false);
    const uname = files.get(`${root}/${manifest.hosts[0].dir}/commands/uname.txt`)!.toString();
    expect(ev.evidence.uname.stdout).toBe(uname);
  });

  it('stores a report that the live scan agrees with (replay identical)', () => {
    expect(manifest.replay).toEqual({ identical: true, differences: [] });
  });

  it('preflight report BUNDLE replays to the findings of the bundle\'s own report.json', () => {
    const r = preflight(['report', archive, '--format', 'json']);
    expect([0, 1], r.stderr).toContain(r.code);
    const replayed = JSON.parse(r.stdout);
    const stored = JSON.parse(files.get(`${root}/report.json`)!.toString());
    expect(verdicts(replayed)).toEqual(verdicts(stored));
    expect(r.code).toBe(replayed.summary.fail > 0 ? 1 : 0);
  });

  it('an unpacked folder replays the same, writes the other formats, and leaves no temporary folder', () => {
    const out = join(dir, 'replay.html');
    const tmp = tempDir('tmpdir');
    try {
      const r = preflight(['report', join(unpacked, root), '--format', 'json', '--out', out], { env: { TMPDIR: tmp } });
      expect([0, 1], r.stderr).toContain(r.code);
      const stored = JSON.parse(files.get(`${root}/report.json`)!.toString());
      expect(verdicts(JSON.parse(r.stdout))).toEqual(verdicts(stored));
      expect(readFileSync(out, 'utf8')).toMatch(/<html/i);
      const fromArchive = preflight(['report', archive, '--format', 'text'], { env: { TMPDIR: tmp } });
      expect([0, 1]).toContain(fromArchive.code);
      expect(listAll(tmp)).toEqual([]);
    } finally {
      rmSync(out, { force: true });
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('--list shows the files, their flags and that every checksum matches', () => {
    const r = preflight(['report', archive, '--list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/case-1234\.tar\.gz: preflight bundle 1\.0\.0/);
    expect(r.stdout).toMatch(/case 1234, "eth2 link flaps"/);
    expect(r.stdout).toMatch(/hosts\/[^/]+\/files\/proc\/cpuinfo/);
    expect(r.stdout).toMatch(/checksums: all \d+ files match the manifest/);
    const j = preflight(['report', archive, '--list', '--format', 'json']);
    expect(j.code).toBe(0);
    const listing = JSON.parse(j.stdout);
    expect(listing.files.length).toBe(manifest.files.length);
    expect(listing.checksums.problems).toEqual([]);
  });

  it('reports a file changed after the bundle was made: warning on stderr, report still printed, exit 2', () => {
    const copy = join(dir, 'tampered');
    const src = join(unpacked, root);
    const r0 = preflight(['report', src, '--format', 'json']);
    expect([0, 1]).toContain(r0.code);
    const cpuinfo = join(src, manifest.hosts[0].dir, 'files/proc/cpuinfo');
    const original = readFileSync(cpuinfo);
    try {
      writeFileSync(cpuinfo, `${original.toString()}extra line\n`);
      writeFileSync(join(src, 'notes.txt'), 'added later\n');
      const r = preflight(['report', src, '--format', 'json']);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stdout).hosts).toHaveLength(1);
      expect(r.stderr).toMatch(/files\/proc\/cpuinfo: checksum mismatch/);
      expect(r.stderr).toMatch(/notes\.txt: not listed in the manifest/);
      expect(r.stderr).toMatch(/does not match its manifest \(2 problems\); exit code 2/);
      const l = preflight(['report', src, '--list']);
      expect(l.code).toBe(2);
    } finally {
      writeFileSync(cpuinfo, original);
      rmSync(join(src, 'notes.txt'), { force: true });
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('preflight bundle: bad input is refused before anything runs (exit 2, one line)', () => {
  const cases: [string, string[], RegExp][] = [
    ['no --out', ['bundle'], /--out FILE is required/],
    ['not .tar.gz', ['bundle', '--out', join(dir, 'x.zip')], /expected a \.tar\.gz or \.tgz name/],
    ['a folder that does not exist', ['bundle', '--out', join(dir, 'nope', 'x.tar.gz')], /cannot write in/],
    ['--map-out without --obfuscate', ['bundle', '--out', join(dir, 'y.tar.gz'), '--map-out', join(dir, 'm.json')], /only used with --obfuscate/],
    ['a silly --max-file-size', ['bundle', '--out', join(dir, 'y.tar.gz'), '--max-file-size', '12'], /--max-file-size: must be from/],
    ['a remote option for this machine', ['bundle', '--out', join(dir, 'y.tar.gz'), '--accept-new'], /are for remote hosts/],
  ];
  for (const [label, args, message] of cases) {
    it(label, () => {
      const r = preflight(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(listAll(dir).filter((p) => p.includes('y.tar.gz') || p.includes('x.zip'))).toEqual([]);
    });
  }
});
