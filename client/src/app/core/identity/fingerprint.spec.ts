import { deriveIdentity, generateSeed } from '@kez/crypto';

import { keyFingerprint } from './fingerprint';

describe('keyFingerprint', () => {
  it('is eight groups of five digits, the same for the same key', () => {
    const { edPublic } = deriveIdentity(generateSeed());
    const fingerprint = keyFingerprint(edPublic);
    expect(fingerprint).toMatch(/^\d{5}( \d{5}){7}$/);
    expect(keyFingerprint(edPublic.slice())).toBe(fingerprint);
  });

  it('differs for another key', () => {
    expect(keyFingerprint(deriveIdentity(generateSeed()).edPublic)).not.toBe(keyFingerprint(deriveIdentity(generateSeed()).edPublic));
  });

  it('is fixed for a known key (changing it would make people compare different numbers)', () => {
    // Computed apart with Node's own SHA-256: sha256("kez-chat fingerprint v1" ‖ 32 zero bytes).
    expect(keyFingerprint(new Uint8Array(32))).toBe('73858 35839 01825 10620 76665 53583 80747 76658');
  });

  it('refuses anything but a 32-byte key', () => {
    expect(() => keyFingerprint(new Uint8Array(33))).toThrow(RangeError);
  });
});
