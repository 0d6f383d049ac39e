import { HANDLE_PATTERN, RESERVED_HANDLES } from './constants';

export type HandleCheck =
  | { ok: true; handle: string }
  | { ok: false; code: 'invalid_handle' | 'reserved_handle' };

/**
 * Trims and lower-cases (ASCII only) a handle as typed, then applies the contract's
 * rules. Non-ASCII input is refused rather than folded, so that no two spellings
 * can ever name the same account.
 */
export function checkHandle(input: string): HandleCheck {
  const trimmed = input.trim();
  if (!/^[\x00-\x7f]*$/.test(trimmed)) {
    return { ok: false, code: 'invalid_handle' };
  }
  const handle = trimmed.toLowerCase();
  if (!HANDLE_PATTERN.test(handle)) {
    return { ok: false, code: 'invalid_handle' };
  }
  if (RESERVED_HANDLES.has(handle)) {
    return { ok: false, code: 'reserved_handle' };
  }
  return { ok: true, handle };
}

/** Splits `handle@server` (server part optional); the server part is lower-cased. */
export function splitKez(input: string): { handle: string; server?: string } {
  const trimmed = input.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) {
    return { handle: trimmed };
  }
  return { handle: trimmed.slice(0, at), server: trimmed.slice(at + 1).toLowerCase() };
}

/** Writes a user's KEZ: `handle@server`. */
export function formatKez(handle: string, server: string): string {
  return `${handle}@${server}`;
}
