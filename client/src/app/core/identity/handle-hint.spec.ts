import { handleHint } from './handle-hint';

describe(handleHint.name, () => {
  it('accepts a valid handle, canonicalised', () => {
    expect(handleHint('  Alice_1 ')).toEqual({ ok: true, handle: 'alice_1' });
  });

  it.each([
    ['', null],
    ['   ', null],
    ['a', 'Use at least 2 characters.'],
    ['a'.repeat(33), 'Use at most 32 characters.'],
    ['_alice', 'Start with a letter or a digit.'],
    ['al ice', 'Use only letters a–z, digits, “_” and “-” (no spaces or accents).'],
    ['zoë', 'Use only letters a–z, digits, “_” and “-” (no spaces or accents).'],
    ['Admin', '“admin” is reserved. Please pick another handle.'],
  ])('explains %p', (input, message) => {
    expect(handleHint(input)).toEqual({ ok: false, message });
  });
});
