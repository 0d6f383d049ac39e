import { readVector, type WycheproofFile, type WycheproofResult } from '../test-vectors/load';
import { bytesToHex, hexToBytes } from './encoding';
import { CryptoError } from './errors';
import { x25519PublicKey, x25519SharedSecret } from './x25519';

interface XdhGroup {
  curve: string;
  tests: { tcId: number; comment: string; flags: string[]; public: string; private: string; shared: string; result: WycheproofResult }[];
}

const wycheproof = readVector<WycheproofFile<XdhGroup>>('standard/x25519_test.json');
const cases = wycheproof.testGroups.flatMap((group) => group.tests);

describe(x25519SharedSecret.name, () => {
  it('has all 518 Wycheproof cases', () => {
    expect(cases).toHaveLength(518);
  });

  it.each(cases.map((test) => [test.tcId, test.result, test.comment, test] as const))('Wycheproof tcId %i (%s): %s', (_, result, __, test) => {
    const run = () => bytesToHex(x25519SharedSecret(hexToBytes(test.private), hexToBytes(test.public)));
    if (result === 'valid') {
      expect(run()).toBe(test.shared);
      return;
    }
    if (result === 'invalid') {
      expect(run).toThrow(CryptoError);
      return;
    }
    // acceptable: the same secret, or our typed refusal; never an all-zero key.
    let shared: string | undefined;
    try {
      shared = run();
    } catch (error) {
      expect(error).toBeInstanceOf(CryptoError);
      expect((error as CryptoError).code).toBe('low_order_key');
    }
    if (shared !== undefined) {
      expect(shared).toBe(test.shared);
      expect(shared).not.toBe('00'.repeat(32));
    }
  });

  it('refuses every case whose expected secret is all zeros', () => {
    const zero = cases.filter((test) => test.shared === '00'.repeat(32));
    expect(zero.length).toBeGreaterThan(0);
    for (const test of zero) {
      expect(() => x25519SharedSecret(hexToBytes(test.private), hexToBytes(test.public))).toThrow(expect.objectContaining({ code: 'low_order_key' }));
    }
  });

  it('refuses keys of the wrong length', () => {
    expect(() => x25519SharedSecret(new Uint8Array(31), new Uint8Array(32).fill(9))).toThrow(expect.objectContaining({ code: 'invalid_key' }));
    expect(() => x25519PublicKey(new Uint8Array(33))).toThrow(expect.objectContaining({ code: 'invalid_key' }));
  });
});

describe(x25519PublicKey.name, () => {
  it('matches RFC 7748 section 6.1', () => {
    const alice = hexToBytes('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    expect(bytesToHex(x25519PublicKey(alice))).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  });
});
