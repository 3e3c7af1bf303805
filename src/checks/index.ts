import type { Status } from '../engine/types.js';
import { cpuCores, outcomes as cpuCoresOutcomes } from './cpuCores.js';
import { cpuSpeed, outcomes as cpuSpeedOutcomes } from './cpuSpeed.js';
import { cpuVendor, outcomes as cpuVendorOutcomes } from './cpuVendor.js';
import { cpuVirtualization, outcomes as cpuVirtualizationOutcomes } from './cpuVirtualization.js';
import { cpuX64, outcomes as cpuX64Outcomes } from './cpuX64.js';
import { memoryTotal, outcomes as memoryTotalOutcomes } from './memoryTotal.js';
import { mgmtBrowser, outcomes as mgmtBrowserOutcomes } from './mgmtBrowser.js';
import { mgmtCpuSpeed, outcomes as mgmtCpuSpeedOutcomes } from './mgmtCpuSpeed.js';
import { mgmtDisk, outcomes as mgmtDiskOutcomes } from './mgmtDisk.js';
import { mgmtMemory, outcomes as mgmtMemoryOutcomes } from './mgmtMemory.js';
import { mgmtNic, outcomes as mgmtNicOutcomes } from './mgmtNic.js';
import { mgmtOs, outcomes as mgmtOsOutcomes } from './mgmtOs.js';
import { mgmtXencenter, outcomes as mgmtXencenterOutcomes } from './mgmtXencenter.js';
import { networkBond, outcomes as networkBondOutcomes } from './networkBond.js';
import { networkCarrier, outcomes as networkCarrierOutcomes } from './networkCarrier.js';
import { networkDns, outcomes as networkDnsOutcomes } from './networkDns.js';
import { networkGateway, outcomes as networkGatewayOutcomes } from './networkGateway.js';
import { networkManagementNic, outcomes as networkManagementNicOutcomes } from './networkManagementNic.js';
import { networkNicCount, outcomes as networkNicCountOutcomes } from './networkNicCount.js';
import { networkNicSpeed, outcomes as networkNicSpeedOutcomes } from './networkNicSpeed.js';
import { networkNicsIdentical, outcomes as networkNicsIdenticalOutcomes } from './networkNicsIdentical.js';
import { networkStaticIp, outcomes as networkStaticIpOutcomes } from './networkStaticIp.js';
import { poolAlinkHealth, outcomes as poolAlinkHealthOutcomes } from './poolAlinkHealth.js';
import { poolAlinkPairing, outcomes as poolAlinkPairingOutcomes } from './poolAlinkPairing.js';
import { poolAlinkSubnets, outcomes as poolAlinkSubnetsOutcomes } from './poolAlinkSubnets.js';
import { poolCabling, outcomes as poolCablingOutcomes } from './poolCabling.js';
import { poolIsolationIp, outcomes as poolIsolationIpOutcomes } from './poolIsolationIp.js';
import { poolManagementAccess, outcomes as poolManagementAccessOutcomes } from './poolManagementAccess.js';
import { poolPlannedAddresses, outcomes as poolPlannedAddressesOutcomes } from './poolPlannedAddresses.js';
import { poolQuorum, outcomes as poolQuorumOutcomes } from './poolQuorum.js';
import { poolHostCount, outcomes as poolHostCountOutcomes } from './poolHostCount.js';
import { poolIdenticalCpus, outcomes as poolIdenticalCpusOutcomes } from './poolIdenticalCpus.js';
import { poolMembership, outcomes as poolMembershipOutcomes } from './poolMembership.js';
import { poolSameSoftware, outcomes as poolSameSoftwareOutcomes } from './poolSameSoftware.js';
import { poolUniqueIps, outcomes as poolUniqueIpsOutcomes } from './poolUniqueIps.js';
import { portsFirewall, outcomes as portsFirewallOutcomes } from './portsFirewall.js';
import { portsFree, outcomes as portsFreeOutcomes } from './portsFree.js';
import { quorumAlwaysOn, outcomes as quorumAlwaysOnOutcomes } from './quorumAlwaysOn.js';
import { quorumPort, outcomes as quorumPortOutcomes } from './quorumPort.js';
import { storageDom0, outcomes as storageDom0Outcomes } from './storageDom0.js';
import { storageLocalCapacity, outcomes as storageLocalCapacityOutcomes } from './storageLocalCapacity.js';
import { storageProductSpace, outcomes as storageProductSpaceOutcomes } from './storageProductSpace.js';
import { xenserverPool, outcomes as xenserverPoolOutcomes } from './xenserverPool.js';
import { xenserverUpdates, outcomes as xenserverUpdatesOutcomes } from './xenserverUpdates.js';
import { xenserverVersion, outcomes as xenserverVersionOutcomes } from './xenserverVersion.js';
import type { Check } from './types.js';

/**
 * The explicit check registry, alphabetical by name: rules name a check here (`check: cpu-speed`).
 * A check that is not listed here does not exist for the rule loader, so adding one is one line.
 */
