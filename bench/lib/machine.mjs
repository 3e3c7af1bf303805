// What the figures were measured on, and with which versions of everything.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export function machineInfo() {
  const cpus = os.cpus();
  let distro;
  try {
    distro = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
  } catch {
    /* not Linux-like */
  }
  let virt;
  const r = spawnSync('systemd-detect-virt', [], { encoding: 'utf8' });
  if (r.status === 0) virt = `${r.stdout.trim()} (systemd-detect-virt)`;
  else {
    try {
      if (/^flags\s*:.*\bhypervisor\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'))) virt = 'hypervisor (cpuinfo flag)';
    } catch {
      /* unknown */
    }
  }
  return {
    hostname: os.hostname(),
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    availableParallelism: os.availableParallelism?.() ?? cpus.length,
    memoryMiB: Math.round(os.totalmem() / 2 ** 20),
    kernel: `${os.type()} ${os.release()}`,
    distro: distro ?? 'unknown',
    virtualization: virt ?? 'none detected',
    node: process.version,
    date: new Date().toISOString(),
  };
}

export function loadAverage() {
  const [one, five, fifteen] = os.loadavg();
  return { one: +one.toFixed(2), five: +five.toFixed(2), fifteen: +fifteen.toFixed(2), at: new Date().toISOString() };
}

/** First line of `cmd args` (stdout or stderr), or undefined when it does not run. */
export function versionOf(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.error) return undefined;
  const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).find(Boolean);
  return text || undefined;
}

/** The commit the bench measured, and whether the work tree differed from it. */
export function gitInfo(cwd) {
  // Read-only: GIT_OPTIONAL_LOCKS=0 keeps `git status` from refreshing (writing) the index others use.
  const env = { ...process.env, GIT_OPTIONAL_LOCKS: '0' };
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', env });
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src', 'rules', 'bin'], { cwd, encoding: 'utf8', env });
  return {
    commit: head.status === 0 ? head.stdout.trim() : undefined,
    dirty: status.status === 0 ? status.stdout.trim().length > 0 : undefined,
  };
}
