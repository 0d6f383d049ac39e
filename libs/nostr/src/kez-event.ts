import { finalizeEvent, generateSecretKey, type NostrEvent, type VerifiedEvent } from 'nostr-tools/pure';

import { ADDR_PATTERN, MAX_ENVELOPE_BYTES, NOSTR_KIND_ACK, NOSTR_KIND_DM } from '@kez/protocol';

import { NostrError } from './errors';
import { checkEventTime } from './event-window';
import { isEventShape, tagValues, verifyEventCopy } from './event-shape';

// KEZ events on relays (contract section 6): a DM (4243) or a delivery receipt (4244)
// carries a v2 envelope as its content and one `["q", <recipient addr>]` routing tag,
// and nothing else on the outside. The outer event is signed by a key made for it
// alone, so a relay learns the recipient's addr and nothing about the sender, who is
// proven inside the envelope.

export type KezEventKind = typeof NOSTR_KIND_DM | typeof NOSTR_KIND_ACK;

const KEZ_KINDS: ReadonlySet<number> = new Set([NOSTR_KIND_DM, NOSTR_KIND_ACK]);
const encoder = new TextEncoder();

/**
 * Builds and signs a KEZ event of `kind` carrying `envelope` (a sealed v2 envelope,
 * `{v: 2, enc, ct}`) for `recipientAddr` (64 lowercase hex), signed with a one-time
 * key that is dropped afterwards. `createdAt` is unix seconds (default now).
 *
 * @throws NostrError `malformed` for an addr that is not 64 lowercase hex or an
 *   envelope larger than the contract's 262,144 bytes.
 */
export function buildKezEvent(kind: KezEventKind, envelope: object, recipientAddr: string, createdAt = Math.floor(Date.now() / 1000)): VerifiedEvent {
  if (!ADDR_PATTERN.test(recipientAddr)) {
    throw new NostrError('malformed', 'the recipient addr is 64 lowercase hex digits');
  }
  const content = JSON.stringify(envelope);
  if (encoder.encode(content).length > MAX_ENVELOPE_BYTES) {
    throw new NostrError('malformed', `an envelope is at most ${MAX_ENVELOPE_BYTES} bytes`);
  }
  const oneTimeKey = generateSecretKey();
  try {
    return finalizeEvent({ kind, created_at: createdAt, tags: [['q', recipientAddr]], content }, oneTimeKey);
  } finally {
    oneTimeKey.fill(0);
  }
}

export type KezEventDrop = 'malformed' | 'wrong_kind' | 'stale' | 'future' | 'seen' | 'bad_signature' | 'no_recipient' | 'bad_envelope';

export type KezEventVerdict =
  { ok: true; event: NostrEvent; kind: KezEventKind; recipients: string[]; envelope: Record<string, unknown> } | { ok: false; reason: KezEventDrop };

/**
 * Decides whether an event read from a relay is a KEZ event to open, cheapest checks
 * first: shape, kind, the `created_at` window around `now` (unix seconds), the
 * seen-set (ids of events already accepted), the signature (which also proves the
 * id), the `q` tags, and last that the content is a JSON object with a `v`.
 * The caller opens the envelope, then adds the id to its seen-set: only ids of
 * verified events may enter it, so a forged copy of a real id cannot shadow it.
 */
export function readKezEvent(raw: unknown, now: number, seen?: { has(id: string): boolean }): KezEventVerdict {
  if (!isEventShape(raw)) {
    return { ok: false, reason: 'malformed' };
  }
  if (!KEZ_KINDS.has(raw.kind)) {
    return { ok: false, reason: 'wrong_kind' };
  }
  const time = checkEventTime(raw.created_at, now, raw.kind);
  if (time !== 'ok') {
    return { ok: false, reason: time };
  }
  if (seen?.has(raw.id)) {
    return { ok: false, reason: 'seen' };
  }
  if (!verifyEventCopy(raw)) {
    return { ok: false, reason: 'bad_signature' };
  }
  const recipients = tagValues(raw, 'q').filter((addr) => ADDR_PATTERN.test(addr));
  if (recipients.length === 0) {
    return { ok: false, reason: 'no_recipient' };
  }
  if (raw.content.length > MAX_ENVELOPE_BYTES) {
    return { ok: false, reason: 'bad_envelope' };
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(raw.content);
  } catch {
    return { ok: false, reason: 'bad_envelope' };
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope) || typeof (envelope as { v?: unknown }).v !== 'number') {
    return { ok: false, reason: 'bad_envelope' };
  }
  return { ok: true, event: raw, kind: raw.kind as KezEventKind, recipients, envelope: envelope as Record<string, unknown> };
}
