import { BlockList, isIP } from 'node:net';

import type { CidrConfig } from '../config/app-config';
import { normalizeIp } from './ip-address';

/** What a request's client is called when its socket has no address any more. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * Finds the address a request came from. The socket peer is the client unless
 * it is a trusted proxy; then `X-Forwarded-For` is read from the right, each
 * trusted hop vouching for the entry to its left, and the first entry that is
 * not itself trusted is the client. Entries left of it were written by the
 * client and change nothing, so spoofing them is useless.
 */
export class ClientIpResolver {
  private readonly trusted = new BlockList();

  constructor(trustedProxies: readonly CidrConfig[]) {
    for (const { network, prefix, family } of trustedProxies) {
      this.trusted.addSubnet(network, prefix, family);
    }
  }

  resolve(peer: string | undefined, forwardedFor: string | readonly string[] | undefined): string {
    let client = normalizeIp(peer ?? '');
    if (client === undefined) {
      return UNKNOWN_CLIENT;
    }
    const hops = [forwardedFor ?? []].flat().join(',').split(',').reverse();
    for (const hop of hops) {
      if (!this.isTrusted(client)) {
        break;
      }
      const address = normalizeIp(hop);
      if (address === undefined) {
        // Garbage (or no header): the trusted hop that handed it over is as far as anyone vouches.
        break;
      }
      client = address;
    }
    return client;
  }

  /** Whether the socket peer `peer` is one of the trusted proxies (whose forwarded headers may be believed). */
  isTrustedProxy(peer: string | undefined): boolean {
    const ip = normalizeIp(peer ?? '');
    return ip !== undefined && this.isTrusted(ip);
  }

  private isTrusted(ip: string): boolean {
    return this.trusted.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
  }
}
