import { scrypt } from '@noble/hashes/scrypt.js';

import { aesGcmOpen } from './aes-gcm';
import { base64urlDecode, base64urlEncode } from './base64url';
import { bytesToHex, hexToBytes, utf8 } from './encoding';
import { isCryptoError } from './errors';
import { canonicalBytes } from './jcs';
import { DEFAULT_SCRYPT_PARAMS, isSeedWrapError, type ScryptParams, unwrapSeed, type WrappedSeed, wrapSeed } from './seed-wrap';

// Cheap parameters keep the suite fast; the defaults are timed in the browser (e2e).
const FAST: ScryptParams = { N: 1024, r: 8, p: 1 };
const SEED = hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const PASSPHRASE = 'correct horse battery staple';

/**
 * Written by this code once and frozen here: every later version must still open it,
 * or people who wrapped their seed with an older client would be locked out.
 */
const FROZEN: WrappedSeed = {
  v: 1,
  kdf: 'scrypt',
  N: 1024,
  r: 8,
  p: 1,
  salt: 'qrts4SI-6mOu3f7OCCQ2EA',
  check: 'Kxy6EhvN8tdwoZ9a47p8uw',
  iv: 'xs7HbF6gm-0hpLB-',
  ct: 'vowKAqJPHW5xjsXgir-PAjin-LD0mTD2_NP8EINGdmPGMA9gFzPK0PwwpYyJAf0T',
};

