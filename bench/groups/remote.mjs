// Part 2 of issue 7: one remote host over real SSH on loopback (a private sshd started by the
// bench), preflight's remote scan next to the OpenSSH floor and ansible's fact gathering.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, ratioLine, whyNoFigure } from '../lib/analyze.mjs';
import { fmtMs } from '../lib/report.mjs';
import { sshdUnavailableReason, startSshd } from '../lib/sshd.mjs';

/** The floor and target of part 2, also used by the fleet and bundle groups. */
export const FLOOR_COMMAND = 'cat /proc/cpuinfo /proc/meminfo';

/** Environment for preflight over SSH: no agent (the bench key is given), nothing from the user's ~/.ssh. */
export function preflightSshEnv() {
  return { SSH_AUTH_SOCK: '' };
}

/** preflight's target options for the aliases of the bench sshd. */
export function hostArgs(sshd, aliases) {
  return [...aliases.flatMap((a) => ['--host', a]), '--ssh-config', sshd.sshConfig, '--known-hosts', sshd.knownHosts];
}

/** Ansible set up against the bench sshd: its own config, state and control sockets under bench/tmp. */
export function ansibleSetup(ctx, sshd, aliases) {
  const dir = join(ctx.tmpDir, 'ansible');
  for (const d of ['home', 'local-tmp', 'remote-tmp', 'cp']) mkdirSync(join(dir, d), { recursive: true });
  const cfg = join(dir, 'ansible-remote.cfg');
  writeFileSync(cfg, '[defaults]\nretry_files_enabled = False\nhost_key_checking = True\n');
  const inventory = join(dir, `inventory-${aliases.length}.ini`);
  writeFileSync(
    inventory,
    `[bench]\n${aliases.map((a) => `${a} ansible_host=${a} ansible_user=root ansible_ssh_common_args='-F ${sshd.sshConfig}'`).join('\n')}\n`,
  );
  return {
    inventory,
    cwd: dir,
    env: {
      ANSIBLE_CONFIG: cfg,
      ANSIBLE_HOME: join(dir, 'home'),
      ANSIBLE_LOCAL_TEMP: join(dir, 'local-tmp'),
      ANSIBLE_REMOTE_TMP: join(dir, 'remote-tmp'),
      ANSIBLE_SSH_CONTROL_PATH_DIR: join(dir, 'cp'),
      ANSIBLE_DEPRECATION_WARNINGS: 'False',
      ANSIBLE_SYSTEM_WARNINGS: 'False',
      ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
      ANSIBLE_NOCOLOR: '1',
      SSH_AUTH_SOCK: '',
    },
  };
}

/** Checks a preflight JSON report: every host reached. */
export function parseReport(stdout) {
  const r = JSON.parse(stdout);
  if (!r.summary || !Array.isArray(r.hosts)) throw new Error('no report on stdout');
  const unreachable = r.hosts.filter((h) => !h.reachable);
  if (unreachable.length) throw new Error(`${unreachable.length} host(s) not scanned: ${unreachable[0].error}`);
  return { inProcessMs: r.durationMs, hosts: r.hosts.length };
}

