import { base64urlDecode, base64urlEncode } from './base64url';
import { utf8 } from './encoding';

describe(base64urlEncode.name, () => {
  // RFC 4648 section 10, without padding.
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes %j as %j and back', (text, encoded) => {
    expect(base64urlEncode(utf8(text))).toBe(encoded);
    expect(base64urlDecode(encoded)).toEqual(utf8(text));
  });

  it('uses the URL alphabet', () => {
    expect(base64urlEncode(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
  });

  it('round-trips every length and byte value', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      expect(base64urlDecode(base64urlEncode(bytes))).toEqual(bytes);
    }
  });
});

describe(base64urlDecode.name, () => {
  it.each([
    ['padding', 'Zg=='],
    ['standard alphabet', '+/+/'],
    ['whitespace', 'Zm9v YmFy'],
    ['impossible length', 'Zm9vY'],
    ['non-zero leftover bits', 'Zh'],
    ['non-ASCII', 'Zm9vé'],
  ])('refuses %s', (_, input) => {
    expect(() => base64urlDecode(input)).toThrow(expect.objectContaining({ code: 'invalid_base64' }));
  });
});
