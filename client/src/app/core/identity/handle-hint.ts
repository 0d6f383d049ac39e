import { checkHandle, HANDLE_MAX_LENGTH, HANDLE_MIN_LENGTH } from '@kez/protocol';

export type HandleHint = { readonly ok: true; readonly handle: string } | { readonly ok: false; readonly message: string | null };

/** How a character a handle cannot hold is named: lookalikes (Cyrillic “а”, full-width “ａ”) get their code point. */
function describe(character: string): string {
  if (/\s/.test(character)) {
    return 'spaces';
  }
  const code = character.codePointAt(0)!;
  return code > 0x7f ? `“${character}” (U+${code.toString(16).toUpperCase().padStart(4, '0')})` : `“${character}”`;
}

/**
 * What to say about a handle while it is being typed: the contract's rule (checkHandle)
 * broken down into the one thing to fix, most basic first: characters a handle cannot
 * hold (named, since “а” and “a” look alike), then length, then the first character.
 * `message` is null for an empty field, which is not an error yet.
 */
export function handleHint(input: string): HandleHint {
  const check = checkHandle(input);
  if (check.ok) {
    return check;
  }
  const typed = input.trim().replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  if (typed === '') {
    return { ok: false, message: null };
  }
  if (check.code === 'reserved_handle') {
    return { ok: false, message: `“${typed}” is reserved. Please pick another handle.` };
  }
  const refused = [...new Set([...typed].filter((character) => !/[a-z0-9_-]/.test(character)).map(describe))];
  if (refused.length > 0) {
    return { ok: false, message: `Not allowed: ${refused.join(', ')}. Use only a–z, 0–9, “_” and “-” (no accents, other alphabets or symbols).` };
  }
  if (typed.length < HANDLE_MIN_LENGTH) {
    return { ok: false, message: `Use at least ${HANDLE_MIN_LENGTH} characters.` };
  }
  if (typed.length > HANDLE_MAX_LENGTH) {
    return { ok: false, message: `Use at most ${HANDLE_MAX_LENGTH} characters.` };
  }
  return { ok: false, message: 'Start with a letter a–z or a digit (not “_” or “-”).' };
}