export default {
  id: 'remote',
  part: 2,
  title: 'One remote host over SSH on loopback',
  description:
    'A private sshd on 127.0.0.1 (started by the bench, its own host key, root with a key made for the run). "facts" is the scan with `--no-network-tests`: it gathers what the rules read, as `ansible -m setup` and the floor do. The default scan also runs the active network tests from the host (pings to the isolation IP, `arping` duplicate-address checks that wait their 1 s on purpose, TCP tests of the host from here): listed for scale, no target. Ansible runs with its defaults (ControlPersist on); the bench kills its leftover control master after each round, so every round starts cold, as preflight does.',

  async setup(ctx) {
    const why = sshdUnavailableReason(ctx.which);
    if (why) return { skip: why };
    const sshd = await startSshd(join(ctx.tmpDir, 'sshd-remote'), { log: ctx.log });
    const aliases = sshd.aliases(1);
    sshd.writeConfig(1);
    return { sshd, aliases, ansible: ansibleSetup(ctx, sshd, aliases) };
  },

  cases(ctx, state) {
    const { sshd, aliases, ansible } = state;
    const node = process.execPath;
    const scan = ['bin/preflight.js', 'scan', ...hostArgs(sshd, aliases), '--format', 'json'];
    const shown = 'node bin/preflight.js scan --host pf-h1 --ssh-config CFG --known-hosts KH --format json';
    return [
      {
        id: 'preflight',
        label: 'preflight remote scan (facts)',
        role: 'subject',
        cmd: node,
        args: [...scan, '--no-network-tests'],
        display: `${shown} --no-network-tests`,
        env: preflightSshEnv(),
        cwd: ctx.preflightRoot,
        okExitCodes: [0, 1],
        parse: parseReport,
        unavailable: ctx.preflightBuilt ? undefined : 'dist/cli.js is missing: the TypeScript build failed',
      },
      {
        id: 'preflight-net',
        label: 'preflight remote scan (with network tests)',
        role: 'variant',
        cmd: node,
        args: scan,
        display: shown,
        env: preflightSshEnv(),
        cwd: ctx.preflightRoot,
        okExitCodes: [0, 1],
        parse: parseReport,
        unavailable: ctx.preflightBuilt ? undefined : 'dist/cli.js is missing: the TypeScript build failed',
      },
      {
        id: 'ssh-floor',
        label: 'OpenSSH floor',
        role: 'floor',
        cmd: 'ssh',
        args: ['-F', sshd.sshConfig, aliases[0], FLOOR_COMMAND],
        display: `ssh -F CFG pf-h1 '${FLOOR_COMMAND}'`,
        cwd: ctx.tmpDir,
        okExitCodes: [0],
      },
      {
        id: 'ansible',
        label: 'ansible setup (SSH)',
        role: 'peer',
        cmd: 'ansible',
        args: ['all', '-i', ansible.inventory, '-m', 'setup'],
        display: 'ansible all -i INVENTORY -m setup',
        env: ansible.env,
        cwd: ansible.cwd,
        okExitCodes: [0],
        unavailable: ctx.which('ansible') ? undefined : 'ansible is not installed (bash bench/setup.sh installs it)',
      },
    ];
  },

  analyze(ctx, byId) {
    const pf = byId.preflight;
    const floor = byId['ssh-floor'];
    const ans = byId.ansible;
    const a = median(pf);
    const f = median(floor);
    const b = median(ans);
    const targets = [];
    if (a === undefined || f === undefined) {
      targets.push({ id: 'remote.floor-1.5x', text: 'one remote host: at most 1.5x the OpenSSH floor', met: false, detail: `not measured: ${whyNoFigure(a === undefined ? pf : floor)}` });
    } else {
      targets.push({ id: 'remote.floor-1.5x', text: 'one remote host: at most 1.5x the OpenSSH floor', met: a <= 1.5 * f, value: a / f, threshold: 1.5, detail: `${fmtMs(a)} vs floor ${fmtMs(f)}: ${(a / f).toFixed(2)}x (limit 1.5x = ${fmtMs(1.5 * f)})` });
    }
    if (a === undefined || b === undefined) {
      targets.push({ id: 'remote.ansible-5x', text: "one remote host: at least 5x faster than ansible's setup", met: false, detail: `not measured: ${whyNoFigure(a === undefined ? pf : ans)}` });
    } else {
      targets.push({ id: 'remote.ansible-5x', text: "one remote host: at least 5x faster than ansible's setup", met: b >= 5 * a, value: b / a, threshold: 5, detail: `${fmtMs(a)} vs ${fmtMs(b)}: ${(b / a).toFixed(2)}x faster (needs 5x: ${fmtMs(b / 5)})` });
    }
    const ratios = [floor, ans].filter((c) => c && !c.unavailable).map((c) => ratioLine(pf, c));
    const notes = [];
    const inProc = pf?.stats?.extra?.inProcessMs?.median;
    if (a !== undefined && inProc !== undefined) {
      notes.push(`preflight's own account (report.durationMs, median): ${fmtMs(inProc)} from the start of the scan to the report, of which connecting, authenticating and the probe batch are nearly all; the rest of the ${fmtMs(a)} is Node start-up, loading the CLI and ssh2, and writing the report.`);
    }
    if (targets.some((t) => !t.met) && a !== undefined && f !== undefined) {
      notes.push(
        '',
        `What remains, and why (measured in [PROFILE.md](PROFILE.md)): preflight's own process used ${fmtMs(pf.stats.cpuMs?.median)} of CPU; the rest of its ${fmtMs(a)} is waiting for the host. The floor is one SSH login and a \`cat\` (${fmtMs(f)}); preflight adds Node start-up and loading the CLI and ssh2 before it connects (about ${fmtMs(a - (inProc ?? a))} outside the scan itself, rendering included) and, on the host, a batch of ${'43'} probes, each a shell running real commands (ip, ethtool, dmidecode, ss, df, lscpu, grep over /sys and /etc). That batch was made about 3x cheaper in processes (691 → 188 forks for the 33 script probes) and 300 ms faster over SSH; concurrency on the host is no lever on 2 cores. Reaching 1.5x the floor would need the connection opened while the CLI loads (the scan's code is loaded as one chunk by \`cli.ts\` before any host is contacted) and the host's probe work itself to shrink; neither is done.`,
      );
    }
    return { targets, ratios, notes };
  },

  async teardown(ctx, state) {
    await state?.sshd?.stop();
  },
};
