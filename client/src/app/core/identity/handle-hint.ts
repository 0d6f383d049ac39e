import { checkHandle, HANDLE_MAX_LENGTH, HANDLE_MIN_LENGTH } from '@kez/protocol';

export type HandleHint =
  | { readonly ok: true; readonly handle: string }
  | { readonly ok: false; readonly message: string | null };

/**
 * What to say about a handle while it is being typed: the contract's rule (checkHandle)
 * broken down into the one thing to fix. `message` is null for an empty field, which
 * is not an error yet.
 */
export function handleHint(input: string): HandleHint {
  const check = checkHandle(input);
  if (check.ok) {
    return check;
  }
  const typed = input.trim().toLowerCase();
  if (typed === '') {
    return { ok: false, message: null };
  }
  if (check.code === 'reserved_handle') {
    return { ok: false, message: `“${typed}” is reserved. Please pick another handle.` };
  }
  if (typed.length < HANDLE_MIN_LENGTH) {
    return { ok: false, message: `Use at least ${HANDLE_MIN_LENGTH} characters.` };
  }
  if (typed.length > HANDLE_MAX_LENGTH) {
    return { ok: false, message: `Use at most ${HANDLE_MAX_LENGTH} characters.` };
  }
  if (!/^[a-z0-9]/.test(typed)) {
    return { ok: false, message: 'Start with a letter or a digit.' };
  }
  return { ok: false, message: 'Use only letters a–z, digits, “_” and “-” (no spaces or accents).' };
}