/** Flips one bit of a base64url field, keeping it canonical base64url of the same length. */
function flipBit(field: string): string {
  const bytes = base64urlDecode(field);
  bytes[0]! ^= 0x01;
  return base64urlEncode(bytes);
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe(wrapSeed.name, () => {
  it('round-trips a seed', async () => {
    const wrapped = await wrapSeed(SEED, PASSPHRASE, FAST);
    expect(bytesToHex(await unwrapSeed(wrapped, PASSPHRASE))).toBe(bytesToHex(SEED));
  });

  it('stores the scrypt parameters with the blob and uses the defaults when none are given', async () => {
    expect(DEFAULT_SCRYPT_PARAMS).toEqual({ N: 65536, r: 8, p: 1 });
    const wrapped = await wrapSeed(SEED, PASSPHRASE, FAST);
    expect(wrapped).toMatchObject({ v: 1, kdf: 'scrypt', N: 1024, r: 8, p: 1 });
    expect(Object.keys(wrapped).sort()).toEqual(['N', 'check', 'ct', 'iv', 'kdf', 'p', 'r', 'salt', 'v']);
  });

  it('is built as documented: scrypt key and check, AES-256-GCM over the seed with the header as AAD', async () => {
    // RFC 7914 section 12, second vector: the scrypt underneath is the standard one.
    const rfc = scrypt(utf8('password'), utf8('NaCl'), { N: 1024, r: 8, p: 16, dkLen: 64 });
    expect(bytesToHex(rfc)).toBe(
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162' + '2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
    );
    const wrapped = await wrapSeed(SEED, PASSPHRASE, FAST);
    const dk = scrypt(utf8(PASSPHRASE), base64urlDecode(wrapped.salt), { ...FAST, dkLen: 48 });
    expect(wrapped.check).toBe(base64urlEncode(dk.slice(32)));
    const aad = canonicalBytes({ v: 1, kdf: 'scrypt', N: 1024, r: 8, p: 1, salt: wrapped.salt });
    const opened = aesGcmOpen(dk.slice(0, 32), base64urlDecode(wrapped.iv), base64urlDecode(wrapped.ct), aad);
    expect(bytesToHex(opened)).toBe(bytesToHex(SEED));
  });

  it('uses a fresh salt and IV every time', async () => {
    const [a, b] = await Promise.all([wrapSeed(SEED, PASSPHRASE, FAST), wrapSeed(SEED, PASSPHRASE, FAST)]);
    expect(a.salt).not.toBe(b.salt);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
  });

  it('reports progress while deriving', async () => {
    const seen: number[] = [];
    await wrapSeed(SEED, PASSPHRASE, { N: 2 ** 14, r: 8, p: 1 }, { onProgress: (fraction) => seen.push(fraction) });
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(1);
  });

  it('refuses an empty passphrase, a short seed and parameters out of range', async () => {
    await expect(wrapSeed(SEED, '', FAST)).rejects.toMatchObject({ reason: 'malformed' });
    await expect(wrapSeed(new Uint8Array(16), PASSPHRASE, FAST)).rejects.toMatchObject({ code: 'invalid_seed' });
    for (const params of [
      { N: 1000, r: 8, p: 1 },
      { N: 512, r: 8, p: 1 },
      { N: 2 ** 21, r: 8, p: 1 },
      { N: 1024, r: 0, p: 1 },
      { N: 1024, r: 8, p: 17 },
      { N: 2 ** 20, r: 8, p: 1 },
    ]) {
      await expect(wrapSeed(SEED, PASSPHRASE, params)).rejects.toMatchObject({ reason: 'unsupported' });
    }
  });
});

describe(unwrapSeed.name, () => {
  let wrapped: WrappedSeed;

  beforeAll(async () => {
    wrapped = await wrapSeed(SEED, PASSPHRASE, FAST);
  });

  it('opens the frozen blob of format v1', async () => {
    expect(bytesToHex(await unwrapSeed(FROZEN, PASSPHRASE))).toBe(bytesToHex(SEED));
  });

  it('refuses a wrong passphrase with a typed error', async () => {
    const error = await failureOf(unwrapSeed(wrapped, 'correct horse battery stapler'));
    expect(isSeedWrapError(error, 'wrong_passphrase')).toBe(true);
    // Still a CryptoError for callers that only know the library's base type.
    expect(isCryptoError(error, 'decrypt_failed')).toBe(true);
  });

  it('accepts the same passphrase in another Unicode normalization form', async () => {
    const composed = await wrapSeed(SEED, 'caf\u00e9 au lait', FAST);
    expect(bytesToHex(await unwrapSeed(composed, 'cafe\u0301 au lait'))).toBe(bytesToHex(SEED));
  });

  it('detects a damaged ciphertext or IV and says so rather than blaming the passphrase', async () => {
    for (const field of ['ct', 'iv'] as const) {
      const error = await failureOf(unwrapSeed({ ...wrapped, [field]: flipBit(wrapped[field]) }, PASSPHRASE));
      expect(isSeedWrapError(error, 'tampered')).toBe(true);
    }
  });

  it('never opens a blob whose salt, check or parameters were changed', async () => {
    const changed: WrappedSeed[] = [
      { ...wrapped, salt: flipBit(wrapped.salt) },
      { ...wrapped, check: flipBit(wrapped.check) },
      { ...wrapped, N: 2048 },
      { ...wrapped, r: 4 },
      { ...wrapped, p: 2 },
    ];
    for (const blob of changed) {
      const error = await failureOf(unwrapSeed(blob, PASSPHRASE));
      expect(isSeedWrapError(error, 'wrong_passphrase')).toBe(true);
    }
  });

  it('binds the parameters as AAD, so a blob re-labelled with a matching check still fails', async () => {
    // Whoever knows the passphrase can recompute `check` for other parameters; the AAD
    // still ties the ciphertext to the parameters it was sealed under.
    const relabelled = { ...wrapped, p: 2 };
    const dk = scrypt(utf8(PASSPHRASE), base64urlDecode(wrapped.salt), { N: 1024, r: 8, p: 2, dkLen: 48 });
    relabelled.check = base64urlEncode(dk.slice(32));
    const error = await failureOf(unwrapSeed(relabelled, PASSPHRASE));
    expect(isSeedWrapError(error, 'tampered')).toBe(true);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a missing field', { ...FROZEN, ct: undefined }],
    ['an extra field', { ...FROZEN, note: 'x' }],
    ['a short ciphertext', { ...FROZEN, ct: FROZEN.ct.slice(0, 20) }],
    ['a non-base64url salt', { ...FROZEN, salt: 'not base64!' }],
  ])('refuses %s as malformed', async (_label, blob) => {
    const error = await failureOf(unwrapSeed(JSON.parse(JSON.stringify(blob)) as unknown, PASSPHRASE));
    expect(isSeedWrapError(error, 'malformed')).toBe(true);
  });

  it.each([
    ['another version', { ...FROZEN, v: 2 }],
    ['another KDF', { ...FROZEN, kdf: 'pbkdf2' }],
    ['a cost that would exhaust memory', { ...FROZEN, N: 2 ** 24 }],
    ['a cost that is not a power of two', { ...FROZEN, N: 1000 }],
  ])('refuses %s as unsupported before deriving anything', async (_label, blob) => {
    const error = await failureOf(unwrapSeed(blob, PASSPHRASE));
    expect(isSeedWrapError(error, 'unsupported')).toBe(true);
  });
});
