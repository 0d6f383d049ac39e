import { asciiLowerCase, trimAsciiSpace } from './ascii';
import { HANDLE_PATTERN, RESERVED_HANDLES } from './constants';

export type HandleCheck = { ok: true; handle: string } | { ok: false; code: 'invalid_handle' | 'reserved_handle' };

/** What a handle may hold as typed, before lower-casing: ASCII letters, digits, `_` and `-`. */
const HANDLE_CHARACTERS = /^[A-Za-z0-9_-]*$/;

/**
 * A handle as typed, canonicalised and checked against the contract's rules (§1):
 * ASCII space and tab are trimmed from both ends; any other character outside
 * `[A-Za-z0-9_-]` — every other Unicode space, format character (U+FEFF, U+200B),
 * line separator or look-alike letter (Cyrillic `а`, the Kelvin sign, full-width
 * letters) — is `invalid_handle`, never folded, so no two spellings name one account.
 * Then `A`–`Z` are lower-cased and the length, first character and reserved list apply.
 */
export function checkHandle(input: string): HandleCheck {
  const trimmed = trimAsciiSpace(input);
  if (!HANDLE_CHARACTERS.test(trimmed)) {
    return { ok: false, code: 'invalid_handle' };
  }
  const handle = asciiLowerCase(trimmed);
  if (!HANDLE_PATTERN.test(handle)) {
    return { ok: false, code: 'invalid_handle' };
  }
  if (RESERVED_HANDLES.has(handle)) {
    return { ok: false, code: 'reserved_handle' };
  }
  return { ok: true, handle };
}

/**
 * Splits `handle@server` (server part optional) after trimming ASCII space and tab;
 * the server part is lower-cased in ASCII only, so a non-ASCII look-alike of this
 * server's name never matches it. The handle part is returned as written, for checkHandle.
 */
export function splitKez(input: string): { handle: string; server?: string } {
  const trimmed = trimAsciiSpace(input);
  const at = trimmed.lastIndexOf('@');
  if (at < 0) {
    return { handle: trimmed };
  }
  return { handle: trimmed.slice(0, at), server: asciiLowerCase(trimmed.slice(at + 1)) };
}

/** Writes a user's KEZ: `handle@server`. */
export function formatKez(handle: string, server: string): string {
  return `${handle}@${server}`;
}
