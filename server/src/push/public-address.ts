import { BlockList, isIP } from 'node:net';

// Addresses a push service may live at. A push endpoint is chosen by whoever
// subscribes, so anything that reaches inside the operator's network (loopback,
// private, link-local, shared CGNAT space, this host, multicast, reserved,
// documentation and benchmarking ranges) is refused: no server-side request forgery.

const NON_PUBLIC_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network", including the unspecified address
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // RFC 6598 shared address space (CGNAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
];

// IPv6 is allowed only inside global unicast (2000::/3), which leaves out loopback,
// unspecified, IPv4-mapped and -compatible, NAT64, ULA (fc00::/7), link-local
// (fe80::/10) and multicast (ff00::/8); inside it, these special ranges are refused.
const NON_PUBLIC_V6: readonly [string, number][] = [
  ['2001::', 23], // IETF protocol assignments, including Teredo (2001::/32)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4, which embeds any IPv4 address
  ['3fff::', 20], // documentation (RFC 9637)
];

const nonPublic = new BlockList();
for (const [network, prefix] of NON_PUBLIC_V4) {
  nonPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of NON_PUBLIC_V6) {
  nonPublic.addSubnet(network, prefix, 'ipv6');
}
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

/** True for an IP address on the public internet; false for anything else, including non-addresses. */
export function isPublicAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) {
    return !nonPublic.check(address, 'ipv4');
  }
  if (version === 6 && !address.includes('%')) {
    return globalUnicast.check(address, 'ipv6') && !nonPublic.check(address, 'ipv6');
  }
  return false;
}
