import type { NicLayout } from '../checks/nicLayout.js';
import type { PoolPlan } from '../checks/types.js';
import type { HostFacts } from '../facts/schema.js';
import type { PlannedHost, PlannedNic, SitePlan } from './plan.js';

/**
 * What a site plan (--plan) means for the checks: per host, the NICs the plan gives roles to
 * (a NIC named by MAC is found among the host's NICs by its address), as a partial NicLayout that
 * replaces the rules' default layout for that host; and for the pool, the isolation IP, quorum
 * servers and A-link mode (PoolPlan).
 */

export interface HostPlanLayout {
  /** Roles the plan gives, by interface name as found on the host. */
  layout: Partial<NicLayout>;
  /** Planned NICs named by a MAC that no NIC of the host has. */
  missing: PlannedNic[];
}

const ROLE_KEY = { management: 'management', alink1: 'alink1', alink2: 'alink2', production: 'production' } as const;

/** The host's interface name for a planned NIC (its MAC looked up in the facts), or undefined. */
export function plannedNicName(nic: Pick<PlannedNic, 'nic' | 'match'>, facts: HostFacts): string | undefined {
  if (nic.match === 'name') return nic.nic;
  const found = (facts.nics ?? []).find((n) => n.mac?.toLowerCase() === nic.nic && n.kind === 'physical') ?? (facts.nics ?? []).find((n) => n.mac?.toLowerCase() === nic.nic);
  return found?.name;
}

export function hostPlanLayout(planned: PlannedHost, facts: HostFacts): HostPlanLayout {
  const layout: Partial<NicLayout> = {};
  const missing: PlannedNic[] = [];
  for (const nic of planned.nics) {
    const name = plannedNicName(nic, facts);
    if (name === undefined) {
      missing.push(nic);
      continue;
    }
    if (nic.role === 'bond') {
      if (nic.bondWith === 'management') {
        layout.bondPartner = name;
        layout.bondManagement = true;
      }
      continue;
    }
    layout[ROLE_KEY[nic.role]] = name;
  }
  return { layout, missing };
}

/** The plan's host entry for a scanned host (by the name given with --host or in the inventory). */
export function plannedHost(plan: SitePlan | undefined, host: string): PlannedHost | undefined {
  return plan?.hosts.find((h) => h.name === host);
}

/** The pool part of the plan, with --isolation-ip taking precedence over the plan's isolationIp. */
export function poolPlan(plan: SitePlan | undefined, isolationIp: string | undefined): PoolPlan | undefined {
  if (!plan && isolationIp === undefined) return undefined;
  const out: PoolPlan = {};
  if (plan?.alinks) out.alinks = plan.alinks;
  const iso = isolationIp ?? plan?.isolationIp;
  if (iso !== undefined) out.isolationIp = iso;
  if (plan?.quorum) out.quorum = plan.quorum;
  if (plan) {
    out.file = plan.file;
    out.hosts = plan.hosts;
  }
  return out;
}

/** The layout a check uses on one host: the rule's (default) layout with the plan's roles over it. */
export function effectiveLayout(ruleLayout: NicLayout, planned: Partial<NicLayout> | undefined): NicLayout {
  return planned ? { ...ruleLayout, ...planned } : ruleLayout;
}
