import type { Event, Filter } from '@nostr-relay/common';

import { NOSTR_KIND_ACK, NOSTR_KIND_DM } from '@kez/protocol';

/** NIP-59 gift wrap: what NIP-17 DMs travel in. */
export const KIND_GIFT_WRAP = 1059;
/** NIP-09 deletion request. */
export const KIND_DELETION = 5;
/** NIP-42 authentication event. */
export const KIND_AUTH = 22242;

/**
 * Private kinds and the tag that names their recipient: a gift wrap's `p`, a
 * KEZ DM's or receipt's `q` (docs/protocol.md §7). Served only to that key.
 */
export const PRIVATE_KINDS: ReadonlyMap<number, 'p' | 'q'> = new Map([
  [KIND_GIFT_WRAP, 'p'],
  [NOSTR_KIND_DM, 'q'],
  [NOSTR_KIND_ACK, 'q'],
]);

/** A registered user's own public events: profile (0), NIP-65 relay list (10002), NIP-17 DM relay list (10050). */
export const PUBLIC_KINDS: readonly number[] = [0, 10002, 10050];

/**
 * Largest event accepted, as compact JSON text in UTF-8 bytes, profiles included:
 * KEZ DMs carry envelopes well under it, and a profile with its picture fits it
 * (docs/adr/0010-compact-profile-pictures.md), as it must on strfry's default relays.
 */
export const MAX_EVENT_BYTES = 64 * 1024;
/** Furthest an event's `created_at` may be ahead of the server's clock. */
export const MAX_FUTURE_SECONDS = 15 * 60;

/** What an event needs to be stored, before the registry is asked. */
export type Admission =
  /** A private event for `recipient`, who must be a registered addr. */
  | { type: 'private'; recipient: string }
  /** A public kind or a deletion by `author`, who must be a registered addr. */
  | { type: 'own'; author: string }
  | { type: 'refused'; message: string };

const HEX64 = /^[0-9a-f]{64}$/;

/** The addr a private event is routed to: the first routing tag (`p` or `q` by kind) holding a key; undefined otherwise. */
export function recipientOf(event: Pick<Event, 'kind' | 'tags'>): string | undefined {
  const name = PRIVATE_KINDS.get(event.kind);
  if (name === undefined) {
    return undefined;
  }
  const tag = event.tags.find((t) => t[0] === name && typeof t[1] === 'string' && HEX64.test(t[1]));
  return tag?.[1];
}

/**
 * The inbox rule for `EVENT` (docs/protocol.md §8): gift wraps and KEZ DMs or
 * receipts for someone, and a user's own public kinds and deletions. Everything
 * else is refused with a NIP-01 `blocked:` message; so is a date too far ahead.
 */
export function admit(event: Event, now: number): Admission {
  if (event.created_at > now + MAX_FUTURE_SECONDS) {
    return { type: 'refused', message: `invalid: created_at is more than ${MAX_FUTURE_SECONDS / 60} minutes in the future` };
  }
  const expiration = expirationOf(event);
  if (expiration !== null && expiration <= now) {
    return { type: 'refused', message: 'invalid: the event has expired (NIP-40)' };
  }
  if (PRIVATE_KINDS.has(event.kind)) {
    const recipient = recipientOf(event);
    return recipient
      ? { type: 'private', recipient }
      : { type: 'refused', message: `blocked: a kind ${event.kind} event needs a "${PRIVATE_KINDS.get(event.kind)}" tag naming its recipient` };
  }
  if (PUBLIC_KINDS.includes(event.kind) || event.kind === KIND_DELETION) {
    return { type: 'own', author: event.pubkey };
  }
  return {
    type: 'refused',
    message: `blocked: this is a private inbox relay; it takes gift wraps (1059) and KEZ DMs (4243, 4244) for its users, and their own kinds 0, 10002, 10050 and 5, not kind ${event.kind}`,
  };
}

export type Scope = { ok: true; filters: Filter[] } | { ok: false; message: string };

/**
 * Rewrites a `REQ`'s filters into what the reader may see: registered users'
 * public kinds for anyone, private kinds only with their recipient tag pinned
 * to the authenticated key. Asking for private kinds unauthenticated is
 * `auth-required:`; naming another recipient is `restricted:`. Kinds this relay
 * never stores drop out (they would match nothing).
 */
export function scopeFilters(filters: readonly Filter[], pubkey: string | undefined): Scope {
  const scoped: Filter[] = [];
  for (const filter of filters) {
    const kinds = filter.kinds;
    const publicKinds = PUBLIC_KINDS.filter((k) => !kinds || kinds.includes(k));
    if (publicKinds.length > 0) {
      scoped.push({ ...filter, kinds: publicKinds });
    }
    const privateKinds = [...PRIVATE_KINDS.keys()].filter((k) => kinds?.includes(k));
    if (privateKinds.length === 0 && kinds === undefined && pubkey !== undefined) {
      // No kinds at all: an authenticated reader gets their own private events too.
      privateKinds.push(...PRIVATE_KINDS.keys());
    }
    if (privateKinds.length === 0) {
      continue;
    }
    if (pubkey === undefined) {
      return { ok: false, message: 'auth-required: private events are served only after NIP-42 AUTH, to their recipient' };
    }
    for (const tag of ['p', 'q'] as const) {
      const group = privateKinds.filter((k) => PRIVATE_KINDS.get(k) === tag);
      if (group.length === 0) {
        continue;
      }
      const named = filter[`#${tag}`];
      if (named !== undefined && !named.includes(pubkey)) {
        return { ok: false, message: `restricted: you may read only events addressed to your own key (${pubkey})` };
      }
      scoped.push({ ...filter, kinds: group, [`#${tag}`]: [pubkey] });
    }
  }
  return { ok: true, filters: scoped };
}

/** NIP-40: the `expiration` tag as unix seconds, or null when absent or unreadable. */
export function expirationOf(event: Pick<Event, 'tags'>): number | null {
  const tag = event.tags.find((t) => t[0] === 'expiration');
  const value = tag && /^\d{1,12}$/.test(tag[1] ?? '') ? Number(tag[1]) : NaN;
  return Number.isSafeInteger(value) ? value : null;
}
