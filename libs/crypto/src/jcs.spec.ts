import { readVectorText } from '../test-vectors/load';
import { bytesToHex } from './encoding';
import { CryptoError } from './errors';
import { canonicalBytes, canonicalize } from './jcs';

describe(canonicalize.name, () => {
  describe('RFC 8785 test data (cyberphone/json-canonicalization)', () => {
    it.each(['arrays', 'french', 'structures', 'unicode', 'values', 'weird'])('%s.in.json gives %s.out.json', (name) => {
      const input: unknown = JSON.parse(readVectorText(`standard/jcs/${name}.in.json`));
      const expected = readVectorText(`standard/jcs/${name}.out.json`);
      expect(canonicalize(input)).toBe(expected);
      expect(new TextDecoder().decode(canonicalBytes(input))).toBe(expected);
    });
  });

  it('serializes numbers as ECMAScript does (RFC 8785 appendix B samples)', () => {
    const samples: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1e21, '1e+21'],
      [1e-7, '1e-7'],
      [123456789012345680000, '123456789012345680000'],
      [4.5, '4.5'],
      [0.000001, '0.000001'],
      [Number.MAX_SAFE_INTEGER, '9007199254740991'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [333333333.3333333, '333333333.3333333'],
    ];
    for (const [value, text] of samples) {
      expect(canonicalize(value)).toBe(text);
    }
  });

  it('sorts keys by UTF-16 code units, not code points', () => {
    // By code points U+FB33 comes before U+1F600; by UTF-16 units U+1F600 (0xD83D 0xDE00)
    // comes first, and that is the order RFC 8785 section 3.2.3 asks for.
    expect(canonicalize({ '\ufb33': 1, '\u{1f600}': 2, a: 3, A: 4, '': 5 })).toBe('{"":5,"A":4,"a":3,"\u{1f600}":2,"\ufb33":1}');
  });

  it('escapes strings the RFC 8785 way', () => {
    expect(canonicalize('\u0000\u001f"\\/\b\f\n\r\t\u007f\u2028é')).toBe('"\\u0000\\u001f\\"\\\\/\\b\\f\\n\\r\\t\u007f\u2028é"');
    expect(bytesToHex(canonicalBytes('€'))).toBe('22e282ac22');
  });

  it('ignores insertion order and nests', () => {
    expect(canonicalize({ b: [1, { d: null, c: true }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":true,"d":null}]}');
    expect(canonicalize(Object.create(null) as object)).toBe('{}');
  });

  it.each([
    ['undefined', undefined],
    ['an undefined member', { a: undefined }],
    ['a function', () => 1],
    ['a symbol', Symbol('x')],
    ['a bigint', BigInt(1)],
    ['NaN', Number.NaN],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['a typed array', new Uint8Array(2)],
    ['an array hole', [1, , 3]],
    ['a lone high surrogate', 'a\ud800'],
    ['a lone low surrogate in a key', { '\udc00': 1 }],
  ])('refuses %s', (_, value) => {
    expect(() => canonicalize(value)).toThrow(CryptoError);
    expect(() => canonicalize(value)).toThrow(expect.objectContaining({ code: 'invalid_json' }));
  });

  it('refuses cycles and absurd nesting instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(expect.objectContaining({ code: 'invalid_json' }));
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) {
      deep = [deep];
    }
    expect(() => canonicalize(deep)).toThrow(expect.objectContaining({ code: 'invalid_json' }));
  });
});