export const CHECKS: Record<string, Check> = {
  'cpu-cores': cpuCores,
  'cpu-speed': cpuSpeed,
  'cpu-vendor': cpuVendor,
  'cpu-virtualization': cpuVirtualization,
  'cpu-x64': cpuX64,
  'memory-total': memoryTotal,
  'mgmt-browser': mgmtBrowser,
  'mgmt-cpu-speed': mgmtCpuSpeed,
  'mgmt-disk': mgmtDisk,
  'mgmt-memory': mgmtMemory,
  'mgmt-nic': mgmtNic,
  'mgmt-os': mgmtOs,
  'mgmt-xencenter': mgmtXencenter,
  'network-bond': networkBond,
  'network-carrier': networkCarrier,
  'network-dns': networkDns,
  'network-gateway': networkGateway,
  'network-management-nic': networkManagementNic,
  'network-nic-count': networkNicCount,
  'network-nic-speed': networkNicSpeed,
  'network-nics-identical': networkNicsIdentical,
  'network-static-ip': networkStaticIp,
  'pool-alink-health': poolAlinkHealth,
  'pool-alink-pairing': poolAlinkPairing,
  'pool-alink-subnets': poolAlinkSubnets,
  'pool-cabling': poolCabling,
  'pool-isolation-ip': poolIsolationIp,
  'pool-management-access': poolManagementAccess,
  'pool-planned-addresses': poolPlannedAddresses,
  'pool-quorum': poolQuorum,
  'pool-host-count': poolHostCount,
  'pool-identical-cpus': poolIdenticalCpus,
  'pool-membership': poolMembership,
  'pool-same-software': poolSameSoftware,
  'pool-unique-ips': poolUniqueIps,
  'ports-firewall': portsFirewall,
  'ports-free': portsFree,
  'quorum-always-on': quorumAlwaysOn,
  'quorum-port': quorumPort,
  'storage-dom0': storageDom0,
  'storage-local-capacity': storageLocalCapacity,
  'storage-product-space': storageProductSpace,
  'xenserver-pool': xenserverPool,
  'xenserver-updates': xenserverUpdates,
  'xenserver-version': xenserverVersion,
};

/**
 * The statuses each check can give. The conformance test requires a test row for each, so no
 * outcome ships untested.
 */
export const OUTCOMES: Record<string, readonly Status[]> = {
  'cpu-cores': cpuCoresOutcomes,
  'cpu-speed': cpuSpeedOutcomes,
  'cpu-vendor': cpuVendorOutcomes,
  'cpu-virtualization': cpuVirtualizationOutcomes,
  'cpu-x64': cpuX64Outcomes,
  'memory-total': memoryTotalOutcomes,
  'mgmt-browser': mgmtBrowserOutcomes,
  'mgmt-cpu-speed': mgmtCpuSpeedOutcomes,
  'mgmt-disk': mgmtDiskOutcomes,
  'mgmt-memory': mgmtMemoryOutcomes,
  'mgmt-nic': mgmtNicOutcomes,
  'mgmt-os': mgmtOsOutcomes,
  'mgmt-xencenter': mgmtXencenterOutcomes,
  'network-bond': networkBondOutcomes,
  'network-carrier': networkCarrierOutcomes,
  'network-dns': networkDnsOutcomes,
  'network-gateway': networkGatewayOutcomes,
  'network-management-nic': networkManagementNicOutcomes,
  'network-nic-count': networkNicCountOutcomes,
  'network-nic-speed': networkNicSpeedOutcomes,
  'network-nics-identical': networkNicsIdenticalOutcomes,
  'network-static-ip': networkStaticIpOutcomes,
  'pool-alink-health': poolAlinkHealthOutcomes,
  'pool-alink-pairing': poolAlinkPairingOutcomes,
  'pool-alink-subnets': poolAlinkSubnetsOutcomes,
  'pool-cabling': poolCablingOutcomes,
  'pool-isolation-ip': poolIsolationIpOutcomes,
  'pool-management-access': poolManagementAccessOutcomes,
  'pool-planned-addresses': poolPlannedAddressesOutcomes,
  'pool-quorum': poolQuorumOutcomes,
  'pool-host-count': poolHostCountOutcomes,
  'pool-identical-cpus': poolIdenticalCpusOutcomes,
  'pool-membership': poolMembershipOutcomes,
  'pool-same-software': poolSameSoftwareOutcomes,
  'pool-unique-ips': poolUniqueIpsOutcomes,
  'ports-firewall': portsFirewallOutcomes,
  'ports-free': portsFreeOutcomes,
  'quorum-always-on': quorumAlwaysOnOutcomes,
  'quorum-port': quorumPortOutcomes,
  'storage-dom0': storageDom0Outcomes,
  'storage-local-capacity': storageLocalCapacityOutcomes,
  'storage-product-space': storageProductSpaceOutcomes,
  'xenserver-pool': xenserverPoolOutcomes,
  'xenserver-updates': xenserverUpdatesOutcomes,
  'xenserver-version': xenserverVersionOutcomes,
};

export function checkByName(name: string): Check | undefined {
  return Object.hasOwn(CHECKS, name) ? CHECKS[name] : undefined;
}
