import { bytesToHex, utf8Decode } from './encoding';
import { CryptoError } from './errors';
import { canonicalize } from './jcs';
import { randomBytes } from './random';

// The message fields both envelope versions carry inside the ciphertext, and the
// checks a recipient applies to them whatever the version.

/** `sent_at` may be at most this old (contract section 5: 7 days)... */
export const MESSAGE_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
/** ...and at most this far ahead of the recipient's clock (5 minutes). */
export const MESSAGE_MAX_FUTURE_SECONDS = 5 * 60;
/** Ids are opaque to this library; the bound only keeps dedupe tables sane. */
export const MESSAGE_ID_MAX_LENGTH = 128;

/** What a sender writes. Extra fields are application data carried and signed as is. */
export interface MessageContent {
  /** Defaults to 32 random hex digits. Recipients dedupe on (from, id). */
  id?: string;
  body: string;
  /** Unix seconds; defaults to now. */
  sent_at?: number;
  [field: string]: unknown;
}

/** What a recipient gets once an envelope has been decrypted and every check passed. */
export interface OpenedMessage {
  v: 1 | 2;
  /** The sender's primary; its signature has been verified. */
  from: string;
  /** Always the recipient's own primary. */
  to: string;
  id: string;
  sent_at: number;
  body: string;
  /** Every other field the sender signed (application data), without the envelope's own. */
  extra: Record<string, unknown>;
}

export interface MessageFields {
  id: string;
  sent_at: number;
  body: string;
  extra: Record<string, unknown>;
}

export function newMessageId(): string {
  return bytesToHex(randomBytes(16));
}

/**
 * Splits an object into the common fields and the rest, refusing wrong types and
 * `reserved` names (the fields the envelope itself owns, which content must not forge).
 */
export function readMessageFields(source: Record<string, unknown>, reserved: readonly string[]): MessageFields {
  const { id, sent_at: sentAt, body } = source;
  if (typeof id !== 'string' || id.length === 0 || id.length > MESSAGE_ID_MAX_LENGTH) {
    throw new CryptoError('malformed', `id is a string of 1..${MESSAGE_ID_MAX_LENGTH} characters`);
  }
  if (typeof sentAt !== 'number' || !Number.isSafeInteger(sentAt) || sentAt < 0) {
    throw new CryptoError('malformed', 'sent_at is a non-negative integer of unix seconds');
  }
  if (typeof body !== 'string') {
    throw new CryptoError('malformed', 'body is a string');
  }
  const common = new Set(['id', 'sent_at', 'body', ...reserved]);
  for (const name of reserved) {
    if (Object.prototype.hasOwnProperty.call(source, name)) {
      throw new CryptoError('malformed', `"${name}" is set by the envelope`);
    }
  }
  // fromEntries defines own properties, so a "__proto__" field stays data.
  const extra = Object.fromEntries(Object.entries(source).filter(([name]) => !common.has(name)));
  return { id, sent_at: sentAt, body, extra };
}

/** Fills the defaults of what a sender wrote and checks it as a recipient would. */
export function prepareContent(content: MessageContent, reserved: readonly string[], now: number): MessageFields {
  if (typeof content !== 'object' || content === null) {
    throw new CryptoError('malformed', 'content is an object');
  }
  return readMessageFields({ ...content, id: content.id ?? newMessageId(), sent_at: content.sent_at ?? now }, reserved);
}

/** Throws `stale` or `future` when `sentAt` is outside the window around `now`. */
export function checkFreshness(sentAt: number, now: number): void {
  if (now - sentAt > MESSAGE_MAX_AGE_SECONDS) {
    throw new CryptoError('stale', 'message is older than 7 days');
  }
  if (sentAt - now > MESSAGE_MAX_FUTURE_SECONDS) {
    throw new CryptoError('future', 'message is dated more than 5 minutes ahead');
  }
}

/**
 * Parses decrypted bytes that must be the JCS form of a JSON object. Requiring the
 * canonical bytes (not just valid JSON) leaves no room for duplicate keys or other
 * spellings that different parsers could read differently.
 */
export function parseCanonicalObject(bytes: Uint8Array): Record<string, unknown> {
  const text = utf8Decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CryptoError('malformed', 'plaintext is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CryptoError('malformed', 'plaintext is not a JSON object');
  }
  const object = value as Record<string, unknown>;
  let canonical: string;
  try {
    canonical = canonicalize(object);
  } catch {
    // e.g. 1e400, which JSON.parse reads as Infinity.
    throw new CryptoError('malformed', 'plaintext holds values JCS cannot represent');
  }
  if (canonical !== text) {
    throw new CryptoError('malformed', 'plaintext is not in canonical (JCS) form');
  }
  return object;
}
