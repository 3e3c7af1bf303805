import type { HostFacts } from '../facts/schema.js';

/**
 * A Xen control domain (a XenServer host is one): there /proc/cpuinfo hides vmx/svm and MemTotal
 * is only Dom0's share of the machine, so checks must read the hypervisor's view instead.
 */
export function isXenDom0(facts: HostFacts): boolean {
  return facts.virtualization.xenDom0 === true || facts.xenserver !== undefined;
}
