import { MIN_PASSPHRASE_LENGTH, passphraseProblem } from './passphrase-rules';

describe(passphraseProblem.name, () => {
  it('accepts a long enough passphrase typed twice', () => {
    expect(passphraseProblem('river otter 42', 'river otter 42')).toBeNull();
  });

  it('wants at least the minimum length, counted in characters', () => {
    expect(MIN_PASSPHRASE_LENGTH).toBe(8);
    expect(passphraseProblem('short', 'short')).toBe('Use at least 8 characters.');
    // Seven emoji are fourteen UTF-16 units but still seven characters.
    expect(passphraseProblem('🦦'.repeat(7), '🦦'.repeat(7))).toBe('Use at least 8 characters.');
  });

  it('refuses blanks and a confirmation that differs', () => {
    expect(passphraseProblem('         ', '         ')).toMatch(/only spaces/);
    expect(passphraseProblem('river otter 42', 'river otter 43')).toBe('The two passphrases are not the same.');
  });
});
