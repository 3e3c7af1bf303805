import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { totalmem, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectLocal } from '../../src/collect/localTransport.js';
import { IN_PROCESS_PROBES, PROBES, probeById } from '../../src/collect/probes.js';

/**
 * `preflight scan --role management` and `--role quorum` on the machine the tests run on (Linux
 * here), the verdicts checked against readings taken independently of preflight's probes and
 * parsers: /proc, /sys, statfs, the PATH, the plug-in folders, a UDP socket of our own. Whatever
 * the machine, each verdict must agree with them. Run after the build (`npx tsc -p tsconfig.json`).
 */

const BIN = join(process.cwd(), 'bin/preflight.js');
const onLinux = process.platform === 'linux';

function scan(...args: string[]): any {
  const r = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', ...args], { encoding: 'utf8', timeout: 120_000 });
  expect([0, 1], r.stderr).toContain(r.status);
  return JSON.parse(r.stdout);
}

const mgmt = onLinux ? scan('--role', 'management') : undefined;
const quorum = onLinux ? scan('--role', 'quorum') : undefined;
const finding = (report: any, id: string) => report.hosts[0].findings.find((f: { rule: string }) => f.rule === id);
const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

// --- independent readings -------------------------------------------------------------------------

const osRelease = Object.fromEntries([...(read('/etc/os-release') ?? '').matchAll(/^(\w+)="?([^"\n]*)"?$/gm)].map((m) => [m[1], m[2]]));
const cpuinfo = read('/proc/cpuinfo') ?? '';
const ratedMhz = (() => {
  const m = /^model name\s*:.*@\s*([\d.]+)\s*GHz/m.exec(cpuinfo);
  if (m) return Number(m[1]) * 1000;
  const max = read('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq');
  if (max) return Number(max) / 1000;
  const cur = /^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo);
  return cur ? Number(cur[1]) : undefined;
})();
/** Physical NICs (backed by a device) and what the kernel says of their speed (-1/unreadable = unknown). */
const nics = readdirSync('/sys/class/net')
  .filter((n) => existsSync(`/sys/class/net/${n}/device`))
  .map((n) => {
    const speed = Number(read(`/sys/class/net/${n}/speed`)?.trim());
    return { name: n, speed: Number.isFinite(speed) && speed > 0 ? speed : undefined, up: read(`/sys/class/net/${n}/operstate`)?.trim() === 'up' };
  });
const nicVerdict = (min: number) =>
  nics.some((n) => n.speed !== undefined && n.speed >= min) ? 'pass' : nics.some((n) => n.speed === undefined && n.up) ? 'error' : 'fail';
const onPath = (cmd: string) => (process.env['PATH'] ?? '').split(delimiter).some((d) => existsSync(join(d, cmd)));
const BROWSERS = ['firefox', 'firefox-esr', 'iceweasel', 'seamonkey', 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'opera'];
const PLUGIN_DIRS = ['/usr/lib/mozilla/plugins', '/usr/lib64/mozilla/plugins', '/usr/lib/flashplugin-installer', '/usr/lib/flashplugin-nonfree', '/usr/lib/adobe-flashplugin', '/usr/lib/pepperflashplugin-nonfree', '/usr/lib/chromium/plugins', '/opt/google/chrome/PepperFlash', `${process.env['HOME']}/.mozilla/plugins`];
const flashFiles = PLUGIN_DIRS.flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => /flash.*\.so$/.test(f)).map((f) => join(d, f)) : []));
const kernelSleepStates = read('/sys/power/state')?.trim().split(/\s+/).filter(Boolean);
/** UDP sockets bound to a port, from /proc/net/udp and udp6 (local address column, hex port). */
const udpBound = (port: number) =>
  ['/proc/net/udp', '/proc/net/udp6'].some((f) =>
    (read(f) ?? '')
      .split('\n')
      .slice(1)
      .some((l) => l.trim().split(/\s+/)[1]?.split(':')[1] === port.toString(16).toUpperCase().padStart(4, '0')),
  );

