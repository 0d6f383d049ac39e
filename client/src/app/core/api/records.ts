import { type HandleRecord, type InboxPage, type PostMessageResponse, PRIMARY_PATTERN, type StoredMessage } from '@kez/protocol';

// Answers from the server are untrusted input like any other: each is checked for the
// shape the contract promises before the app relies on it. (Whether a primary is a
// usable curve point is checked by @kez/crypto when a message is sealed to it; doing
// it here would pull the whole crypto library into the first screen's bundle.)

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function parseHandleRecord(body: unknown): HandleRecord | null {
  if (!isRecord(body)) {
    return null;
  }
  const { handle, server, primary, addr, created_at: createdAt } = body;
  const valid =
    typeof handle === 'string' &&
    typeof server === 'string' &&
    typeof primary === 'string' &&
    PRIMARY_PATTERN.test(primary) &&
    typeof addr === 'string' &&
    typeof createdAt === 'number';
  return valid ? { handle, server, primary, addr, created_at: createdAt } : null;
}

export function parseStoredMessage(body: unknown): StoredMessage | null {
  if (!isRecord(body) || !isSeq(body['seq']) || !isRecord(body['envelope'])) {
    return null;
  }
  const createdAt = body['created_at'];
  return { seq: body['seq'], envelope: body['envelope'], created_at: typeof createdAt === 'number' ? createdAt : 0 };
}

export function parseInboxPage(body: unknown): InboxPage | null {
  if (!isRecord(body) || !Array.isArray(body['messages']) || !isSeq(body['next'])) {
    return null;
  }
  const messages = body['messages'].map(parseStoredMessage);
  return messages.every((message) => message !== null) ? { messages, next: body['next'] } : null;
}

export function parsePostMessageResponse(body: unknown): PostMessageResponse | null {
  return isRecord(body) && isSeq(body['seq']) && typeof body['created_at'] === 'number' ? { seq: body['seq'], created_at: body['created_at'] } : null;
}

/** `{"publicKey":"<base64url>"}` of GET /v1/push/vapid-public-key: 65 bytes, so 87 base64url characters. */
export function parseVapidKey(body: unknown): string | null {
  const key = isRecord(body) ? body['publicKey'] : undefined;
  return typeof key === 'string' && /^[A-Za-z0-9_-]{87}$/.test(key) ? key : null;
}

/** `{"subscribed":true|false}` of GET /v1/push/subscriptions/:handle. */
export function parseSubscribed(body: unknown): boolean | null {
  const subscribed = isRecord(body) ? body['subscribed'] : undefined;
  return typeof subscribed === 'boolean' ? subscribed : null;
}

/** Most default relays taken from one answer (a nostr relay list holds at most 20). */
const MAX_DEFAULT_RELAYS = 20;

/**
 * `{"relays":[…]}` of GET /v1/relays (docs/protocol.md §4, default relays): the
 * `ws:`/`wss:` URLs in order, repeats and anything else dropped, at most 20; null
 * when the answer is not that shape.
 */
export function parseDefaultRelays(body: unknown): string[] | null {
  const relays = isRecord(body) ? body['relays'] : undefined;
  if (!Array.isArray(relays)) {
    return null;
  }
  const urls = relays.filter((url): url is string => typeof url === 'string' && isRelayUrl(url));
  return [...new Set(urls)].slice(0, MAX_DEFAULT_RELAYS);
}

function isRelayUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hash === '' && url.username === '';
  } catch {
    return false;
  }
}
