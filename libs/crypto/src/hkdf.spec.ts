import { readVector, type WycheproofFile, type WycheproofResult } from '../test-vectors/load';
import { bytesToHex, hexToBytes, utf8 } from './encoding';
import { CryptoError } from './errors';
import { hkdfExpand, hkdfExtract, hkdfSha256 } from './hkdf';

interface HkdfGroup {
  tests: { tcId: number; ikm: string; salt: string; info: string; size: number; okm: string; result: WycheproofResult }[];
}

const wycheproof = readVector<WycheproofFile<HkdfGroup>>('standard/hkdf_sha256_test.json');
const cases = wycheproof.testGroups.flatMap((group) => group.tests);

describe(hkdfSha256.name, () => {
  it('has all 86 Wycheproof cases', () => {
    expect(cases).toHaveLength(86);
  });

  it.each(cases.map((test) => [test.tcId, test.result, test] as const))('Wycheproof tcId %i: %s', (_, result, test) => {
    const run = () => hkdfSha256(hexToBytes(test.ikm), hexToBytes(test.salt), hexToBytes(test.info), test.size);
    if (result === 'valid') {
      expect(bytesToHex(run())).toBe(test.okm);
    } else {
      // The invalid cases ask for more than 255 * 32 bytes.
      expect(run).toThrow(CryptoError);
      expect(run).toThrow(expect.objectContaining({ code: 'invalid_length' }));
    }
  });
});

describe(hkdfExpand.name, () => {
  it('is the second half of hkdfSha256', () => {
    const prk = hkdfExtract(utf8('salt'), utf8('ikm'));
    expect(hkdfExpand(prk, utf8('info'), 42)).toEqual(hkdfSha256(utf8('ikm'), utf8('salt'), utf8('info'), 42));
    expect(hkdfExpand(prk, utf8('info'), 0)).toEqual(new Uint8Array(0));
    expect(() => hkdfExpand(prk, utf8('info'), -1)).toThrow(CryptoError);
  });
});
