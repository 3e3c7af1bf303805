import type { CheckCase } from '../caseTable.js';
import { DOM0_FLAGS_E5540, FLAGS, XEN_CAPS_HVM, XEN_CAPS_PV_ONLY, absent, failed, hostFacts, ok, xenserver } from '../hostFacts.js';

/** The firmware-disabled verdict must tell the operator that a warm reboot does not apply the BIOS change. */
const POWER_CYCLE = /FULL POWER CYCLE.*a reboot is not enough/;
/** "not supported" must not send the operator into the BIOS for a power cycle. */
const NOT_SUPPORTED = /^(?!.*POWER CYCLE).*does not support hardware virtualization/s;

const e5540 = { vendor: 'GenuineIntel', modelName: 'Intel(R) Xeon(R) CPU           E5540  @ 2.53GHz' };

export const cases: CheckCase[] = [
  // --- supported and enabled ---------------------------------------------------------------
  {
    name: 'pass: vmx present and IA32_FEATURE_CONTROL locked with VMX enabled',
    facts: hostFacts({ os: { kernelRelease: '2.6.18-194.el5' }, cpu: { ...e5540, flags: FLAGS.xeonE5540 }, virtualization: { cpuFlag: 'vmx', firmware: 'enabled' } }),
    status: 'pass',
    observed: /CPU flag vmx present; firmware switch enabled and locked/,
    message: /supported and enabled/,
  },
  {
    name: 'pass: AMD Opteron 6328 with svm and VM_CR not disabling it',
    facts: hostFacts({ cpu: { vendor: 'AuthenticAMD', flags: FLAGS.opteron6328 }, virtualization: { cpuFlag: 'svm', firmware: 'enabled' } }),
    status: 'pass',
    observed: /svm present/,
  },
  {
    // The Dom0 trap: Xen hides vmx from /proc/cpuinfo in its control domain; xen_caps is the truth.
    name: 'pass: XenServer Dom0, flags hide vmx but Xen capabilities list hvm-3.0-x86_64',
    facts: hostFacts({
      os: { machine: 'i686' },
      cpu: { ...e5540, flags: DOM0_FLAGS_E5540 },
      virtualization: { cpuFlag: null, xenDom0: true, xenCaps: XEN_CAPS_HVM, xenHvm: true },
      xenserver: xenserver(),
    }),
    status: 'pass',
    observed: /Xen hypervisor reports hvm capabilities \(.*hvm-3\.0-x86_64\)/,
  },
  {
    name: 'pass: Dom0 facts carry xen_caps without the derived xenHvm',
    facts: hostFacts({ cpu: { flags: DOM0_FLAGS_E5540 }, virtualization: { xenDom0: true, xenCaps: XEN_CAPS_HVM } }),
    status: 'pass',
    observed: /hvm capabilities/,
  },
  {
    // Linux 5.6+ clears vmx itself when the BIOS locked it off, so a visible vmx proves it is on.
    name: 'pass: vmx visible on Linux 6.1 (which hides it when the BIOS disabled it), run without root',
    facts: hostFacts({
      probes: { 'cpu.msr': absent('/dev/cpu/0/msr: not available (msr driver not loaded)'), 'kernel.log.virt': failed('dmesg: not readable') },
      os: { kernelRelease: '6.1.0-18-amd64' },
      cpu: { vendor: 'GenuineIntel', flags: FLAGS.xeonE5540 },
      virtualization: { cpuFlag: 'vmx' },
    }),
    status: 'pass',
    observed: /this kernel \(6\.1\.0-18-amd64\) hides vmx when the BIOS disabled it/,
  },
  {
    name: 'pass: old kernel, MSR unreadable, kernel log read and silent about the BIOS',
    facts: hostFacts({
      probes: { 'cpu.msr': absent(), 'kernel.log.virt': ok() },
      os: { kernelRelease: '3.10.0-1160.el7.x86_64' },
      cpu: { ...e5540, flags: FLAGS.xeonE5540 },
    }),
    status: 'pass',
    observed: /vmx present; firmware switch not readable, and the kernel log has no "disabled by BIOS" line/,
  },
  {
    name: 'pass: unlocked firmware switch (the hypervisor enables VMX at boot)',
    facts: hostFacts({ cpu: { ...e5540, flags: FLAGS.xeonE5540 }, virtualization: { cpuFlag: 'vmx', firmware: 'unlocked' } }),
    status: 'pass',
    observed: /unlocked/,
  },
  // --- cannot tell whether it is enabled ----------------------------------------------------
  {
    // Debian 10 as a normal user: dmesg restricted, no msr driver, and a 4.19 kernel shows vmx
    // whether or not the BIOS enabled it.
    name: 'warn: vmx present on Linux 4.19, but neither the MSR nor the kernel log readable',
    // /dev/kvm proves nothing: recent kernels create it on CPUs without VT-x too.
    facts: hostFacts({
      probes: { 'cpu.msr': absent('/dev/cpu/0/msr: not available (msr driver not loaded)'), 'kernel.log.virt': failed('dmesg: read kernel buffer failed: Operation not permitted') },
      os: { kernelRelease: '4.19.0-26-amd64' },
      cpu: { ...e5540, flags: FLAGS.xeonE5540 },
      virtualization: { cpuFlag: 'vmx', kvmDevice: true },
    }),
    status: 'warn',
    observed: /vmx present; whether the BIOS enabled it is not known.*Operation not permitted \(run as root\)/,
    message: /could not confirm it is enabled in the BIOS: run preflight as root.*"Intel Virtualization Technology".*FULL POWER CYCLE/,
  },
  // --- supported but disabled in the firmware ----------------------------------------------
  {
    // Older kernels keep showing vmx; the locked MSR without the enable bit is the proof.
    name: 'fail: vmx present but IA32_FEATURE_CONTROL locked with VMX off (BIOS default)',
    facts: hostFacts({ os: { kernelRelease: '2.6.32-754.el6.x86_64' }, cpu: { ...e5540, flags: FLAGS.xeonE5540 }, virtualization: { cpuFlag: 'vmx', firmware: 'disabled' } }),
    status: 'fail',
    observed: /supported but disabled in the firmware: the firmware switch .* is locked off; CPU flag vmx present/,
    message: /supported but disabled in the BIOS: enable "Intel Virtualization Technology" \(Intel VT \/ VT-x\).*FULL POWER CYCLE.*a reboot is not enough/,
  },
  {
    // Linux 5.6+: the flag is gone and the kernel log line is the only trace.
    name: 'fail: vmx hidden by Linux 6.1, kernel log says "VMX (outside TXT) disabled by BIOS"',
    facts: hostFacts({
      probes: { 'kernel.log.virt': ok() },
      os: { kernelRelease: '6.1.0-18-amd64' },
      cpu: { ...e5540, flags: FLAGS.xeonE5540.filter((f) => f !== 'vmx') },
      virtualization: { cpuFlag: null, kernelDisabledByBios: 'x86/cpu: VMX (outside TXT) disabled by BIOS' },
    }),
    status: 'fail',
    observed: /kernel log: "x86\/cpu: VMX \(outside TXT\) disabled by BIOS"/,
    message: POWER_CYCLE,
  },
  {
    name: 'fail: AMD with SVMDIS set in VM_CR names the "SVM Mode" BIOS option',
    facts: hostFacts({ cpu: { vendor: 'AuthenticAMD', flags: FLAGS.opteron6328 }, virtualization: { cpuFlag: 'svm', firmware: 'disabled' } }),
    status: 'fail',
    message: /enable "SVM Mode" \(AMD SVM \/ AMD-V\).*FULL POWER CYCLE/,
  },
  // --- not supported by the CPU -------------------------------------------------------------
  {
    // Before Linux 5.6 the flag shows regardless of the BIOS, so its absence means "not supported".
    name: 'fail: NetBurst Xeon 3.80GHz on RHEL 5 has no vmx: not supported',
    facts: hostFacts({
      os: { kernelRelease: '2.6.18-8.el5' },
      cpu: { vendor: 'GenuineIntel', modelName: '                  Intel(R) Xeon(TM) CPU 3.80GHz', flags: FLAGS.netburstXeon },
      virtualization: { cpuFlag: null },
    }),
    status: 'fail',
    observed: /neither vmx nor svm; Intel\(R\) Xeon\(TM\) CPU 3\.80GHz; this kernel \(2\.6\.18-8\.el5\) shows the flag even when the BIOS disables it/,
    message: NOT_SUPPORTED,
  },
  {
    name: 'fail: Atom N270 on Linux 6.1 with a readable kernel log: not supported',
    facts: hostFacts({ probes: { 'kernel.log.virt': ok() }, os: { kernelRelease: '6.1.0-18-686' }, cpu: { vendor: 'GenuineIntel', flags: FLAGS.atomN270 } }),
    status: 'fail',
    observed: /neither vmx nor svm.*the kernel log has no "disabled by BIOS" line/,
    message: NOT_SUPPORTED,
  },
  {
    // On a new kernel without the log, "no flag" is either case: the message must cover both.
    name: 'fail: no vmx on Linux 6.1 and dmesg unreadable: not supported or disabled, says both',
    facts: hostFacts({ probes: { 'kernel.log.virt': failed('dmesg: read kernel buffer failed: Operation not permitted') }, os: { kernelRelease: '6.1.0-18-amd64' }, cpu: { ...e5540, flags: FLAGS.xeonE5540.filter((f) => f !== 'vmx') } }),
    status: 'fail',
    observed: /neither vmx nor svm.*kernel log.*could not be read.*\(run as root\)/,
    message: /either the CPU does not support it, or it is disabled in the BIOS.*FULL POWER CYCLE/,
  },
  {
    name: 'fail: a VMware guest without nested virtualization (says to run on the physical server)',
    facts: hostFacts({ cpu: { vendor: 'GenuineIntel', flags: FLAGS.esxGuest, hypervisorGuest: true, hypervisorVendor: 'VMware' } }),
    status: 'fail',
    observed: /a virtual machine \(hypervisor: VMware\)/,
    message: /virtual machine.*Run preflight on the physical server/,
  },
  {
    // Xen without hvm-* capabilities: VT-x absent or off; Dom0 cannot tell which, so both are named.
    name: 'fail: XenServer Dom0 whose Xen capabilities have no hvm-* entry',
    facts: hostFacts({ cpu: { ...e5540, flags: DOM0_FLAGS_E5540 }, virtualization: { cpuFlag: null, xenDom0: true, xenCaps: XEN_CAPS_PV_ONLY, xenHvm: false }, xenserver: xenserver() }),
    status: 'fail',
    observed: /without any hvm-\* entry: xen-3\.0-x86_64 xen-3\.0-x86_32p/,
    message: /Xen cannot run Windows \(HVM\) guests.*FULL POWER CYCLE.*if the option does not exist, the CPU does not support it/,
  },
  // --- cannot tell --------------------------------------------------------------------------
  {
    name: "error: XenServer Dom0, flags masked and neither /sys/hypervisor nor xm info readable",
    facts: hostFacts({
      probes: { 'sys.hypervisor': absent(), 'xen.info': failed('Error: Unable to connect to xend: Permission denied') },
      cpu: { ...e5540, flags: DOM0_FLAGS_E5540 },
      virtualization: { cpuFlag: null, xenDom0: true },
      xenserver: xenserver(),
    }),
    status: 'error',
    observed: /not known \(Xen Dom0/,
    message: /Cannot tell: in a Xen Dom0 the vmx\/svm flags are hidden.*Permission denied \(run as root\).*hvm-3\.0-x86_64/,
  },
  {
    name: 'error: CPU flags unreadable',
    facts: hostFacts({ probes: { 'proc.cpuinfo': failed('Permission denied'), lscpu: absent('lscpu: not installed') } }),
    status: 'error',
    message: /Cannot tell whether hardware virtualization is available.*lscpu: not installed/,
  },
];
