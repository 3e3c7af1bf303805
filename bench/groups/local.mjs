// Part 1 of issue 7: the local scan, whole process, next to the tools people run today.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fasterThan, medianUnder, median, ratioLine } from '../lib/analyze.mjs';
import { fmtMs } from '../lib/report.mjs';

export default {
  id: 'local',
  part: 1,
  title: 'Local scan, whole process',
  description:
    'Each command runs as a whole process, Node or Python or Ruby start-up included, on this machine. preflight exits 1 when a rule fails (expected here: this is not an everRun host); `virt-host-validate` exits non-zero in a VM without KVM; `facter` exits 1 when the sandbox denies it /proc/1/environ. Every exit code is recorded and the time still counts.',

  async setup(ctx) {
    // Ansible keeps its state under bench/tmp, with a config of our own so no ansible.cfg found
    // in the working directory or /etc changes what it does.
    const dir = join(ctx.tmpDir, 'ansible');
    for (const d of ['home', 'local-tmp', 'remote-tmp']) mkdirSync(join(dir, d), { recursive: true });
    const cfg = join(dir, 'ansible.cfg');
    writeFileSync(cfg, '[defaults]\nretry_files_enabled = False\n');
    return {
      ansibleEnv: {
        ANSIBLE_CONFIG: cfg,
        ANSIBLE_HOME: join(dir, 'home'),
        ANSIBLE_LOCAL_TEMP: join(dir, 'local-tmp'),
        ANSIBLE_REMOTE_TMP: join(dir, 'remote-tmp'),
        ANSIBLE_LOCALHOST_WARNING: 'False',
        ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False',
        ANSIBLE_DEPRECATION_WARNINGS: 'False',
        ANSIBLE_SYSTEM_WARNINGS: 'False',
        ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
        ANSIBLE_NOCOLOR: '1',
      },
      ansibleCwd: dir,
    };
  },

  cases(ctx, state) {
    const node = process.execPath;
    const siDir = join(ctx.tmpDir, 'node_modules', 'systeminformation');
    const missing = (cmd, pkg) => (ctx.which(cmd) ? undefined : `${cmd} is not installed (Debian package ${pkg}; bash bench/setup.sh installs it)`);
    return [
      {
        id: 'preflight',
        label: 'preflight scan',
        role: 'subject',
        cmd: node,
        args: ['bin/preflight.js', 'scan', '--format', 'json'],
        display: 'node bin/preflight.js scan --format json',
        cwd: ctx.preflightRoot,
        unavailable: ctx.preflightBuilt ? undefined : 'dist/cli.js is missing: the TypeScript build failed',
        okExitCodes: [0, 1],
        // Check that a whole report came out, and keep preflight's own view of its time.
        parse(stdout) {
          const r = JSON.parse(stdout);
          if (!r.summary || !Array.isArray(r.hosts)) throw new Error('no report on stdout');
          return { inProcessMs: r.durationMs, probes: Object.keys(r.hosts[0]?.facts?.probes ?? {}).length };
        },
      },
      {
        // The same scan run from the tsc output (one module per source file), for the bundle's gain in the same run.
        id: 'preflight-unbundled',
        label: 'preflight scan, not bundled',
        role: 'variant',
        cmd: node,
        args: ['bin/preflight.js', 'scan', '--format', 'json'],
        display: 'PREFLIGHT_NO_BUNDLE=1 node bin/preflight.js scan --format json',
        env: { PREFLIGHT_NO_BUNDLE: '1' },
        cwd: ctx.preflightRoot,
        unavailable: ctx.preflightBuilt ? undefined : 'dist/cli.js is missing: the TypeScript build failed',
        okExitCodes: [0, 1],
      },
      { id: 'node-floor', label: 'node -e 0 (floor)', role: 'floor', cmd: node, args: ['-e', '0'], display: 'node -e 0', cwd: ctx.root },
      { id: 'facter', label: 'facter --json', role: 'peer', cmd: 'facter', args: ['--json'], unavailable: missing('facter', 'facter'), cwd: ctx.tmpDir },
      {
        id: 'ansible',
        label: 'ansible setup (local)',
        role: 'peer',
        cmd: 'ansible',
        args: ['localhost', '-c', 'local', '-m', 'setup'],
        display: 'ansible localhost -c local -m setup',
        env: state.ansibleEnv,
        cwd: state.ansibleCwd,
        unavailable: missing('ansible', 'ansible'),
      },
      {
        id: 'virt-host-validate',
        label: 'virt-host-validate',
        role: 'peer',
        cmd: 'virt-host-validate',
        args: [],
        unavailable: missing('virt-host-validate', 'libvirt-clients'),
        cwd: ctx.tmpDir,
      },
      {
        id: 'si-static',
        label: 'systeminformation getStaticData',
        role: 'peer',
        cmd: node,
        args: [join(ctx.benchDir, 'peers', 'si-static.mjs')],
        display: 'node bench/peers/si-static.mjs',
        cwd: ctx.root,
        unavailable: existsSync(siDir) ? undefined : 'systeminformation is not installed in bench/tmp (bash bench/setup.sh installs it)',
      },
    ];
  },

  analyze(ctx, byId) {
    const pf = byId.preflight;
    const peers = ['facter', 'ansible', 'si-static'].map((id) => byId[id]);
    const targets = [
      medianUnder('local.median-under-250ms', 'local scan (whole process): median under 250 ms', pf, 250),
      fasterThan('local.faster-than-facter', pf, byId.facter),
      fasterThan('local.faster-than-ansible', pf, byId.ansible),
      fasterThan('local.faster-than-getstaticdata', pf, byId['si-static']),
    ];
    const ratios = [...peers, byId['virt-host-validate']].map((p) => ratioLine(pf, p));
    const notes = [];
    const whole = median(pf);
    const floor = median(byId['node-floor']);
    const inProc = pf.stats?.extra?.inProcessMs?.median;
    if (whole !== undefined && floor !== undefined && inProc !== undefined) {
      notes.push(
        `Where preflight's ${fmtMs(whole)} go (medians): Node start-up ≈ the floor, ${fmtMs(floor)}; probes + facts + evaluation as preflight itself reports them (report.durationMs), ${fmtMs(inProc)}; the rest, ${fmtMs(whole - floor - inProc)}, is loading and compiling the CLI's code (building zod schemas on the way), reading the compiled rule profile, rendering and re-validating the JSON report, and exit. [PROFILE.md](PROFILE.md) breaks this down.`,
      );
    }
    notes.push('', '`virt-host-validate` is listed for scale only (it checks a dozen kernel features, no inventory) and carries no target.');
    const unbundled = median(byId['preflight-unbundled']);
    if (whole !== undefined && unbundled !== undefined) {
      notes.push('', `The bundle (dist/bundled/, what bin/preflight.js runs) against the same code as tsc emits it, one module per file (\`PREFLIGHT_NO_BUNDLE=1\`): ${fmtMs(whole)} vs ${fmtMs(unbundled)} in this run (CPU ${fmtMs(pf.stats.cpuMs?.median)} vs ${fmtMs(byId['preflight-unbundled'].stats?.cpuMs?.median)}).`);
    }
    if (targets.some((t) => !t.met)) {
      notes.push(
        '',
        'What remains, and why (measured in [PROFILE.md](PROFILE.md)): of a bundled local scan, Node start-up is the floor above; V8 compiling the ~1.2 MB of bundled code the scan loads (zod alone is 280 KB of it, the 46 check modules build their zod schemas at load), starting about 20 probe shells (each a fork of the ~70 MB Node process on the main thread), garbage collection, and the zod re-validation of the report before it is printed are the rest. The remaining fixes are in code other engineers own (checks, facts, report): params schemas built on first use instead of at load, `yaml` loaded only for YAML files, no report re-validation outside tests. On a busy 2-core machine each of these costs twice its quiet figure: compare the CPU column, which load inflates less.',
      );
    }
    return { targets, ratios, notes };
  },

  async teardown() {},
};