describe.runIf(onLinux)('scan --role management on this machine: verdicts agree with independent readings', () => {
  it('gives a finding for every management rule and none of the host rules', () => {
    const rules = mgmt.hosts[0].findings.map((f: { rule: string }) => f.rule).sort();
    expect(rules).toEqual(['mgmt.browser', 'mgmt.cpu-speed', 'mgmt.disk', 'mgmt.memory', 'mgmt.nic', 'mgmt.os', 'mgmt.xencenter']);
    expect(mgmt.hosts[0].role).toBe('management');
  });

  it('mgmt.os warns on anything but Windows XP, Server 2003, Vista or 7 (this is Linux)', () => {
    const f = finding(mgmt, 'mgmt.os');
    expect(f.status).toBe('warn');
    if (osRelease['PRETTY_NAME']) expect(f.observed).toContain(osRelease['PRETTY_NAME']);
  });

  it('mgmt.cpu-speed follows the rated (or maximum, or current) clock against 750 / 1000 MHz', () => {
    expect(ratedMhz).toBeDefined();
    const want = ratedMhz! < 750 ? 'fail' : ratedMhz! < 1000 ? 'warn' : 'pass';
    expect(finding(mgmt, 'mgmt.cpu-speed').status).toBe(want);
  });

  it('mgmt.memory follows os.totalmem() against 1 / 2 GiB (10% allowed for what the kernel keeps)', () => {
    const gib = totalmem() / 2 ** 30;
    const want = gib < 0.9 ? 'fail' : gib < 1.8 ? 'warn' : 'pass';
    expect(finding(mgmt, 'mgmt.memory').status).toBe(want);
  });

  it('mgmt.disk and quorum.disk follow statfs("/") against 100 MB', () => {
    const s = statfsSync('/');
    const want = s.bavail * s.bsize >= 100e6 ? 'pass' : 'fail';
    expect(finding(mgmt, 'mgmt.disk').status).toBe(want);
    expect(finding(quorum, 'quorum.disk').status).toBe(want);
  });

  it('mgmt.nic (100 Mbit/s) and quorum.nic (1 Gbit/s) follow /sys/class/net/*/speed of the device-backed NICs', () => {
    expect(finding(mgmt, 'mgmt.nic').status).toBe(nicVerdict(100));
    const q = nicVerdict(1000);
    expect(finding(quorum, 'quorum.nic').status).toBe(q === 'fail' ? 'warn' : q); // severity warn
  });

  it('mgmt.browser lists every browser on the PATH and fails without any Flash plug-in file', () => {
    const f = finding(mgmt, 'mgmt.browser');
    const facts = mgmt.hosts[0].facts;
    const found = BROWSERS.filter(onPath);
    expect(facts.browsers.browsers.length).toBeGreaterThanOrEqual(found.length > 0 ? 1 : 0);
    if (found.includes('chromium')) expect(f.observed).toMatch(/Chromium \d+/);
    if (flashFiles.length === 0) {
      expect(facts.browsers.flashPlayers).toEqual([]);
      expect(f.status).toBe('fail');
      expect(f.remediation).toMatch(/end of life on 31 December 2020/);
    }
  });

  it('mgmt.xencenter warns: XenCenter is a Windows program', () => {
    expect(finding(mgmt, 'mgmt.xencenter').status).toBe('warn');
  });

  it('records systeminformation\'s view as evidence, agreeing with os.totalmem()', () => {
    expect(mgmt.hosts[0].facts.probes['si.system']).toEqual({ status: 'ok' });
    const r = spawnSync(process.execPath, [BIN, 'scan', '--role', 'management', '--format', 'json', '--evidence-out', join(tmp, 'ev.json')], { encoding: 'utf8', timeout: 120_000 });
    expect([0, 1]).toContain(r.status);
    const ev = JSON.parse(readFileSync(join(tmp, 'ev.json'), 'utf8'));
    const host = Object.values(ev)[0] as any;
    const si = JSON.parse(host.evidence['si.system'].stdout);
    expect(si.mem.total).toBe(totalmem());
    expect(host.evidence['windows.powercfg-available']).toMatchObject({ exitCode: 127, stderr: 'powercfg: Windows only (this host is not Windows)\n' });
  });
});

