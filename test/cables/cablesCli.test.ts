import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT } from '../lab/netnsLab.js';

/** Usage errors of `preflight cables` (the built CLI; no root needed). */

const cables = (...args: string[]) => spawnSync(process.execPath, [CLI, 'cables', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 20_000 });

describe('preflight cables: usage', () => {
  it.each([
    [['--duration', '3'], /--duration only applies with --watch/],
    [['--watch', '--interval', '5'], /--interval: expected whole milliseconds from 10 to 60000/],
    [['--watch', '--duration', '0'], /expected a positive number of seconds/],
    [['--watch', '--table'], /--table and --watch: choose one/],
    [['--format', 'csv'], /invalid/i],
    [['--free', '--rehearse'], /--free and --rehearse: choose one/],
    [['--rehearse'], /--rehearse needs both hosts/],
    [['--watch', '--out', 'ports.json'], /--watch prints carrier changes only: --out and --labels belong to the walkthrough/],
    [['--table', '--blink'], /--guided, --blink and --wait belong to the walkthrough/],
    [['--identify-seconds', '3'], /--identify-seconds only applies with --identify or --blink/],
    [['--guided', '--format', 'json'], /--format json is for the NIC table/],
    [['--accept-new'], /--ask-pass, --accept-new and --identity are for remote hosts/],
    [['--guided', '--out', 'ports.txt'], /ports\.txt.*\.md.*\.csv.*\.json.*\.html/],
    [['--guided', '--labels', '/nonexistent/ports.json'], /\/nonexistent\/ports\.json/],
  ])('%j exits 2 with one line on stderr', (args, message) => {
    const r = cables(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('is listed in the help', () => {
    const r = spawnSync(process.execPath, [CLI, '--help'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.stdout).toMatch(/^\s+cables \[options\]/m);
  });
});
