// Part 5 of issue 7: `preflight bundle` of two hosts over SSH (two aliases of one private sshd on
// loopback): time, and the size of the archive it writes.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { median, whyNoFigure } from '../lib/analyze.mjs';
import { fmtMs } from '../lib/report.mjs';
import { sshdUnavailableReason, startSshd } from '../lib/sshd.mjs';
import { hostArgs, preflightSshEnv } from './remote.mjs';

function fmtBytes(n) {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MiB` : `${(n / 1024).toFixed(0)} KiB`;
}

export default {
  id: 'bundle',
  part: 5,
  title: 'Support bundle of two hosts over SSH',
  description:
    '`preflight bundle` of two hosts (two ssh_config aliases of one private sshd on 127.0.0.1), as support would ask for: the scan evidence, logs, NIC and xe inventories, the report, secrets redacted, written as a .tar.gz. With its defaults, so the active network tests run too. Each run writes a new archive (removed afterwards); its size is recorded per run.',

  async setup(ctx) {
    const why = sshdUnavailableReason(ctx.which);
    if (why) return { skip: why };
    const sshd = await startSshd(join(ctx.tmpDir, 'sshd-bundle'), { log: ctx.log });
    sshd.writeConfig(2);
    const outDir = join(ctx.tmpDir, 'bundles');
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    return { sshd, outDir, seq: 0 };
  },

  cases(ctx, state) {
    const { sshd, outDir } = state;
    // The harness runs a case with fixed arguments: each run overwrites the same file, and parse()
    // (called right after the run) records the size before the next run replaces it.
    const out = join(outDir, 'bench-bundle.tar.gz');
    return [
      {
        id: 'preflight-bundle',
        label: 'preflight bundle, 2 hosts',
        role: 'subject',
        cmd: process.execPath,
        args: ['bin/preflight.js', 'bundle', ...hostArgs(sshd, sshd.aliases(2)), '--out', out, '--case-id', 'bench'],
        display: 'node bin/preflight.js bundle --host pf-h1 --host pf-h2 --ssh-config CFG --known-hosts KH --out FILE.tar.gz --case-id bench',
        env: preflightSshEnv(),
        cwd: ctx.preflightRoot,
        okExitCodes: [0, 1],
        parse() {
          const size = statSync(out).size;
          const files = readdirSync(outDir);
          for (const f of files) rmSync(join(outDir, f), { force: true });
          return { archiveBytes: size };
        },
        unavailable: ctx.preflightBuilt ? undefined : 'dist/cli.js is missing: the TypeScript build failed',
      },
    ];
  },

  analyze(ctx, byId) {
    const c = byId['preflight-bundle'];
    const t = median(c);
    const size = c?.stats?.extra?.archiveBytes;
    const targets = [
      t === undefined
        ? { id: 'bundle.under-5s', text: 'bundle of two hosts: under 5 s', met: false, detail: `not measured: ${whyNoFigure(c)}` }
        : { id: 'bundle.under-5s', text: 'bundle of two hosts: under 5 s', met: t < 5000, value: t, threshold: 5000, detail: `median ${fmtMs(t)} (min ${fmtMs(c.stats.wallMs.min)}, max ${fmtMs(c.stats.wallMs.max)})` },
    ];
    const notes = size ? [`Archive size: median ${fmtBytes(size.median)} (min ${fmtBytes(size.min)}, max ${fmtBytes(size.max)}), plus its .sha256 file.`] : [];
    return { targets, ratios: [], notes };
  },

  async teardown(ctx, state) {
    await state?.sshd?.stop();
    if (state?.outDir) rmSync(state.outDir, { recursive: true, force: true });
  },
};
