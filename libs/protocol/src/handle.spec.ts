import { asciiLowerCase, trimAsciiSpace } from './ascii';
import { checkHandle, formatKez, splitKez } from './handle';

/** Every code point with the Unicode property, from a scan of the whole range (the engine's own tables). */
function codePointsWith(property: RegExp): number[] {
  const found: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp < 0xd800 || cp > 0xdfff) {
      if (property.test(String.fromCodePoint(cp))) {
        found.push(cp);
      }
    }
  }
  return found;
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

describe(checkHandle.name, () => {
  it.each([
    ['alice', 'alice'],
    ['  Bob ', 'bob'],
    ['\tBob\t', 'bob'],
    ['a1', 'a1'],
    ['9lives', '9lives'],
    ['x_y-z', 'x_y-z'],
    ['a'.repeat(32), 'a'.repeat(32)],
  ])('accepts %j as %j', (input, handle) => {
    expect(checkHandle(input)).toEqual({ ok: true, handle });
  });

  it.each(['', 'a', '_a', '-a', 'a'.repeat(33), 'a b', 'a.b', 'ålice', 'ALİCE', 'a\u0000b', '\nkate', 'kate\r'])('refuses %j as invalid', (input) => {
    expect(checkHandle(input)).toEqual({ ok: false, code: 'invalid_handle' });
  });

  it.each(['admin', 'Administrator', 'root', 'everyone', 'null', 'undefined', 'kez', ' WWW '])('refuses %j as reserved', (input) => {
    expect(checkHandle(input)).toEqual({ ok: false, code: 'reserved_handle' });
  });

  // Only ASCII space and tab are trimmed; every other White_Space or format (Cf) character, around or inside, is refused.
  const spaces = codePointsWith(/\p{White_Space}/u).filter((cp) => cp !== 0x20 && cp !== 0x09);
  const formats = codePointsWith(/\p{Cf}/u);

  it('knows the Unicode tables it tests against', () => {
    expect(spaces.map(hex)).toEqual(expect.arrayContaining(['U+00A0', 'U+1680', 'U+2028', 'U+3000', 'U+000A', 'U+0085']));
    expect(formats.map(hex)).toEqual(expect.arrayContaining(['U+FEFF', 'U+200B', 'U+200D', 'U+00AD', 'U+E0001']));
  });

  it('refuses every White_Space and Cf code point before, after and inside a handle', () => {
    const accepted: string[] = [];
    for (const cp of [...spaces, ...formats]) {
      const c = String.fromCodePoint(cp);
      for (const input of [`${c}kate`, `kate${c}`, `ka${c}te`, ` ${c}kate `, `KATE${c}`]) {
        if (checkHandle(input).ok) {
          accepted.push(`${hex(cp)} in ${JSON.stringify(input)}`);
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it.each([
    ['Cyrillic а', '\u0430lice'],
    ['Kelvin sign', '\u212Aate'],
    ['full-width letters', 'ｋａｔｅ'],
    ['dotless i', 'al\u0131ce'],
    ['long s', '\u017Fam'],
    ['combining accent', 'kate\u0301'],
  ])('refuses a confusable (%s) instead of folding it', (_name, input) => {
    expect(checkHandle(input)).toEqual({ ok: false, code: 'invalid_handle' });
  });
});

describe(splitKez.name, () => {
  it('splits handle@server and lower-cases the server', () => {
    expect(splitKez('alice@Chat.Example')).toEqual({ handle: 'alice', server: 'chat.example' });
    expect(splitKez('alice')).toEqual({ handle: 'alice' });
    expect(formatKez('alice', 'chat.example')).toBe('alice@chat.example');
  });

  it('trims ASCII space only and never folds a non-ASCII server name into this one', () => {
    expect(splitKez(' alice@chat.example\t')).toEqual({ handle: 'alice', server: 'chat.example' });
    expect(splitKez('\u00A0alice@chat.example')).toEqual({ handle: '\u00A0alice', server: 'chat.example' });
    expect(splitKez('alice@\u212Aez.example').server).toBe('\u212Aez.example');
  });
});

describe(trimAsciiSpace.name, () => {
  it('strips space and tab only', () => {
    expect(trimAsciiSpace(' \t a b \t ')).toBe('a b');
    expect(trimAsciiSpace('\u00A0a\u3000')).toBe('\u00A0a\u3000');
    expect(trimAsciiSpace('\na\r')).toBe('\na\r');
  });
});

describe(asciiLowerCase.name, () => {
  it('lower-cases A–Z and nothing else', () => {
    expect(asciiLowerCase('AbC-Z')).toBe('abc-z');
    expect(asciiLowerCase('\u212A\u0130Ｋ')).toBe('\u212A\u0130Ｋ');
  });
});
