/**
 * ASCII-only text folding for identifiers on the wire (handles, server names).
 * JavaScript's `trim()` and `toLowerCase()` follow Unicode: they strip U+00A0,
 * U+FEFF, U+3000 … and turn the Kelvin sign into `k`, so two different byte
 * strings would name the same account. These never touch a non-ASCII character.
 */

/** Strips ASCII space (U+0020) and tab (U+0009) from both ends, nothing else (docs/protocol.md §1). */
export function trimAsciiSpace(input: string): string {
  return input.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** Lower-cases `A`–`Z` only; every other character is left as it is. */
export function asciiLowerCase(input: string): string {
  return input.replace(/[A-Z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) + 32));
}
