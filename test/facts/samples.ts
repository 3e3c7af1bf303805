/**
 * SYNTHETIC samples for the fact tests: hand-written in each tool's exact layout where no real
 * capture is available (no Xen host or XenServer pool was at hand). Real captures live in
 * test/fixtures; nothing here claims to be one. Values are modelled on the hardware of the real
 * fixtures (Dell R710 with two Xeon E5540) and on the names in the everRun 6.0 Setup Guide
 * (hosts test1-master and test1-slave, Appendix A).
 */

export const MASTER_UUID = '0f8e1a7c-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
export const MEMBER_UUID = '8b1c2d3e-4f5a-4b6c-9d7e-1f2a3b4c5d6e';
export const POOL_UUID = '4c6d1e2f-7a8b-4c9d-8e0f-1a2b3c4d5e6f';
export const BOND_UUID = '2e4f6a8b-0c1d-4e3f-9a5b-7c9d1e3f5a7b';

/** `xl info` of a XenServer 6.2 Dom0 on two quad-core hyper-threaded Xeons with VT-x on. */
export const XL_INFO = `host                   : xs62
release                : 2.6.32.43-0.4.1.xs1.8.0.835.170778xen
machine                : i686
nr_cpus                : 16
max_cpu_id             : 15
nr_nodes               : 2
cores_per_socket       : 4
threads_per_core       : 2
cpu_mhz                : 2527
hw_caps                : bfebfbff:28100800:00000000:00000b00:0098e3fd:00000000:00000001:00000000
virt_caps              : hvm hvm_directio
total_memory           : 49139
free_memory            : 47360
xen_major              : 4
xen_minor              : 1
xen_extra              : .5
xen_caps               : xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64
xen_commandline        : dom0_mem=752M lowmem_emergency_pool=1M crashkernel=64M@32M console= vga=mode-0x0311
cc_compiler            : gcc version 4.1.2 20080704 (Red Hat 4.1.2-46)
`;

/** `xm info` of a Xen 3.3 Dom0 on a dual-core CPU without VT-x (or with it disabled). */
export const XM_INFO_NO_VT = `host                   : xs55
nr_cpus                : 2
nr_nodes               : 1
cores_per_socket       : 2
threads_per_core       : 1
sockets_per_node       : 1
cpu_mhz                : 1862
total_memory           : 2046
xen_major              : 3
xen_minor              : 3
xen_extra              : .1
xen_caps               : xen-3.0-x86_64 xen-3.0-x86_32p
`;

/** The `sys.hypervisor` probe (grep -s -H .) in a Xen Dom0 with VT-x on. */
export const SYS_HYPERVISOR_DOM0 = [
  '/sys/hypervisor/type:xen',
  '/sys/hypervisor/properties/capabilities:xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64',
  '/sys/hypervisor/version/major:4',
  '/sys/hypervisor/version/minor:1',
  '/sys/hypervisor/version/extra:.5',
].join('\n');

/** /etc/xensource-inventory of the pool master, XenServer 5.5.0. */
export const INVENTORY_55 = `PRODUCT_BRAND='XenServer'
PRODUCT_NAME='xenenterprise'
PRODUCT_VERSION='5.5.0'
BUILD_NUMBER='25727p'
KERNEL_VERSION='2.6.18-128.1.6.el5.xs5.5.0.505.1024xen'
XEN_VERSION='3.3.1'
INSTALLATION_DATE='2010-03-02 14:21:56.347211'
PRIMARY_DISK='/dev/disk/by-id/scsi-36001e4f02f6a7c00123456789abcdef0'
BACKUP_PARTITION='/dev/disk/by-id/scsi-36001e4f02f6a7c00123456789abcdef0-part2'
INSTALLATION_UUID='${MASTER_UUID}'
CONTROL_DOMAIN_UUID='9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d'
DEFAULT_SR_PHYSDEVS='/dev/disk/by-id/scsi-36001e4f02f6a7c00123456789abcdef0-part3'
DOM0_MEM='752'
MANAGEMENT_INTERFACE='xenbr0'
`;

