import type { V1IPBlock } from '@kubernetes/client-node';
import { isIPv4, isIPv6 } from 'node:net';
import { GraderError, GraderErrorCode } from '../errors';

/** An IPv4 address as an unsigned 32-bit number; undefined when `ip` is not dotted-quad IPv4. */
export function ipv4ToNumber(ip: string): number | undefined {
  if (!isIPv4(ip)) return undefined;
  const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** A parsed CIDR: IPv4 ranges match IPv4 addresses; IPv6 ones are valid but match no IPv4 address. */
export interface Cidr {
  text: string;
  family: 4 | 6;
  /** First address and mask (IPv4 only). */
  base: number;
  mask: number;
}

/** Parses `a.b.c.d/n` (or an IPv6 CIDR); throws INVALID_INPUT naming `where` when it is not one. */
export function parseCidr(text: string, where: string): Cidr {
  const [ip, bits, extra] = String(text).split('/');
  const n = Number(bits);
  if (extra === undefined && ip && bits !== undefined && /^\d{1,3}$/.test(bits)) {
    if (isIPv4(ip) && n <= 32) {
      const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
      return { text, family: 4, base: (ipv4ToNumber(ip)! & mask) >>> 0, mask };
    }
    if (isIPv6(ip) && n <= 128) return { text, family: 6, base: 0, mask: 0 };
  }
  throw new GraderError(
    GraderErrorCode.INVALID_INPUT,
    `${where}: "${text}" is not a valid CIDR; expected an address and a prefix length such as 10.0.0.0/16`,
  );
}

/** Whether the IPv4 address (as a number) is inside the CIDR. */
export function cidrContains(cidr: Cidr, ip: number): boolean {
  return cidr.family === 4 && (ip & cidr.mask) >>> 0 === cidr.base;
}

/** A NetworkPolicy ipBlock, parsed: `cidr` minus every `except`. */
export interface CompiledIPBlock {
  cidr: Cidr;
  except: Cidr[];
}

/** Parses and validates an ipBlock as the API server would (except must lie inside cidr). */
export function compileIPBlock(block: V1IPBlock, where: string): CompiledIPBlock {
  const cidr = parseCidr(block.cidr, `${where}.cidr`);
  const except = (block.except ?? []).map((e, i) => {
    const parsed = parseCidr(e, `${where}.except[${i}]`);
    const inside =
      parsed.family === cidr.family &&
      (parsed.family === 6 || (parsed.mask >= cidr.mask && cidrContains(cidr, parsed.base)));
    if (!inside) {
      throw new GraderError(
        GraderErrorCode.INVALID_INPUT,
        `${where}.except[${i}]: "${e}" is not inside cidr "${block.cidr}"; every except must be a subrange of cidr`,
      );
    }
    return parsed;
  });
  return { cidr, except };
}

/** Whether an IPv4 address (as a number) is in the block and in none of its exceptions. */
export function ipBlockContains(block: CompiledIPBlock, ip: number): boolean {
  return cidrContains(block.cidr, ip) && !block.except.some((e) => cidrContains(e, ip));
}
