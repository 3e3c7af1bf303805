/**
 * What `file` says about a program: its word size and CPU architectures.
 *
 *   /usr/lib/chromium/chromium: ELF 64-bit LSB pie executable, x86-64, version 1 (SYSV), ...
 *   /opt/firefox/firefox: ELF 32-bit LSB executable, Intel 80386, version 1 (SYSV), ...
 *   .../Firefox.app/Contents/MacOS/firefox: Mach-O universal binary with 2 architectures: [i386:Mach-O executable i386] [x86_64:Mach-O 64-bit executable x86_64]
 *   jp: Mach-O 64-bit executable x86_64
 *
 * A universal (fat) Mach-O binary runs as 64-bit on a 64-bit Mac unless started in 32-bit mode,
 * so its word size is that of its widest architecture; `archs` keeps them all.
 */
export interface FileType {
  path: string;
  kind: 'elf' | 'mach-o' | 'script' | 'other';
  bits?: 32 | 64;
  archs: string[];
}

export function parseFileLine(line: string): FileType | undefined {
  // "path: description". A known description start wins over an earlier ": " inside the path.
  const known = /: +(ELF |Mach-O |POSIX shell script|Bourne-Again shell script|\S+ script|symbolic link|directory|ASCII text|UTF-8|data$|empty$|cannot open)/.exec(line);
  const at = known ? known.index : line.indexOf(': ');
  if (at <= 0) return undefined;
  const path = line.slice(0, at).trim();
  const desc = line.slice(at + 1).trim();
  if (path === '' || desc === '') return undefined;
  if (/^ELF /.test(desc)) {
    const bits = /^ELF (32|64)-bit/.exec(desc);
    const arch = /, (x86-64|Intel 80386|ARM aarch64|ARM|PowerPC or cisco 4500|64-bit PowerPC[^,]*|IBM S\/390|MIPS[^,]*|RISC-V[^,]*),/.exec(desc);
    return { path, kind: 'elf', ...(bits ? { bits: Number(bits[1]) as 32 | 64 } : {}), archs: arch ? [arch[1]!] : [] };
  }
  if (/^Mach-O /.test(desc)) {
    const archs = [...desc.matchAll(/\[([a-z0-9_]+):/g)].map((a) => a[1]!);
    if (archs.length === 0) {
      const single = /Mach-O (?:64-bit )?(?:executable|bundle|dynamically linked shared library)\s+([a-z0-9_]+)/.exec(desc);
      if (single) archs.push(single[1]!);
    }
    const wide = archs.some((a) => /64/.test(a)) || /^Mach-O 64-bit/.test(desc);
    const narrow = archs.length > 0 || /^Mach-O (executable|bundle)/.test(desc);
    const bits: 32 | 64 | undefined = wide ? 64 : narrow ? 32 : undefined;
    return { path, kind: 'mach-o', ...(bits !== undefined ? { bits } : {}), archs };
  }
  if (/script/.test(desc)) return { path, kind: 'script', archs: [] };
  return { path, kind: 'other', archs: [] };
}

/** Whether a line looks like `file` output for a path (starts with "/" and has ": "). */
export function isFileLine(line: string): boolean {
  return /^\/.*?: \S/.test(line);
}
