import { readVector, type WycheproofFile, type WycheproofResult } from '../test-vectors/load';
import { aesGcmOpen, aesGcmSeal } from './aes-gcm';
import { bytesToHex, concatBytes, hexToBytes } from './encoding';

interface AeadGroup {
  ivSize: number;
  keySize: number;
  tagSize: number;
  tests: { tcId: number; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: WycheproofResult }[];
}

const wycheproof = readVector<WycheproofFile<AeadGroup>>('standard/aes_gcm_test.json');
const cases = wycheproof.testGroups.flatMap((group) => group.tests.map((test) => ({ ...test, group })));
const used = cases.filter(({ group }) => group.ivSize === 96 && group.tagSize === 128 && (group.keySize === 128 || group.keySize === 256));
const otherIv = cases.filter(({ group }) => group.ivSize !== 96);

describe(aesGcmSeal.name, () => {
  it('covers the cases the envelopes rely on', () => {
    expect(wycheproof.numberOfTests).toBe(316);
    expect(used.filter(({ group }) => group.keySize === 128).length).toBeGreaterThan(60);
    expect(used.filter(({ group }) => group.keySize === 256).length).toBeGreaterThan(60);
  });

  describe('Wycheproof, 96-bit IV, 128-bit tag, AES-128 and AES-256', () => {
    it.each(used.map((test) => [test.tcId, test.group.keySize, test.result, test] as const))('tcId %i (AES-%i): %s', (_, __, result, test) => {
      const key = hexToBytes(test.key);
      const iv = hexToBytes(test.iv);
      const aad = hexToBytes(test.aad);
      const sealed = concatBytes(hexToBytes(test.ct), hexToBytes(test.tag));
      if (result === 'valid') {
        expect(bytesToHex(aesGcmSeal(key, iv, hexToBytes(test.msg), aad))).toBe(bytesToHex(sealed));
        expect(bytesToHex(aesGcmOpen(key, iv, sealed, aad))).toBe(test.msg);
      } else {
        // Invalid cases are forged or truncated ciphertexts/tags: they must not open.
        expect(() => aesGcmOpen(key, iv, sealed, aad)).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
      }
    });
  });

  it(`refuses every other IV size in the Wycheproof file (${otherIv.length} cases)`, () => {
    expect(otherIv.length).toBeGreaterThan(0);
    for (const test of otherIv) {
      const key = hexToBytes(test.key);
      const iv = hexToBytes(test.iv);
      const sealed = concatBytes(hexToBytes(test.ct), hexToBytes(test.tag));
      expect(() => aesGcmOpen(key, iv, sealed, hexToBytes(test.aad))).toThrow(expect.objectContaining({ code: 'invalid_nonce' }));
      expect(() => aesGcmSeal(key, iv, hexToBytes(test.msg))).toThrow(expect.objectContaining({ code: 'invalid_nonce' }));
    }
  });

  it('refuses AES-192 and other key sizes, which no envelope uses', () => {
    expect(() => aesGcmSeal(new Uint8Array(24), new Uint8Array(12), new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'invalid_key' }));
    expect(() => aesGcmSeal(new Uint8Array(15), new Uint8Array(12), new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'invalid_key' }));
  });
});

describe(aesGcmOpen.name, () => {
  it('refuses input shorter than a tag and any flipped bit', () => {
    const key = new Uint8Array(16).fill(7);
    const iv = new Uint8Array(12).fill(1);
    expect(() => aesGcmOpen(key, iv, new Uint8Array(15))).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
    const sealed = aesGcmSeal(key, iv, new Uint8Array([1, 2, 3]), new Uint8Array([9]));
    for (let i = 0; i < sealed.length; i++) {
      const tampered = sealed.slice();
      tampered[i]! ^= 0x01;
      expect(() => aesGcmOpen(key, iv, tampered, new Uint8Array([9]))).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
    }
    expect(() => aesGcmOpen(key, iv, sealed, new Uint8Array([8]))).toThrow(expect.objectContaining({ code: 'decrypt_failed' }));
  });
});