const tmp = mkdtempSync(join(tmpdir(), 'pf-mgmt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.runIf(onLinux)('scan --role quorum on this machine', () => {
  it('gives a finding for every quorum rule', () => {
    expect(quorum.hosts[0].findings.map((f: { rule: string }) => f.rule).sort()).toEqual(['quorum.always-on', 'quorum.disk', 'quorum.nic', 'quorum.os', 'quorum.port']);
  });

  it('quorum.always-on passes exactly when the kernel offers no sleep state, else names the setting', () => {
    const f = finding(quorum, 'quorum.always-on');
    if (kernelSleepStates && kernelSleepStates.length === 0) expect(f.status).toBe('pass');
    else expect(f.observed).toMatch(/kernel sleep states|target/);
  });

  it('quorum.port: free UDP 2189 passes; our own socket on it fails naming node', async () => {
    if (!udpBound(2189)) expect(finding(quorum, 'quorum.port').status).toBe('pass');
    const sock = createSocket('udp4');
    const up = await new Promise<boolean>((resolve) => {
      sock.once('error', () => resolve(false));
      sock.bind(2189, '127.0.0.1', () => resolve(true));
    });
    try {
      const f = finding(scan('--role', 'quorum'), 'quorum.port');
      expect(f.status).toBe('fail');
      if (up) expect(f.observed).toMatch(/UDP 2189 held by node .*127\.0\.0\.1/);
    } finally {
      sock.close();
    }
  });

  it('every report format carries the quorum and management rules', () => {
    const out = ['r.json', 'r.html', 'r.xml'].map((f) => join(tmp, f));
    const r = spawnSync(process.execPath, [BIN, 'scan', '--role', 'quorum', ...out.flatMap((o) => ['--out', o])], { encoding: 'utf8', timeout: 120_000 });
    expect([0, 1], r.stderr).toContain(r.status);
    expect(r.stdout).toContain('quorum.always-on'); // text on stdout
    for (const o of out) for (const id of ['quorum.os', 'quorum.port', 'quorum.always-on']) expect(readFileSync(o, 'utf8'), `${o} ${id}`).toContain(id);
  });
});

describe('the in-process systeminformation probe', () => {
  it('is run by the local transport and never sent to a remote host', async () => {
    expect(PROBES.some((p) => p.node !== undefined)).toBe(false);
    expect(IN_PROCESS_PROBES.map((p) => p.id)).toEqual(['si.system']);
    const ev = await collectLocal([probeById('uname')!]);
    expect(Object.keys(ev.evidence)).toEqual(['uname', 'si.system']);
    expect(JSON.parse(ev.evidence['si.system']!.stdout).osInfo.platform).toBe(process.platform);
    expect(Object.keys((await collectLocal([probeById('uname')!], { inProcess: false })).evidence)).toEqual(['uname']);
  });

  it.runIf(onLinux)('has a script that says why it is absent where a remote transport would run it', () => {
    const r = spawnSync('/bin/sh', ['-c', probeById('si.system')!.script], { encoding: 'utf8' });
    expect(r.status).toBe(127);
    expect(r.stderr).toMatch(/^systeminformation: read in-process on the machine preflight runs on only; over SSH the shell probes describe the host/);
  });

  it.runIf(onLinux)('platform probes: the shell script (what SSH runs) says exactly what the local shortcut records', () => {
    for (const p of PROBES.filter((x) => x.only !== undefined && x.only.platform !== 'linux')) {
      const r = spawnSync('/bin/sh', ['-c', p.script], { encoding: 'utf8' });
      expect([r.status, r.stdout, r.stderr], p.id).toEqual([127, '', `${p.only!.reason}\n`]);
    }
  });

  it.runIf(onLinux)('leaves the Windows and macOS probes absent here, with the reason', async () => {
    const ids = PROBES.filter((p) => p.id.startsWith('windows.') || p.id.startsWith('macos.')).map((p) => p.id);
    const ev = await collectLocal(ids.map((id) => probeById(id)!), { inProcess: false });
    for (const id of ids) {
      expect(ev.evidence[id]?.exitCode, id).toBe(127);
      expect(ev.evidence[id]?.stderr, id).toMatch(/: (Windows|macOS) only \(this host is not (Windows|macOS)\)\n$/);
    }
  });
});

