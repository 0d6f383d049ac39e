import { isIP } from 'node:net';

import ipaddr from 'ipaddr.js';

// Parsing is ipaddr.js's; `isIP` decides what counts as an address, because it is
// strict where ipaddr.js is lenient (it would read `01.2.3.4` as octal).

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
    const address = ipaddr.IPv6.parse(text);
    return address.isIPv4MappedAddress() ? address.toIPv4Address().toString() : text;
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
  const prefix = ipaddr.IPv6.parse(ip)
    .parts.slice(0, 4)
    .map((group) => group.toString(16));
  return `${prefix.join(':')}::/64`;
}