const CPU_INFO_E5540 =
  'cpu_count: 16; vendor: GenuineIntel; speed: 2527.054; modelname: Intel(R) Xeon(R) CPU           E5540  @ 2.53GHz; family: 6; model: 26; stepping: 5; flags: fpu de tsc msr pae mce cx8 apic sep mtrr mca cmov pat clflush acpi mmx fxsr sse sse2 ss ht nx constant_tsc pni est ssse3 sse4_1 sse4_2 popcnt lahf_lm hypervisor; features: 0098e3fd-bfebfbff-00000001-28100800; features_after_reboot: 0098e3fd-bfebfbff-00000001-28100800; physical_features: 0098e3fd-bfebfbff-00000001-28100800; maskable: full';

function hostRecord(uuid: string, name: string, address: string): string {
  return `uuid ( RO)                                    : ${uuid}
                              name-label ( RW): ${name}
                        name-description ( RW): Default install of XenServer
                                 enabled ( RO): true
                      API-version-vendor ( RO): XenSource
       API-version-vendor-implementation (MRO): 
                        software-version (MRO): product_version: 5.5.0; product_brand: XenServer; build_number: 25727p; hostname: ${name}; date: 2009-06-05; xapi: 1.3; xen: 3.3.1; linux: 2.6.18-128.1.6.el5.xs5.5.0.505.1024xen; xencenter_min: 1.6; xencenter_max: 1.6
                            capabilities (SRO): xen-3.0-x86_64; xen-3.0-x86_32p; hvm-3.0-x86_32; hvm-3.0-x86_32p; hvm-3.0-x86_64; 
                            other-config (MRW): agent_start_time: 1267539821.; boot_time: 1267539745.
                                cpu_info (MRO): ${CPU_INFO_E5540}
                                hostname ( RO): ${name}
                                 address ( RO): ${address}
                         memory-overhead ( RO): 639635456
                            memory-total ( RO): 25768615936
                             memory-free ( RO): 23652864000
                       host-metrics-live ( RO): true
                                 patches (SRO): `;
}

/** `xe host-list params=all` of a two-host pool. */
export const HOST_LIST = `${hostRecord(MASTER_UUID, 'test1-master', '10.20.30.1')}


${hostRecord(MEMBER_UUID, 'test1-slave', '10.20.30.2')}
`;

/** `xe pool-list params=all`. */
export const POOL_LIST = `uuid ( RO)                : ${POOL_UUID}
          name-label ( RW): everRun-pool
    name-description ( RW): 
              master ( RO): ${MASTER_UUID}
          default-SR ( RW): c4571f60-cee4-f929-f19a-e7e816a8d545
       crash-dump-SR ( RW): c4571f60-cee4-f929-f19a-e7e816a8d545
            ha-enabled ( RO): false
`;

/**
 * `xe patch-list params=all`: one update applied on both hosts (hosts are comma-separated, as
 * xapi's CLI prints them), one uploaded but applied on the member only.
 */
export const PATCH_LIST = `uuid ( RO)                    : 7f2e9c1a-5b3d-4f6e-8a0b-2c4d6e8f0a1b
              name-label ( RO): XS55EU002
        name-description ( RO): Public Availability: fixes to XenServer 5.5.0
                    size ( RO): 96581632
                   hosts (SRO): ${MASTER_UUID}, ${MEMBER_UUID}
    after-apply-guidance (SRO): restartHost


uuid ( RO)                    : 3a5c7e9b-1d2f-4a6b-8c0d-e2f4a6b8c0d2
              name-label ( RO): XS55EU003
        name-description ( RO): 
                    size ( RO): 12002304
                   hosts (SRO): ${MEMBER_UUID}
    after-apply-guidance (SRO): restartXAPI
`;

