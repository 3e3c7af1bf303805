import { isIPv4 } from 'node:net';

/**
 * The little IPv4 arithmetic the configuration parsers need: configuration files give a netmask
 * (255.255.255.0) where facts want a prefix length (/24), and a global gateway applies to the
 * interface whose subnet holds it.
 */

/** The address as a 32-bit unsigned number, or undefined when it is not dotted-quad IPv4. */
export function ipv4ToNumber(address: string): number | undefined {
  if (!isIPv4(address)) return undefined;
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** Prefix length of a dotted netmask (255.255.252.0 -> 22); undefined when not a contiguous mask. */
export function netmaskToPrefix(netmask: string): number | undefined {
  const n = ipv4ToNumber(netmask.trim());
  if (n === undefined) return undefined;
  for (let prefix = 0; prefix <= 32; prefix++) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if (mask === n) return prefix;
  }
  return undefined;
}

/** A prefix length written either way: "24" or "255.255.255.0". */
export function readPrefixLength(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (/^\d{1,2}$/.test(t)) {
    const n = Number(t);
    return n <= 32 ? n : undefined;
  }
  return netmaskToPrefix(t);
}

/** True when `address` lies in `network`/`prefix`. */
export function ipv4InSubnet(address: string, network: string, prefix: number): boolean {
  const a = ipv4ToNumber(address);
  const n = ipv4ToNumber(network);
  if (a === undefined || n === undefined || prefix < 0 || prefix > 32) return false;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return ((a & mask) >>> 0) === ((n & mask) >>> 0);
}

/** `10.0.0.1/24` -> ['10.0.0.1', 24]; a bare address gives an undefined prefix. */
export function splitCidr(text: string): { address: string; prefix?: number } {
  const slash = text.indexOf('/');
  if (slash < 0) return { address: text };
  const prefix = /^\d{1,3}$/.test(text.slice(slash + 1)) ? Number(text.slice(slash + 1)) : undefined;
  return prefix === undefined ? { address: text.slice(0, slash) } : { address: text.slice(0, slash), prefix };
}
