import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';

import { readVector, type WycheproofFile, type WycheproofResult } from '../test-vectors/load';
import { bytesToHex, hexToBytes, utf8 } from './encoding';
import { canonicalBytes } from './jcs';
import { publicKeyToPrimary } from './keys';
import { signEd25519, signPayload, signPayloadSchnorr, signSchnorr, type SignedEnvelope, verifyEd25519, verifyEnvelope, verifySchnorr } from './signing';

interface EddsaGroup {
  publicKey: { pk: string };
  tests: { tcId: number; comment: string; msg: string; sig: string; result: WycheproofResult }[];
}

interface Bip340Vector {
  d: string;
  pk: string;
  m: string;
  sig: string;
  result: boolean;
  comment: string;
  aux: string;
}

const eddsa = readVector<WycheproofFile<EddsaGroup>>('standard/ed25519_test.json');
const eddsaCases = eddsa.testGroups.flatMap((group) => group.tests.map((test) => ({ ...test, pk: group.publicKey.pk })));
const bip340 = readVector<Bip340Vector[]>('standard/bip340.json');

describe(verifyEd25519.name, () => {
  it('has all 151 Wycheproof cases', () => {
    expect(eddsaCases).toHaveLength(151);
  });

  it.each(eddsaCases.map((test) => [test.tcId, test.result, test.comment, test] as const))('Wycheproof tcId %i is %s (%s)', (_, result, __, test) => {
    // Wycheproof spells some truncated or padded signatures; those are just "false" here.
    const sig = test.sig.toLowerCase();
    expect(verifyEd25519(hexToBytes(test.msg), sig, hexToBytes(test.pk))).toBe(result === 'valid');
  });

  it('refuses what ZIP-215 would accept: Wycheproof case 151 (non-canonical R)', () => {
    const lenient = eddsaCases.filter((test) => {
      try {
        return test.result === 'invalid' && ed25519.verify(hexToBytes(test.sig), hexToBytes(test.msg), hexToBytes(test.pk));
      } catch {
        return false;
      }
    });
    expect(lenient.map((test) => test.tcId)).toContain(151);
    for (const test of lenient) {
      expect(verifyEd25519(hexToBytes(test.msg), test.sig, hexToBytes(test.pk))).toBe(false);
    }
  });

  it('returns false, never throws, for malformed input', () => {
    const key = ed25519.getPublicKey(new Uint8Array(32).fill(1));
    const sig = signEd25519(utf8('m'), new Uint8Array(32).fill(1));
    expect(verifyEd25519(utf8('m'), sig, key)).toBe(true);
    expect(verifyEd25519(utf8('m'), sig.toUpperCase(), key)).toBe(false);
    expect(verifyEd25519(utf8('m'), sig.slice(2), key)).toBe(false);
    expect(verifyEd25519(utf8('m'), sig, key.subarray(1))).toBe(false);
    expect(verifyEd25519(utf8('m'), sig, new Uint8Array(32).fill(0xff))).toBe(false);
    expect(verifyEd25519(utf8('m'), 42 as unknown as string, key)).toBe(false);
  });
});

describe(verifySchnorr.name, () => {
  it.each(bip340.map((vector, index) => [index, vector.result, vector.comment || 'valid', vector] as const))(
    'BIP340 vector %i verifies as %s (%s)',
    (_, result, __, vector) => {
      expect(verifySchnorr(hexToBytes(vector.m.toLowerCase()), vector.sig.toLowerCase(), hexToBytes(vector.pk.toLowerCase()))).toBe(result);
    },
  );
});

describe(signSchnorr.name, () => {
  it.each(bip340.flatMap((vector, index) => (vector.d ? [[index, vector] as const] : [])))('BIP340 vector %i: signs with the given aux rand', (_, vector) => {
    const sig = signSchnorr(hexToBytes(vector.m.toLowerCase()), hexToBytes(vector.d.toLowerCase()), hexToBytes(vector.aux.toLowerCase()));
    expect(sig).toBe(vector.sig.toLowerCase());
  });
});