/**
 * `xe pif-list params=all` on the master (subset of fields): a management bond of eth0 and eth4
 * with static addressing and two DNS servers, and a private link without an address.
 */
export const PIF_LIST_BOND = `uuid ( RO)                  : 5b430bc0-d4fd-098f-5d33-4f9cbf84c4a4
                device ( RO): eth0
                   MAC ( RO): 00:1e:4f:f5:7f:7e
              physical ( RO): true
    currently-attached ( RO): false
                  VLAN ( RO): -1
        bond-master-of ( RO): 
         bond-slave-of ( RO): ${BOND_UUID}
            management ( RO): false
          network-uuid ( RO): 7a002152-ed55-bbfe-01a9-1aa4c24cea1b
             host-uuid ( RO): ${MASTER_UUID}
       host-name-label ( RO): test1-master
 IP-configuration-mode ( RO): None
                    IP ( RO): 
               netmask ( RO): 
               gateway ( RO): 
                   DNS ( RO): 
               carrier ( RO): true
                 speed ( RO): 1000 Mbit/s


uuid ( RO)                  : 9d2b4f6a-8c0e-4a1b-9c3d-5e7f9a1b3c5d
                device ( RO): bond0
                   MAC ( RO): 00:1e:4f:f5:7f:7e
              physical ( RO): false
    currently-attached ( RO): true
                  VLAN ( RO): -1
        bond-master-of ( RO): ${BOND_UUID}
         bond-slave-of ( RO): <not in database>
            management ( RO): true
          network-uuid ( RO): 1c3e5a7b-9d0f-4b2c-8e4a-6c8e0a2c4e6a
             host-uuid ( RO): ${MASTER_UUID}
       host-name-label ( RO): test1-master
 IP-configuration-mode ( RO): Static
                    IP ( RO): 10.20.30.1
               netmask ( RO): 255.255.255.0
               gateway ( RO): 10.20.30.254
                   DNS ( RO): 10.20.30.10,10.20.30.11
               carrier ( RO): true
                 speed ( RO): 1000 Mbit/s


uuid ( RO)                  : b7f1fae1-911f-5305-60be-cbeccf801127
                device ( RO): eth2
                   MAC ( RO): 00:1e:4f:f5:7f:80
              physical ( RO): true
    currently-attached ( RO): true
                  VLAN ( RO): -1
        bond-master-of ( RO): 
         bond-slave-of ( RO): <not in database>
            management ( RO): false
          network-uuid ( RO): df6b1575-4b72-b606-458b-67dd06e222db
             host-uuid ( RO): ${MASTER_UUID}
       host-name-label ( RO): test1-master
 IP-configuration-mode ( RO): None
                    IP ( RO): 
               carrier ( RO): false
                 speed ( RO): 0 Mbit/s
`;

/** `dmidecode -t 17`: two 4 GB modules and an empty slot. */
export const DMIDECODE_MEMORY = `# dmidecode 2.9
SMBIOS 2.6 present.

Handle 0x1100, DMI type 17, 28 bytes
Memory Device
\tSize: 4096 MB
\tLocator: DIMM_A1
\tBank Locator: Not Specified

Handle 0x1101, DMI type 17, 28 bytes
Memory Device
\tSize: 4096 MB
\tLocator: DIMM_A2

Handle 0x1102, DMI type 17, 28 bytes
Memory Device
\tSize: No Module Installed
\tLocator: DIMM_A3
`;

/** `dmidecode -t 4` of an Opteron 6328 board: no speed in the name; the board's Max Speed is higher. */
export const DMIDECODE_PROCESSOR_OPTERON = `# dmidecode 3.0
SMBIOS 2.7 present.

Handle 0x0004, DMI type 4, 42 bytes
Processor Information
\tSocket Designation: CPU1
\tManufacturer: AMD
\tVersion: AMD Opteron(tm) Processor 6328
\tMax Speed: 3500 MHz
\tCurrent Speed: 3200 MHz
\tStatus: Populated, Enabled
\tCore Count: 8
`;
