// A private OpenSSH server for the remote parts of the bench: `/usr/sbin/sshd -D -e` as a child
// of the bench (never a daemon), on 127.0.0.1 and a free high port, with its own host key, client
// key, authorized_keys, known_hosts and ssh_config under bench/tmp/. The machine's own sshd setup
// is neither used nor changed. `Host` aliases (pf-h1, pf-h2, ...) all lead to this one server, so
// a fleet of N hosts is N names for one sshd on loopback.
//
// The server is deliberately NOT tagged for lib/proc.mjs's sweep (which runs after every round and
// would kill it); stop() kills it and every session it started, by PID, walking /proc.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

/** Why a loopback sshd cannot run here, or undefined. */
export function sshdUnavailableReason(which) {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'not running as root (sshd must run as root to log in as root)';
  if (!existsSync(SSHD)) return `${SSHD} is missing (Debian package openssh-server; bash bench/setup.sh installs it)`;
  if (!which('ssh') || !which('ssh-keygen')) return 'ssh / ssh-keygen missing (Debian package openssh-client)';
  return undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function keygen(file, type = 'ed25519') {
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  const r = spawnSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'preflight-bench', '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return readFileSync(`${file}.pub`, 'utf8').trim();
}

/** Every descendant of `pid` (from /proc's ppid fields), deepest last. */
export function descendants(pid) {
  const kids = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(name));
    } catch {
      /* gone */
    }
  }
  const out = [];
  const todo = [pid];
  while (todo.length) {
    for (const k of kids.get(todo.pop()) ?? []) {
      out.push(k);
      todo.push(k);
    }
  }
  return out;
}

/**
 * Starts the server. `dir` is emptied and holds everything. Returns
 * { port, dir, key, knownHosts, sshConfig, aliases(n), writeConfig(n), pid, stop() }.
 */
export async function startSshd(dir, { log = () => {} } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const remoteTmp = join(dir, 'remote-tmp');
  mkdirSync(remoteTmp, { mode: 0o1777 });
  chmodSync(remoteTmp, 0o1777);
  const hostKey = join(dir, 'host_ed25519_key');
  const hostPub = keygen(hostKey);
  const key = join(dir, 'id_bench');
  const clientPub = keygen(key);
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, `${clientPub}\n`, { mode: 0o600 });
  const port = await freePort();
  const knownHosts = join(dir, 'known_hosts');
  const [type, b64] = hostPub.split(' ');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${type} ${b64}\n`);
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      'AddressFamily inet',
      `HostKey ${hostKey}`,
      'PidFile none',
      `AuthorizedKeysFile ${authorizedKeys}`,
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'AllowUsers root',
      `SetEnv TMPDIR=${remoteTmp}`,
      'UseDNS no',
      'PrintMotd no',
      'PrintLastLog no',
      // A fleet connects up to the default concurrency (16) at once, and ansible more: never drop a
      // connection for being one of many unauthenticated ones (the default starts at 10).
      'MaxStartups 400',
      'MaxSessions 400',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  const exited = new Promise((res) => child.once('exit', res));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start listening within 5 s: ${stderr.trim()}`)), 5000);
    child.stderr.on('data', (d) => {
      stderr = (stderr + d.toString()).slice(-8192);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited (${code}): ${stderr.trim()}`));
    });
    // LogLevel ERROR prints no "Server listening": poll the port instead.
    const poll = setInterval(() => {
      const r = spawnSync('ssh', [...clientArgs(), '-p', String(port), 'root@127.0.0.1', 'true'], { encoding: 'utf8', timeout: 5000 });
      if (r.status === 0) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
    child.once('exit', () => clearInterval(poll));
  });
  log(`sshd on 127.0.0.1:${port} (pid ${child.pid})`);

  function clientArgs() {
    return ['-F', '/dev/null', '-i', key, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR'];
  }

  const aliases = (n) => Array.from({ length: n }, (_, i) => `pf-h${i + 1}`);
  const sshConfig = join(dir, 'ssh_config');
  /** ssh_config with n Host aliases, all 127.0.0.1:port as root with the bench key. */
  function writeConfig(n) {
    writeFileSync(
      sshConfig,
      aliases(n)
        .map((a) => `Host ${a}\n  HostName 127.0.0.1\n  Port ${port}\n  User root\n  IdentityFile ${key}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${knownHosts}\n  StrictHostKeyChecking yes\n  BatchMode yes\n  LogLevel ERROR\n`)
        .join('\n'),
    );
    return sshConfig;
  }
  writeConfig(1);

  return {
    port,
    dir,
    key,
    knownHosts,
    sshConfig,
    remoteTmp,
    pid: child.pid,
    aliases,
    writeConfig,
    clientArgs,
    /** Sessions still alive (processes below sshd): 0 between runs when every client cleaned up. */
    sessions: () => descendants(child.pid),
    /** Kills every session, then sshd, and removes dir. */
    async stop() {
      for (const p of descendants(child.pid).reverse()) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
