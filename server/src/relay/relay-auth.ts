import type { Event } from '@nostr-relay/common';
import { verifyEvent } from 'nostr-tools/pure';

import { KIND_AUTH } from './inbox-policy';

/** The path the relay is served on, on the server's own port. */
export const RELAY_PATH = '/relay';
/** NIP-42: how far an AUTH event's `created_at` may be from the server's clock. */
export const AUTH_WINDOW_SECONDS = 10 * 60;

/**
 * The relay URLs an AUTH event may name on a connection. With a configured
 * public origin it is exactly that origin as `ws(s)://…/relay` (https → wss).
 * Without one, the `Host` the client connected to (as forwarded by a proxy)
 * with either scheme, since the server cannot tell whether TLS ended in front
 * of it. No `Host` and no public origin: nothing can match.
 */
export function relayUrlsFor(publicUrl: string, hostHeader: string | undefined): string[] {
  if (publicUrl !== '') {
    const url = new URL(publicUrl);
    return [`${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${RELAY_PATH}`];
  }
  if (!isHostHeader(hostHeader)) {
    return [];
  }
  return [`wss://${hostHeader}${RELAY_PATH}`, `ws://${hostHeader}${RELAY_PATH}`].map(normalizeRelayUrl).filter((u): u is string => u !== undefined);
}

/** Whether a `Host` header is a bare host with an optional port (nothing that could add a path or credentials to a URL). */
export function isHostHeader(value: string | undefined): value is string {
  return value !== undefined && /^[a-zA-Z0-9.:[\]-]{1,262}$/.test(value);
}

/** A relay URL in comparable form (lower-case host, default port dropped, no trailing slash), or undefined when it is not a ws(s) URL. */
export function normalizeRelayUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw.trim());
    if ((url.protocol !== 'ws:' && url.protocol !== 'wss:') || url.search !== '' || url.hash !== '' || url.username !== '') {
      return undefined;
    }
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}

/**
 * Checks a NIP-42 AUTH event: kind 22242, this connection's challenge, one of
 * `relayUrls`, `created_at` within ±10 minutes, valid id and signature. Returns
 * the `OK false` message, or undefined when it authenticates `event.pubkey`.
 */
export function checkAuthEvent(event: Event, challenge: string, relayUrls: readonly string[], now: number): string | undefined {
  if (event.kind !== KIND_AUTH) {
    return `invalid: an AUTH event is kind ${KIND_AUTH}`;
  }
  const tag = (name: string) => event.tags.find((t) => t[0] === name)?.[1];
  if (tag('challenge') !== challenge) {
    return 'invalid: the challenge is not the one this connection was given';
  }
  const relay = normalizeRelayUrl(tag('relay') ?? '');
  if (relay === undefined || !relayUrls.includes(relay)) {
    return `invalid: the relay tag must be this relay's URL (${relayUrls[0] ?? 'unknown: set KEZ_CHAT_PUBLIC_URL'})`;
  }
  if (Math.abs(event.created_at - now) > AUTH_WINDOW_SECONDS) {
    return 'invalid: created_at must be within 10 minutes of now';
  }
  // A copy of the NIP-01 fields only: nostr-tools caches its verdict under a symbol on the object it verified, and a spread would copy it.
  const { id, pubkey, created_at, kind, tags, content, sig } = event;
  if (!verifyEvent({ id, pubkey, created_at, kind, tags, content, sig })) {
    return 'invalid: bad id or signature';
  }
  return undefined;
}
