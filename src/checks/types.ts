import type { z } from 'zod';
import type { HostFacts } from '../facts/schema.js';
import type { Role, Status } from '../engine/types.js';
import type { HostEvidence } from '../collect/evidence.js';
import type { NicLayout } from './nicLayout.js';

/** What a check says about one rule on one host (or the pool). */
export interface Outcome {
  /** `fail` = the rule's requirement is not met (the rule's severity decides how it is shown);
   *  `warn` = only a recommendation is missed; `skip` and `error` always carry the reason in `message`. */
  status: Status;
  observed: string;
  expected: string;
  message: string;
  /** Probe ids this verdict was judged on; defaults to the check's `probes`. */
  probes?: string[];
}

export interface HostContext {
  host: string;
  role: Role;
  facts: HostFacts;
  /** How the host was reached: 'local' for the machine preflight runs on, else the address given
   *  (user@host:port, an ssh alias). Absent when not known (facts from elsewhere, tests). */
  address?: string;
  /** NIC roles from the site plan (--plan) for this host: they replace the rules' default layout
   *  for the roles the plan names (see effectiveLayout). Absent without a plan entry for the host. */
  layout?: Partial<NicLayout>;
  /** The host's raw evidence, for checks that read results of the active network tests
   *  (net.ping.*, net.neigh.*) recorded in the exercise phase. */
  evidence?: HostEvidence;
}

/** What the site plan says about the pool (with --isolation-ip over the plan's isolationIp). */
export interface PoolPlan {
  /** The plan file, for messages. */
  file?: string;
  alinks?: 'direct' | 'switched';
  isolationIp?: string;
  quorum?: { preferred: { address: string; port: number }; alternate?: { address: string; port: number } };
  /** The plan's hosts with their NICs and intended addresses, subnets and gateways (pool.planned-addresses). */
  hosts?: { name: string; nics: { nic: string; match: 'name' | 'mac'; role: string; address?: string; subnet?: string; gateway?: string }[] }[];
}

/** A host of the scan whose evidence could not be collected (connection, authentication, timeout). */
export interface UnreachableHost {
  host: string;
  role: Role;
  error: string;
}

export interface PoolContext {
  /** Every host whose facts were collected. */
  hosts: HostContext[];
  /** Hosts of the scan that could not be collected: a pool rule that needs one says so (error or
   *  skip), it never passes without it. */
  unreachable: UnreachableHost[];
  /** The site plan's pool settings (--plan, --isolation-ip); absent without either. */
  plan?: PoolPlan;
  /** Evidence of the pool-wide active tests run from the management computer (pool.management-access). */
  evidence?: HostEvidence;
}

interface CheckBase<P> {
  /** Registry name used by rules (`check: cpu-speed`). */
  name: string;
  description: string;
  /** zod schema of the parameters; validated when rules load, with file:line errors. */
  params: z.ZodType<P>;
  /** Probes whose evidence this check reads (for the finding's evidence list). */
  probes: readonly string[];
}

export interface HostCheck<P = unknown> extends CheckBase<P> {
  scope: 'host';
  evaluate(ctx: HostContext, params: P): Outcome;
}

export interface PoolCheck<P = unknown> extends CheckBase<P> {
  scope: 'pool';
  evaluate(ctx: PoolContext, params: P): Outcome;
}

export type Check = HostCheck<any> | PoolCheck<any>;
