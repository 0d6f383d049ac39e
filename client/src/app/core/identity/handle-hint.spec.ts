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
    ['_alice', 'Start with a letter a–z or a digit (not “_” or “-”).'],
    ['al ice', 'Not allowed: spaces. Use only a–z, 0–9, “_” and “-” (no accents, other alphabets or symbols).'],
    ['zoë', 'Not allowed: “ë” (U+00EB). Use only a–z, 0–9, “_” and “-” (no accents, other alphabets or symbols).'],
    ['ålice', 'Not allowed: “å” (U+00E5). Use only a–z, 0–9, “_” and “-” (no accents, other alphabets or symbols).'],
    ['\u0430lice', 'Not allowed: “\u0430” (U+0430). Use only a–z, 0–9, “_” and “-” (no accents, other alphabets or symbols).'],
    [
      'ａｌｉｃｅ',
      'Not allowed: “ａ” (U+FF41), “ｌ” (U+FF4C), “ｉ” (U+FF49), “ｃ” (U+FF43), “ｅ” (U+FF45). Use only a–z, 0–9, “_” and “-” (no accents, other alphabets or symbols).',
    ],
    ['bob!', 'Not allowed: “!”. Use only a–z, 0–9, “_” and “-” (no accents, other alphabets or symbols).'],
    ['b', 'Use at least 2 characters.'],
    ['-', 'Use at least 2 characters.'],
    ['Admin', '“admin” is reserved. Please pick another handle.'],
  ])('explains %p', (input, message) => {
    expect(handleHint(input)).toEqual({ ok: false, message });
  });
});
