/** Short enough to type on a phone, long enough that scrypt makes guessing slow. */
export const MIN_PASSPHRASE_LENGTH = 8;

/** What is wrong with a new passphrase and its confirmation, or null when nothing is. */
export function passphraseProblem(passphrase: string, confirmation: string): string | null {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    return `Use at least ${MIN_PASSPHRASE_LENGTH} characters.`;
  }
  if (passphrase.trim().length === 0) {
    return 'A passphrase of only spaces is too easy to guess.';
  }
  if (passphrase !== confirmation) {
    return 'The two passphrases are not the same.';
  }
  return null;
}
