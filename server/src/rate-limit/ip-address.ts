import { isIP } from 'node:net';

/** The eight 16-bit groups of a valid IPv6 address, `::` expanded and a dotted IPv4 tail folded in. */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = groups(head);
  const right = groups(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** `::ffff:a.b.c.d` in any spelling, as `a.b.c.d`; undefined for any other IPv6 address. */
function mappedIpv4(groups: readonly number[]): string | undefined {
  if (groups.slice(0, 5).some((group) => group !== 0) || groups[5] !== 0xffff) {
    return undefined;
  }
  return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
}

/**
 * An address as a socket or an `X-Forwarded-For` entry gives it (`1.2.3.4`,
 * `1.2.3.4:5678`, `[::1]:80`, `fe80::1%eth0`, `::ffff:1.2.3.4`), written one way:
 * IPv4-mapped IPv6 as plain IPv4, IPv6 in lower case without a zone.
 * Undefined when it is not an address.
 */
export function normalizeIp(raw: string): string | undefined {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) {
    text = bracketed[1];
  } else if (/^[\d.]+:\d+$/.test(text)) {
    text = text.slice(0, text.lastIndexOf(':'));
  }
  text = text.replace(/%.*$/, '').toLowerCase();
  const version = isIP(text);
  if (version === 4) {
    return text;
  }
  if (version === 6) {
    return mappedIpv4(ipv6Groups(text)) ?? text;
  }
  return undefined;
}

/**
 * The bucket a normalised client address counts against. An IPv4 address is
 * one client; an IPv6 client is its /64, because one subscriber usually holds a
 * whole /64 and could otherwise take a fresh address for every request.
 */
export function clientKey(ip: string): string {
  if (isIP(ip) !== 6) {
    return ip;
  }
  return `${ipv6Groups(ip)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}
