import { AUTH_SKEW_SECONDS, HANDLE_PATTERN } from '@kez/protocol';

import { utf8 } from './encoding';
import { CryptoError } from './errors';
import { primaryToPublicKey } from './keys';
import { signEd25519, verifyEd25519 } from './signing';
import { nowSeconds } from './time';

// `X-KEZ-Auth: <ts>:<sig>` (contract section 2). Each request kind signs its own
// canonical string whose first two lines (method, path) differ from every other
// kind's, so a signature made for one row can never verify for another.

// The contract's handle rule is checked here too because the handle goes into the
// path line: a "handle" containing "/stream" would otherwise let a poll string equal
// a stream string.

function handleLine(handle: string): string {
  if (typeof handle !== 'string' || !HANDLE_PATTERN.test(handle)) {
    throw new CryptoError('malformed', 'not a canonical handle');
  }
  return handle;
}

// A newline inside a field would shift the line structure the rows rely on.
function field(value: string, name: string): string {
  if (typeof value !== 'string' || value.includes('\n')) {
    throw new CryptoError('malformed', `${name} must be a string without newlines`);
  }
  return value;
}

function tsLine(ts: number): string {
  if (!Number.isSafeInteger(ts) || ts < 0) {
    throw new CryptoError('malformed', 'ts is a non-negative integer of seconds');
  }
  return String(ts);
}

/** The canonical strings of the contract's table, one function per row. */
export const authString = {
  pollInbox(handle: string, since: string | undefined, ts: number): string {
    return ['GET', `/v1/inbox/${handleLine(handle)}`, `since=${field(since ?? '0', 'since')}`, tsLine(ts)].join('\n');
  },
  openStream(handle: string, since: string | undefined, ts: number): string {
    const lines = ['GET', `/v1/inbox/${handleLine(handle)}/stream`];
    if (since !== undefined) {
      lines.push(`since=${field(since, 'since')}`);
    }
    return [...lines, tsLine(ts)].join('\n');
  },
  pushSubscribe(handle: string, endpoint: string, ts: number): string {
    return ['POST', `/v1/push/subscribe/${handleLine(handle)}`, field(endpoint, 'endpoint'), tsLine(ts)].join('\n');
  },
  pushUnsubscribe(handle: string, endpoint: string, ts: number): string {
    return ['POST', `/v1/push/unsubscribe/${handleLine(handle)}`, field(endpoint, 'endpoint'), tsLine(ts)].join('\n');
  },
  pushCheck(handle: string, endpoint: string, ts: number): string {
    return ['GET', `/v1/push/subscriptions/${handleLine(handle)}`, field(endpoint, 'endpoint'), tsLine(ts)].join('\n');
  },
} as const;

/** A row of the table with everything but the timestamp filled in. */
export type AuthRow = (ts: number) => string;

/**
 * The header value for a row, e.g.
 * `signAuth((ts) => authString.pollInbox('alice', undefined, ts), identity.edSecret)`.
 * The row builds the string from the same `ts` that goes in front of the signature,
 * so the two can never disagree.
 */
export function signAuth(row: AuthRow, edSecret: Uint8Array, ts: number = nowSeconds()): string {
  return buildAuth(row(ts), edSecret, ts);
}

/**
 * `<ts>:<sig>` for an already built canonical string. Refuses a string whose last line
 * is not `ts`, which is the mistake this two-argument form invites.
 */
export function buildAuth(message: string, edSecret: Uint8Array, ts: number): string {
  if (!message.endsWith(`\n${tsLine(ts)}`)) {
    throw new CryptoError('malformed', 'the signed string must end with the same ts');
  }
  return `${ts}:${signEd25519(utf8(message), edSecret)}`;
}

// Decimal without leading zeros (so the ts the server re-inserts is the one signed),
// then exactly 128 lowercase hex digits.
const AUTH_PATTERN = /^(0|[1-9][0-9]{0,15}):([0-9a-f]{128})$/;

/** Strict parse of a header or query value; null for anything else. */
export function parseAuth(value: string | undefined | null): { ts: number; sig: string } | null {
  if (typeof value !== 'string') {
    return null;
  }
  const match = AUTH_PATTERN.exec(value);
  if (!match) {
    return null;
  }
  const ts = Number(match[1]);
  return Number.isSafeInteger(ts) ? { ts, sig: match[2]! } : null;
}

/** Strict ed25519 verification of a canonical string by a primary; never throws. */
export function verifyAuth(message: string, sigHex: string, primary: string): boolean {
  try {
    return verifyEd25519(utf8(message), sigHex, primaryToPublicKey(primary));
  } catch {
    return false;
  }
}

/** `|now − ts| ≤ skew`, all in seconds. Pure, so the clock stays with the caller. */
export function isFresh(ts: number, now: number, skewSeconds: number = AUTH_SKEW_SECONDS): boolean {
  return Number.isFinite(ts) && Number.isFinite(now) && Math.abs(now - ts) <= skewSeconds;
}

/** The verdict of checkAuth, named after the contract's error codes. */
export type AuthCheck = 'ok' | 'unauthorized' | 'stale_timestamp' | 'bad_signature';

/**
 * The whole server-side check in contract order: malformed or missing value →
 * `unauthorized`; outside the skew → `stale_timestamp`; signature → `bad_signature`.
 * `row` must already be built from validated request fields.
 */
export function checkAuth(
  value: string | undefined | null,
  row: AuthRow,
  primary: string,
  now: number = nowSeconds(),
  skewSeconds: number = AUTH_SKEW_SECONDS,
): AuthCheck {
  const parsed = parseAuth(value);
  if (!parsed) {
    return 'unauthorized';
  }
  if (!isFresh(parsed.ts, now, skewSeconds)) {
    return 'stale_timestamp';
  }
  let message: string;
  try {
    message = row(parsed.ts);
  } catch {
    return 'unauthorized';
  }
  return verifyAuth(message, parsed.sig, primary) ? 'ok' : 'bad_signature';
}
