import { verifyEvent } from 'nostr-tools/pure';

import { ADDR_PATTERN, NOSTR_KIND_DM } from '@kez/protocol';

/** Oldest DM that still wakes anyone (the contract's 48 h look-back). */
export const MAX_AGE_SECONDS = 48 * 3600;
/** Furthest a DM's `created_at` may be ahead of our clock. */
export const MAX_FUTURE_SECONDS = 5 * 60;
/** `q` tags looked at per event: a DM has one recipient, this only bounds the lookup. */
export const MAX_RECIPIENTS = 16;

export type DropReason = 'malformed' | 'wrong_kind' | 'stale' | 'future' | 'seen' | 'bad_signature' | 'no_recipient';

export type DmVerdict = { ok: true; id: string; createdAt: number; recipients: string[] } | { ok: false; reason: DropReason };

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

/**
 * Decides whether an event from a relay is a KEZ DM worth a push, cheapest
 * checks first: shape, kind, the `created_at` window, the seen-set, then the
 * signature (which also proves the id), and finally the `q` routing tags.
 *
 * The signature is checked on a copy built here from the event's fields:
 * nostr-tools remembers a verdict on the object it verified, and an object that
 * came from elsewhere must not bring its own.
 */
export function checkDmEvent(raw: unknown, now: number, seen: { has(id: string): boolean }): DmVerdict {
  const event = raw as Record<string, unknown> | null;
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.id !== 'string' ||
    !HEX64.test(event.id) ||
    typeof event.pubkey !== 'string' ||
    !HEX64.test(event.pubkey) ||
    typeof event.sig !== 'string' ||
    !HEX128.test(event.sig) ||
    !Number.isSafeInteger(event.created_at) ||
    !Number.isSafeInteger(event.kind) ||
    typeof event.content !== 'string' ||
    !isTagList(event.tags)
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (event.kind !== NOSTR_KIND_DM) {
    return { ok: false, reason: 'wrong_kind' };
  }
  const createdAt = event.created_at as number;
  if (createdAt < now - MAX_AGE_SECONDS) {
    return { ok: false, reason: 'stale' };
  }
  if (createdAt > now + MAX_FUTURE_SECONDS) {
    return { ok: false, reason: 'future' };
  }
  // Only verified ids enter the seen-set, so a forged copy of a real id is dropped here, and the real one was pushed.
  if (seen.has(event.id)) {
    return { ok: false, reason: 'seen' };
  }
  const copy = {
    id: event.id,
    pubkey: event.pubkey,
    created_at: createdAt,
    kind: NOSTR_KIND_DM,
    tags: event.tags.map((tag) => [...tag]),
    content: event.content,
    sig: event.sig,
  };
  if (!verifyEvent(copy)) {
    return { ok: false, reason: 'bad_signature' };
  }
  const recipients = [...new Set(copy.tags.filter((tag) => tag[0] === 'q' && ADDR_PATTERN.test(tag[1] ?? '')).map((tag) => tag[1]))];
  if (recipients.length === 0) {
    return { ok: false, reason: 'no_recipient' };
  }
  return { ok: true, id: copy.id, createdAt, recipients: recipients.slice(0, MAX_RECIPIENTS) };
}

function isTagList(tags: unknown): tags is string[][] {
  return Array.isArray(tags) && tags.every((tag) => Array.isArray(tag) && tag.every((item) => typeof item === 'string'));
}
