/** Limits and constants of the wire contract (docs/protocol.md). */

/** Largest request body the server parses; larger ones get 413 payload_too_large. */
export const MAX_BODY_BYTES = 300 * 1024;

/**
 * Deepest nesting of arrays and objects a JSON request body may have (`{}` is 1,
 * `{"envelope":{}}` is 2). Deeper bodies are 400 bad_request before anything walks them.
 */
export const MAX_JSON_DEPTH = 32;

/** Largest envelope accepted by POST /v1/messages, measured as sent (JSON text, UTF-8). */
export const MAX_ENVELOPE_BYTES = 262_144;

/** How far a registration's `created_at` may be from the server's clock. */
export const REGISTER_SKEW_SECONDS = 300;

/** How far an `X-KEZ-Auth` timestamp may be from the server's clock. */
export const AUTH_SKEW_SECONDS = 60;

export const INBOX_DEFAULT_LIMIT = 100;
export const INBOX_MAX_LIMIT = 500;

/** SSE keep-alive comment interval when idle. */
export const STREAM_KEEPALIVE_SECONDS = 15;

export const REGISTER_PAYLOAD_TYPE = 'kez-chat/register/v1';

export const HANDLE_MIN_LENGTH = 2;
export const HANDLE_MAX_LENGTH = 32;
/** 2–32 of [a-z0-9_-], starting with a letter or digit. */
export const HANDLE_PATTERN = /^[a-z0-9][a-z0-9_-]{1,31}$/;

export const RESERVED_HANDLES: ReadonlySet<string> = new Set([
  'admin',
  'administrator',
  'root',
  'system',
  'support',
  'help',
  'security',
  'abuse',
  'postmaster',
  'hostmaster',
  'webmaster',
  'api',
  'www',
  'kez',
  'server',
  'null',
  'undefined',
  'everyone',
]);

/** `ed25519:` followed by 64 lowercase hex digits. */
export const PRIMARY_PATTERN = /^ed25519:[0-9a-f]{64}$/;
/** A BIP340 x-only public key: 64 lowercase hex digits. */
export const ADDR_PATTERN = /^[0-9a-f]{64}$/;
/** An ed25519 or BIP340 signature: 128 lowercase hex digits. */
export const SIGNATURE_PATTERN = /^[0-9a-f]{128}$/;

/** NATS subject prefix for live fanout: `kez.chat.inbox.<handle>`. */
export const INBOX_SUBJECT_PREFIX = 'kez.chat.inbox.';

/** Nostr event kinds used by KEZ chat. */
export const NOSTR_KIND_DM = 4243;
export const NOSTR_KIND_ACK = 4244;