describe(signPayload.name, () => {
  const secret = hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
  const payload = { type: 'kez-chat/register/v1', handle: 'alice', created_at: 1764000000 };

  it('signs the JCS bytes with the RFC 8032 test 1 key and names the primary', () => {
    const signature = signPayload(payload, secret);
    expect(signature.alg).toBe('ed25519');
    expect(signature.key).toBe('ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(signature.sig).toMatch(/^[0-9a-f]{128}$/);
    expect(signature.sig).toBe(signEd25519(utf8('{"created_at":1764000000,"handle":"alice","type":"kez-chat/register/v1"}'), secret));
  });

  it('reproduces RFC 8032 section 7.1 test 1 for the empty message', () => {
    expect(signEd25519(new Uint8Array(0), secret)).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });
});

describe(verifyEnvelope.name, () => {
  const edSecret = new Uint8Array(32).fill(3);
  const nostrSecret = hexToBytes('b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef');
  const payload = { b: [1, 2, { c: 'é' }], a: null };

  it('verifies ed25519 and schnorr signatures', () => {
    expect(verifyEnvelope({ payload, signature: signPayload(payload, edSecret) })).toBe(true);
    const schnorr = signPayloadSchnorr(payload, nostrSecret);
    expect(schnorr).toMatchObject({ alg: 'schnorr', key: 'dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659' });
    expect(verifyEnvelope({ payload, signature: schnorr })).toBe(true);
  });

  it('schnorr signs SHA-256 of the JCS bytes as the BIP340 message', () => {
    const aux = new Uint8Array(32);
    const schnorr = signPayloadSchnorr(payload, nostrSecret, aux);
    expect(schnorr.sig).toBe(signSchnorr(sha256(canonicalBytes(payload)), nostrSecret, aux));
  });

  it('is independent of key order and whitespace on the wire', () => {
    const signed = { payload, signature: signPayload(payload, edSecret) };
    const reparsed = JSON.parse(JSON.stringify({ payload: { a: null, b: [1, 2, { c: 'é' }] }, signature: signed.signature }, null, 2)) as SignedEnvelope;
    expect(verifyEnvelope(reparsed)).toBe(true);
  });

  it('fails for a tampered payload, key or signature', () => {
    const ed = signPayload(payload, edSecret);
    const schnorr = signPayloadSchnorr(payload, nostrSecret);
    for (const signature of [ed, schnorr]) {
      expect(verifyEnvelope({ payload: { ...payload, a: 0 }, signature })).toBe(false);
      expect(verifyEnvelope({ payload: { ...payload, extra: true }, signature })).toBe(false);
      const flipped = (signature.sig[0] === '0' ? '1' : '0') + signature.sig.slice(1);
      expect(verifyEnvelope({ payload, signature: { ...signature, sig: flipped } })).toBe(false);
    }
    const otherPrimary = publicKeyToPrimary(ed25519.getPublicKey(new Uint8Array(32).fill(4)));
    expect(verifyEnvelope({ payload, signature: { ...ed, key: otherPrimary } })).toBe(false);
  });

  it('refuses an unknown or mismatched algorithm, never accepting it', () => {
    const ed = signPayload(payload, edSecret);
    for (const alg of ['none', 'ED25519', 'ed25519ph', '', 'schnorr']) {
      expect(verifyEnvelope({ payload, signature: { ...ed, alg } })).toBe(false);
    }
    const schnorr = signPayloadSchnorr(payload, nostrSecret);
    expect(verifyEnvelope({ payload, signature: { ...schnorr, alg: 'ed25519' } })).toBe(false);
  });

  it('returns false, never throws, for malformed envelopes', () => {
    const ed = signPayload(payload, edSecret);
    const bad: unknown[] = [
      null,
      {},
      { payload },
      { payload, signature: null },
      { payload, signature: { ...ed, key: ed.key.toUpperCase() } },
      { payload, signature: { ...ed, key: ed.key.slice('ed25519:'.length) } },
      { payload, signature: { ...ed, sig: 12 } },
      { payload: { n: Number.NaN }, signature: ed },
      { payload: undefined, signature: ed },
    ];
    for (const signed of bad) {
      expect(verifyEnvelope(signed as SignedEnvelope)).toBe(false);
    }
  });

  it('exposes the signing key bytes as the primary', () => {
    expect(signPayload(payload, edSecret).key).toBe(`ed25519:${bytesToHex(ed25519.getPublicKey(edSecret))}`);
  });
});
