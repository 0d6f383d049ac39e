import { type NostrEvent, verifyEvent } from 'nostr-tools/pure';

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

/** True when `raw` has every NIP-01 event field with the right type and encoding. */
export function isEventShape(raw: unknown): raw is NostrEvent {
  // Typed with named optional fields (not an index signature), so both the server's and
  // the client's compiler settings accept dotted access.
  const event = raw as { id?: unknown; pubkey?: unknown; sig?: unknown; created_at?: unknown; kind?: unknown; content?: unknown; tags?: unknown } | null;
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof event.id === 'string' &&
    HEX64.test(event.id) &&
    typeof event.pubkey === 'string' &&
    HEX64.test(event.pubkey) &&
    typeof event.sig === 'string' &&
    HEX128.test(event.sig) &&
    Number.isSafeInteger(event.created_at) &&
    Number.isSafeInteger(event.kind) &&
    typeof event.content === 'string' &&
    Array.isArray(event.tags) &&
    event.tags.every((tag) => Array.isArray(tag) && tag.every((item) => typeof item === 'string'))
  );
}

/**
 * Checks the id and the BIP340 signature of an event of the right shape (NIP-01).
 * The check runs on a copy: nostr-tools caches a verdict on the object it verified,
 * and an object that came from elsewhere must not bring its own.
 */
export function verifyEventCopy(event: NostrEvent): boolean {
  return verifyEvent({
    id: event.id,
    pubkey: event.pubkey,
    created_at: event.created_at,
    kind: event.kind,
    tags: event.tags.map((tag) => [...tag]),
    content: event.content,
    sig: event.sig,
  });
}

/** The values of every `name` tag, in order, without duplicates. */
export function tagValues(event: Pick<NostrEvent, 'tags'>, name: string): string[] {
  return [...new Set(event.tags.filter((tag) => tag[0] === name && typeof tag[1] === 'string').map((tag) => tag[1] as string))];
}
