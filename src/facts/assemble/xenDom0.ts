import type { Evidence } from '../../collect/evidence.js';
import { EXIT_NOT_FOUND } from '../../collect/evidence.js';
import type { Lscpu } from '../lscpu.js';
import type { SysHypervisor } from '../sysHypervisor.js';
import type { XenInfo } from '../xenInfo.js';

export interface Dom0Evidence {
  sysHypervisor?: SysHypervisor;
  xenInfo?: XenInfo;
  lscpu?: Lscpu;
  /** /etc/xensource-inventory was read: a XenServer host, whose Linux is always the control domain. */
  xenServerInventory: boolean;
}

/**
 * Whether this Linux is a Xen control domain (Dom0), where /proc/cpuinfo hides vmx/svm and
 * MemTotal is only Dom0's share. True on positive evidence only:
 *  - `xl info` / `xm info` answered: they need the privileged hypercall interface only Dom0 has;
 *  - the XenServer inventory exists;
 *  - /sys/hypervisor says "xen" and lists capabilities (Dom0 shows them; see the caveat below).
 * False when lscpu calls this a fully virtualized Xen guest (HVM domU: never a Dom0), or when there
 * is no Xen at all (/sys/hypervisor absent or another type, and no xl/xm).
 * Undefined when the evidence does not tell.
 * Caveat: a paravirtualized domU also shows /sys/hypervisor capabilities, and modern lscpu calls
 * both it and a PV Dom0 "para", so without xl/xm the two cannot be told apart from these probes.
 */
export function detectXenDom0(ev: Record<string, Evidence>, e: Dom0Evidence): boolean | undefined {
  if (e.xenServerInventory) return true;
  if (e.xenInfo && Object.keys(e.xenInfo.fields).length > 0) return true;
  if (e.lscpu?.hypervisorVendor === 'Xen' && e.lscpu.virtualizationType === 'full') return false;
  const hyp = e.sysHypervisor;
  if (hyp?.type === 'xen' && (hyp.capabilities?.length ?? 0) > 0) return true;
  const noSysHypervisor = ev['sys.hypervisor']?.exitCode === EXIT_NOT_FOUND;
  // An empty /sys/hypervisor (KVM guests have one) is no Xen either.
  const notXen = noSysHypervisor || (hyp !== undefined && hyp.type !== 'xen');
  const noXenTools = ev['xen.info']?.exitCode === EXIT_NOT_FOUND;
  return notXen && noXenTools ? false : undefined;
}
