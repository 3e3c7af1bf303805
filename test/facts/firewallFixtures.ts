import { readFileSync } from 'node:fs';

/** Reads a capture from test/fixtures/iptables/ (firewall captures: iptables-save, ip_tables_names, nft). */
export function firewallFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/iptables/${name}`, import.meta.url), 'utf8');
}

/**
 * The XCP-ng release spec's patch hunk applied: context and "+" lines, without the "-" lines. The
 * hunk starts at line 5 of /etc/sysconfig/iptables, after its comment lines and "*filter", so that
 * table header is put back. The result is the default Dom0 firewall file as XenServer writes it.
 */
export function xcpngPatchedFile(): string {
  const body = firewallFixture('xcpng-release-spec-default-sysconfig-iptables-patch.txt')
    .split('\n')
    .filter((l) => !/^(---|\+\+\+|@@)/.test(l) && (l.startsWith('+') || l.startsWith(' ')))
    .map((l) => l.slice(1));
  return ['*filter', ...body].join('\n');
}
