// Part 3 of issue 7: fleets of 1, 10, 50 and 100 hosts at the default concurrency. One private sshd
// on loopback is reached under N ssh_config aliases (pf-h1 ... pf-hN), so preflight opens N SSH
// connections and runs N probe batches, as it would for N machines; every "host" runs on this
// machine's 2 cores, though, so the hosts' own work is measured here too (see the notes).
import { join } from 'node:path';
import { median, whyNoFigure } from '../lib/analyze.mjs';
import { fmtMiB, fmtMs } from '../lib/report.mjs';
import { sshdUnavailableReason, startSshd } from '../lib/sshd.mjs';
import { hostArgs, parseReport, preflightSshEnv } from './remote.mjs';

export const FLEET_SIZES = [1, 10, 50, 100];
/** DEFAULT_CONCURRENCY of src/engine/runScan.ts: hosts scanned at once. */
const DEFAULT_CONCURRENCY = 16;

export default {
  id: 'fleet',
  part: 3,
  title: 'Fleets of 1, 10, 50 and 100 hosts over SSH',
  maxRuns: 5,
  maxWarmup: 1,
  maxRunsWhy: 'one round puts 161 SSH logins and probe batches on this shared 2-core machine, about a minute at full load, which other engineers share',
  description: `\`preflight scan --no-network-tests\` of N hosts at the default concurrency (${DEFAULT_CONCURRENCY} hosts at once), every host an ssh_config alias of one private sshd on 127.0.0.1. Each host costs a full SSH connection (key exchange, authentication) and a full probe batch, all on this machine: the 2 cores run preflight and every "host" at once. Peak RSS is preflight's own process (GNU time %M). CPU is preflight's process tree only; the hosts' work (sshd, the batch shells) is not in it.`,

  async setup(ctx) {
    const why = sshdUnavailableReason(ctx.which);
    if (why) return { skip: why };
    const sshd = await startSshd(join(ctx.tmpDir, 'sshd-fleet'), { log: ctx.log });
    sshd.writeConfig(Math.max(...FLEET_SIZES));
    return { sshd };
  },

  cases(ctx, state) {
    const { sshd } = state;
    return FLEET_SIZES.map((n) => ({
      id: `fleet-${n}`,
      label: `${n} host${n > 1 ? 's' : ''}`,
      role: n === 1 ? 'floor' : 'subject',
      cmd: process.execPath,
      args: ['bin/preflight.js', 'scan', ...hostArgs(sshd, sshd.aliases(n)), '--no-network-tests', '--format', 'json'],
      display: `node bin/preflight.js scan --host pf-h1 ... --host pf-h${n} --ssh-config CFG --known-hosts KH --no-network-tests --format json`,
      env: preflightSshEnv(),
      cwd: ctx.preflightRoot,
      okExitCodes: [0, 1],
      timeoutMs: 300_000,
      parse: parseReport,
      unavailable: ctx.preflightBuilt ? undefined : 'dist/cli.js is missing: the TypeScript build failed',
    }));
  },

  analyze(ctx, byId) {
    const big = byId['fleet-100'];
    const one = byId['fleet-1'];
    const t100 = median(big);
    const rss100 = big?.stats?.rssKb?.median;
    const rssMax = big?.stats?.rssKb?.max;
    const targets = [
      t100 === undefined
        ? { id: 'fleet.100-under-5s', text: '100 hosts: under 5 s in total', met: false, detail: `not measured: ${whyNoFigure(big)}` }
        : { id: 'fleet.100-under-5s', text: '100 hosts: under 5 s in total', met: t100 < 5000, value: t100, threshold: 5000, detail: `median ${fmtMs(t100)} (min ${fmtMs(big.stats.wallMs.min)}, max ${fmtMs(big.stats.wallMs.max)})` },
      rss100 === undefined
        ? { id: 'fleet.100-under-200mb', text: '100 hosts: peak memory under 200 MB', met: false, detail: `not measured: ${whyNoFigure(big)}` }
        : { id: 'fleet.100-under-200mb', text: '100 hosts: peak memory under 200 MB', met: rssMax * 1024 < 200e6, value: rssMax, threshold: 200e6 / 1024, detail: `peak RSS median ${fmtMiB(rss100)}, max ${fmtMiB(rssMax)} (${((rssMax * 1024) / 1e6).toFixed(0)} MB)` },
    ];
    // Growth: time per host past the first, and the time against waves of `concurrency` hosts.
    const rows = FLEET_SIZES.map((n) => ({ n, c: byId[`fleet-${n}`] })).filter((r) => median(r.c) !== undefined);
    const notes = [];
    if (rows.length >= 2 && median(one) !== undefined) {
      const t1 = median(one);
      notes.push('Growth (medians):', '');
      notes.push('| hosts | wall | per host past the first | waves of 16 | wall ÷ waves | preflight CPU | CPU per host | peak RSS | RSS per host past the first |');
      notes.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      const r1 = one.stats.rssKb?.median;
      for (const { n, c } of rows) {
        const t = median(c);
        const waves = Math.ceil(n / DEFAULT_CONCURRENCY);
        const cpu = c.stats.cpuMs?.median;
        const rss = c.stats.rssKb?.median;
        notes.push(
          `| ${n} | ${fmtMs(t)} | ${n > 1 ? fmtMs((t - t1) / (n - 1)) : '–'} | ${waves} | ${fmtMs(t / waves)} | ${fmtMs(cpu)} | ${cpu !== undefined ? fmtMs(cpu / n) : '–'} | ${fmtMiB(rss)} | ${n > 1 && rss && r1 ? `${((rss - r1) / (n - 1) / 1024).toFixed(2)} MiB` : '–'} |`,
        );
      }
      const last = rows.at(-1);
      const growth = median(last.c) / t1;
      notes.push('', `From 1 to ${last.n} hosts the wall time grows ${growth.toFixed(1)}x for ${last.n}x the hosts (${Math.ceil(last.n / DEFAULT_CONCURRENCY)} waves of ${DEFAULT_CONCURRENCY}).`);
    }
    targets.push(growthTarget(rows));
    const cpu100 = big?.stats?.cpuMs?.median;
    if (t100 !== undefined && t100 >= 5000 && cpu100 !== undefined) {
      notes.push(
        '',
        `What remains, and why: here every "host" is this machine, so 100 hosts put 100 SSH logins (sshd's key exchange, a re-executed sshd per connection) and 100 probe batches on the same 2 cores that run preflight: the wall time measures this machine's capacity to play 100 hosts, not preflight. preflight's own process used ${fmtMs(cpu100)} of CPU for 100 hosts (${fmtMs(cpu100 / 100)} per host: SSH handshakes in JavaScript, parsing, evaluation, the report) and at most ${fmtMiB(rssMax)}. Against 100 real hosts at the default concurrency, 7 waves of about the one-host collection time (${fmtMs(one?.stats?.extra?.inProcessMs?.median)} here, on a loaded machine) would be about ${fmtMs(7 * (one?.stats?.extra?.inProcessMs?.median ?? 0))}, with preflight's own CPU spread over the waves: an estimate, not a measurement; a lab of 100 separate machines (or namespaces with CPU of their own) would be needed to measure it.`,
      );
    }
    return { targets, ratios: [], notes };
  },

  async teardown(ctx, state) {
    await state?.sshd?.stop();
  },
};

/** "Close to linear": the time per host past the first stays within 2x between 10 and 100 hosts. */
function growthTarget(rows) {
  const text = 'fleet: growth close to linear in hosts (time per added host from 10 to 100 hosts within 2x of that from 1 to 10)';
  const t = Object.fromEntries(rows.map((r) => [r.n, median(r.c)]));
  if (t[1] === undefined || t[10] === undefined || t[100] === undefined) return { id: 'fleet.linear', text, met: false, detail: 'not measured (needs 1, 10 and 100 hosts)' };
  const early = (t[10] - t[1]) / 9;
  const late = (t[100] - t[10]) / 90;
  return { id: 'fleet.linear', text, met: late <= 2 * early, value: late / early, threshold: 2, detail: `${fmtMs(early)} per host from 1 to 10, ${fmtMs(late)} per host from 10 to 100 (${(late / early).toFixed(2)}x)` };
}
