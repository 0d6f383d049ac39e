import { ed25519 } from '@noble/curves/ed25519.js';

import { bytesToHex } from './encoding';
import { CryptoError } from './errors';
import { addrToPublicKey, isValidAddr, isValidPrimary, primaryToPublicKey, primaryToX25519, publicKeyToPrimary } from './keys';

// RFC 8032 section 7.1 test 1 public key.
const PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
/** An order-8 ed25519 point (canonical encoding). */
const ORDER_8 = 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a';

describe(primaryToPublicKey.name, () => {
  it('parses a primary', () => {
    expect(bytesToHex(primaryToPublicKey(`ed25519:${PUBLIC}`))).toBe(PUBLIC);
    expect(publicKeyToPrimary(primaryToPublicKey(`ed25519:${PUBLIC}`))).toBe(`ed25519:${PUBLIC}`);
  });

  it.each([
    ['uppercase hex', `ed25519:${PUBLIC.toUpperCase()}`],
    ['no prefix', PUBLIC],
    ['another prefix', `x25519:${PUBLIC}`],
    ['short', `ed25519:${PUBLIC.slice(2)}`],
    ['trailing newline', `ed25519:${PUBLIC}\n`],
    ['not on the curve', `ed25519:02${'00'.repeat(31)}`],
    ['non-canonical y (p + 1)', `ed25519:ee${'ff'.repeat(30)}7f`],
  ])('refuses %s with invalid_key', (_, primary) => {
    expect(() => primaryToPublicKey(primary)).toThrow(expect.objectContaining({ code: 'invalid_key' }));
    expect(isValidPrimary(primary)).toBe(false);
  });

  it.each([
    ['the identity', `01${'00'.repeat(31)}`],
    ['the order-2 point', `ec${'ff'.repeat(30)}7f`],
    ['an order-4 point', '00'.repeat(32)],
    ['an order-8 point', ORDER_8],
  ])('refuses %s with low_order_key', (_, hex) => {
    expect(() => primaryToPublicKey(`ed25519:${hex}`)).toThrow(expect.objectContaining({ code: 'low_order_key' }));
    expect(isValidPrimary(`ed25519:${hex}`)).toBe(false);
  });

  it('refuses a key with a torsion component', () => {
    const mixed = ed25519.Point.fromBytes(primaryToPublicKey(`ed25519:${PUBLIC}`)).add(ed25519.Point.fromHex(ORDER_8));
    expect(() => primaryToPublicKey(`ed25519:${mixed.toHex()}`)).toThrow(expect.objectContaining({ code: 'invalid_key' }));
  });

  it('hands out copies, so a caller cannot corrupt a remembered key', () => {
    const first = primaryToPublicKey(`ed25519:${PUBLIC}`);
    first.fill(0);
    expect(bytesToHex(primaryToPublicKey(`ed25519:${PUBLIC}`))).toBe(PUBLIC);
  });

  it('refuses non-strings without a TypeError', () => {
    expect(() => primaryToPublicKey(undefined as unknown as string)).toThrow(CryptoError);
    expect(isValidPrimary(null)).toBe(false);
  });
});

describe(primaryToX25519.name, () => {
  it('is the Montgomery form of the key', () => {
    const seed = new Uint8Array(32).fill(9);
    const primary = publicKeyToPrimary(ed25519.getPublicKey(seed));
    expect(bytesToHex(primaryToX25519(primary))).toBe(bytesToHex(ed25519.utils.toMontgomery(ed25519.getPublicKey(seed))));
  });
});

describe(isValidAddr.name, () => {
  it('accepts x-only keys from BIP340', () => {
    expect(isValidAddr('f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9')).toBe(true);
    expect(isValidAddr('dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659')).toBe(true);
    expect(bytesToHex(addrToPublicKey('dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659'))).toBe(
      'dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659',
    );
  });

  it.each([
    ['uppercase', 'DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659'],
    ['short', 'dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba6'],
    ['BIP340 vector 5: not on the curve', 'eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34'],
    ['BIP340 vector 14: x ≥ p', 'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30'],
    ['zero', '00'.repeat(32)],
    ['not a string', 42],
  ])('refuses %s', (_, addr) => {
    expect(isValidAddr(addr)).toBe(false);
  });
});
