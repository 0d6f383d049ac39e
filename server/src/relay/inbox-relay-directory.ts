import { Injectable } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { ClientIpResolver } from '../rate-limit/client-ip';
import { RelayDirectory } from '../registry/relay-directory';
import { isHostHeader, normalizeRelayUrl, RELAY_PATH } from './relay-auth';
import { RelayEventStore } from './relay-event-store';

/** Relays listed per user in nostr.json, this one included. */
const MAX_RELAYS = 8;

/**
 * NIP-05 `relays` for a user: this server's `/relay` first, then the relays of
 * the user's newest kind 10050 (NIP-17 DM inbox list) held here, without
 * repeats. This relay's URL is `KEZ_CHAT_PUBLIC_URL` as ws(s); without it, the
 * request's `Host` with `wss` when a trusted proxy says `X-Forwarded-Proto:
 * https`, else `ws` (the server itself speaks plain HTTP).
 */
@Injectable()
export class InboxRelayDirectory extends RelayDirectory {
  constructor(
    private readonly config: AppConfig,
    private readonly clientIp: ClientIpResolver,
    private readonly store: RelayEventStore,
  ) {
    super();
  }

  async relaysFor(addr: string, request: { host?: string; peer?: string; forwardedProto?: string }): Promise<string[]> {
    const own = this.ownUrl(request);
    const listed = (await this.store.dmRelaysOf(addr)).map(normalizeRelayUrl).filter((u): u is string => u !== undefined);
    return [...new Set([...(own ? [own] : []), ...listed])].slice(0, MAX_RELAYS);
  }

  /**
   * This server's own `/relay` URL (`ws:`/`wss:`), or undefined when no public
   * URL is configured and the request's `Host` is unusable.
   */
  ownUrl(request: { host?: string; peer?: string; forwardedProto?: string }): string | undefined {
    if (this.config.publicUrl !== '') {
      const url = new URL(this.config.publicUrl);
      return normalizeRelayUrl(`${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${RELAY_PATH}`);
    }
    if (!isHostHeader(request.host)) {
      return undefined;
    }
    const tls = this.clientIp.isTrustedProxy(request.peer) && request.forwardedProto?.split(',')[0].trim().toLowerCase() === 'https';
    return normalizeRelayUrl(`${tls ? 'wss' : 'ws'}://${request.host}${RELAY_PATH}`);
  }
}
