import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateHost, withPlannedLayout } from '../../src/engine/evaluate.js';
import { loadProfile } from '../../src/engine/loadRules.js';
import { loadPlan } from '../../src/engine/plan.js';
import { effectiveLayout, hostPlanLayout, plannedHost, poolPlan } from '../../src/engine/planLayout.js';
import { runScan } from '../../src/engine/runScan.js';
import { hostFacts, inet, linkedNic, nic } from '../checks/hostFacts.js';

/** --plan wiring: NIC roles per host into HostContext.layout, the pool settings into PoolContext.plan. */

const dir = mkdtempSync(join(tmpdir(), 'preflight-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const profile = loadProfile('everrun-6.0');

const PLAN = `
alinks: direct
isolationIp: 10.0.0.1
quorum:
  preferred: { address: 10.0.0.21 }
  alternate: { address: 10.0.0.22, port: 2189 }
hosts:
  xs-lab-01:
    nics:
      - { nic: eth0, role: management, address: 10.0.0.11, subnet: 10.0.0.0/24, gateway: 10.0.0.1 }
      - { nic: eth6, role: alink1, address: 192.168.101.11, subnet: 192.168.101.0/24 }
      - { nic: eth2, role: alink2, address: 192.168.102.11, subnet: 192.168.102.0/24 }
      - { nic: eth3, role: production, subnet: 10.0.50.0/24 }
      - { nic: "00:1B:21:3A:4F:14", role: bond, bondWith: management }
`;

function planFile(text: string): string {
  const f = join(dir, `plan-${Math.random().toString(16).slice(2)}.yaml`);
  writeFileSync(f, text);
  return f;
}

const facts = hostFacts({
  nics: [
    linkedNic('eth0', { addresses: [inet('10.0.0.11')] }),
    linkedNic('eth2'),
    linkedNic('eth3'),
    linkedNic('eth5', { mac: '00:1b:21:3a:4f:14' }),
    // eth6 (the planned A-link 1) has no carrier.
    nic('eth6', { kind: 'physical', carrier: false, adminUp: true, operstate: 'down', mac: '00:1b:21:3a:4f:16' }),
  ],
});

describe('site plan -> layout', () => {
  const plan = loadPlan(planFile(PLAN));

  it('maps NIC roles by name and by MAC (found in the facts) onto a partial layout', () => {
    const planned = plannedHost(plan, 'xs-lab-01')!;
    expect(hostPlanLayout(planned, facts)).toEqual({
      layout: { management: 'eth0', alink1: 'eth6', alink2: 'eth2', production: 'eth3', bondPartner: 'eth5', bondManagement: true },
      missing: [],
    });
    // A MAC no NIC has is reported, not guessed.
    expect(hostPlanLayout(planned, hostFacts({ nics: [linkedNic('eth0')] })).missing.map((n) => n.nic)).toEqual(['00:1b:21:3a:4f:14']);
    expect(plannedHost(plan, 'other')).toBeUndefined();
  });

  it('the plan roles replace the default ones, the rest of the default layout stays', () => {
    const rule = profile.rules.find((r) => r.id === 'network.carrier')!;
    const params = withPlannedLayout(rule.params, { alink1: 'eth6' }) as { layout: Record<string, unknown> };
    expect(params.layout).toMatchObject({ management: 'eth0', alink1: 'eth6', alink2: 'eth2' });
    expect(withPlannedLayout(rule.params, undefined)).toBe(rule.params);
    expect(effectiveLayout(params.layout as never, undefined)).toBe(params.layout);
  });

  it('network.carrier judges the planned NIC, and says the expectation is the plan', () => {
    const layout = hostPlanLayout(plannedHost(plan, 'xs-lab-01')!, facts).layout;
    const rules = profile.rules.filter((r) => r.id === 'network.carrier');
    const [withPlan] = evaluateHost(rules, { host: 'xs-lab-01', role: 'master', facts, layout }, { skip: new Set(), today: '2026-11-25' });
    expect(withPlan!.status).toBe('fail');
    expect(`${withPlan!.observed} ${withPlan!.message}`).toMatch(/eth6/);
    expect(withPlan!.expected).toMatch(/eth6 \(A-link 1\).*site plan/);
  });

  it('pool settings: --isolation-ip wins over the plan; the quorum servers and A-link mode pass through', () => {
    expect(poolPlan(plan, undefined)).toMatchObject({ alinks: 'direct', isolationIp: '10.0.0.1', quorum: { preferred: { address: '10.0.0.21', port: 2189 } } });
    expect(poolPlan(plan, '10.0.0.254')!.isolationIp).toBe('10.0.0.254');
    expect(poolPlan(undefined, '10.0.0.254')).toEqual({ isolationIp: '10.0.0.254' });
    expect(poolPlan(undefined, undefined)).toBeUndefined();
  });

  it('runScan hands the plan to the host rules (by host name) and the pool rules', async () => {
    const { report } = await runScan({
      profile: profile.name,
      rules: profile.rules.filter((r) => r.id === 'network.carrier'),
      targets: [{ name: 'xs-lab-01', address: 'x', role: 'master', collect: async () => ({ transport: 'test', collectedAt: '', evidence: {} }) }],
      evaluation: { skip: new Set(), today: '2026-11-25' },
      plan,
    });
    // No evidence: the carrier rule cannot judge, but its expectation already names the plan's NIC.
    expect(report.hosts[0]!.findings[0]!.expected).toMatch(/site plan/);
  });
});
