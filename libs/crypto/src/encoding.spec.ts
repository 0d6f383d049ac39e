import { bytesToHex, concatBytes, equalBytes, hexToBytes, i2osp, isHex, utf8, utf8Decode } from './encoding';
import { CryptoError } from './errors';

describe(hexToBytes.name, () => {
  it('round-trips with bytesToHex', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(hexToBytes(bytesToHex(bytes))).toEqual(bytes);
    expect(bytesToHex(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('0001abff');
  });

  it.each(['ABCD', 'abc', 'zz', ' ab', 'ab ', '0x00', 'aB'])('refuses %j', (input) => {
    expect(() => hexToBytes(input)).toThrow(CryptoError);
  });

  it('checks the expected length when given', () => {
    expect(hexToBytes('abcd', 2)).toEqual(new Uint8Array([0xab, 0xcd]));
    expect(() => hexToBytes('abcd', 3)).toThrow(expect.objectContaining({ code: 'invalid_hex' }));
  });

  it('refuses non-strings', () => {
    expect(() => hexToBytes(42 as unknown as string)).toThrow(CryptoError);
  });
});

describe(isHex.name, () => {
  it('checks spelling and length together', () => {
    expect(isHex('00'.repeat(32), 32)).toBe(true);
    expect(isHex('00'.repeat(31), 32)).toBe(false);
    expect(isHex('AA'.repeat(32), 32)).toBe(false);
    expect(isHex(null, 32)).toBe(false);
  });
});

describe(utf8.name, () => {
  it('encodes and strictly decodes UTF-8', () => {
    expect(bytesToHex(utf8('é€😀'))).toBe('c3a9e282acf09f9880');
    expect(utf8Decode(utf8('é€😀'))).toBe('é€😀');
    expect(() => utf8Decode(new Uint8Array([0xc3]))).toThrow(expect.objectContaining({ code: 'malformed' }));
  });
});

describe(i2osp.name, () => {
  it('writes big-endian integers and refuses what does not fit', () => {
    expect(bytesToHex(i2osp(0x0020, 2))).toBe('0020');
    expect(bytesToHex(i2osp(1, 12))).toBe('000000000000000000000001');
    expect(bytesToHex(i2osp(2 ** 40 + 5, 12))).toBe('000000000000010000000005');
    expect(() => i2osp(256, 1)).toThrow(CryptoError);
    expect(() => i2osp(-1, 4)).toThrow(CryptoError);
  });
});

describe(equalBytes.name, () => {
  it('compares contents and lengths', () => {
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(equalBytes(new Uint8Array([1]), new Uint8Array([1, 2]))).toBe(false);
    expect(concatBytes(new Uint8Array([1]), new Uint8Array([]), new Uint8Array([2, 3]))).toEqual(new Uint8Array([1, 2, 3]));
  });
});
