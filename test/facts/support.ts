import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { probeById } from '../../src/collect/probes.js';
import type { Evidence } from '../../src/collect/evidence.js';

/** Helpers shared by the fact tests: fixtures from test/fixtures, evidence objects as probes make them. */

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A fixture file's text, e.g. fixture('cpuinfo/ul-dell-r710-2socket-e5540-vmx.txt'). */
export function fixture(path: string): string {
  return readFileSync(FIXTURES + path, 'utf8');
}

/** Evidence as the collector records it; a finished probe with exit code 0 unless told otherwise. */
export function evidence(probe: string, stdout: string, extra: Partial<Evidence> = {}): Evidence {
  return {
    probe,
    source: probeById(probe)?.script ?? probe,
    stdout,
    stderr: '',
    exitCode: 0,
    durationMs: 0,
    truncated: false,
    ...extra,
  };
}

/** What a probe records when the tool or file it needs is missing (exit 127). */
export function absent(probe: string, stderr = `${probe}: not installed`): Evidence {
  return evidence(probe, '', { exitCode: 127, stderr });
}

/** Evidence keyed by probe id, as HostEvidence.evidence holds it. */
export function evidenceSet(...items: Evidence[]): Record<string, Evidence> {
  return Object.fromEntries(items.map((e) => [e.probe, e]));
}
