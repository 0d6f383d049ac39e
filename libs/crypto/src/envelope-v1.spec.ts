import { base64urlDecode, base64urlEncode } from './base64url';
import { type EnvelopeV1, openV1, sealV1 } from './envelope-v1';
import { CryptoError, type CryptoErrorCode } from './errors';
import { deriveIdentity, type Identity } from './identity';
import { canonicalBytes } from './jcs';
import { signEd25519 } from './signing';

const seed = (byte: number) => new Uint8Array(32).fill(byte);
let alice: Identity;
let bob: Identity;
let carol: Identity;
const SENT_AT = 1700000000;

beforeAll(() => {
  alice = deriveIdentity(seed(1));
  bob = deriveIdentity(seed(2));
  carol = deriveIdentity(seed(3));
});

function codeOf(run: () => unknown): CryptoErrorCode | 'no error' {
  try {
    run();
    return 'no error';
  } catch (error) {
    if (error instanceof CryptoError) {
      return error.code;
    }
    throw error;
  }
}

function flipByte(field: string, index: number): string {
  const bytes = base64urlDecode(field);
  bytes[index]! ^= 0x01;
  return base64urlEncode(bytes);
}

/** The sender re-signs a modified envelope, to reach the checks after the signature. */
function resign(envelope: Omit<EnvelopeV1, 'sig'>, sender: Identity): EnvelopeV1 {
  const unsigned = { v: envelope.v, from: envelope.from, to: envelope.to, nonce: envelope.nonce, ct: envelope.ct };
  return { ...unsigned, sig: signEd25519(canonicalBytes(unsigned), sender.edSecret) };
}

describe(sealV1.name, () => {
  it('writes { v, from, to, nonce, ct, sig } that the recipient opens', () => {
    const envelope = sealV1(alice, bob.primary, { id: 'old-1', body: 'from the past', sent_at: SENT_AT, lang: 'en' });
    expect(Object.keys(envelope).sort()).toEqual(['ct', 'from', 'nonce', 'sig', 'to', 'v']);
    expect(envelope).toMatchObject({ v: 1, from: alice.primary, to: bob.primary });
    expect(base64urlDecode(envelope.nonce)).toHaveLength(12);
    expect(envelope.sig).toMatch(/^[0-9a-f]{128}$/);
    // No freshness window: v1 is opened to migrate history, however old.
    expect(openV1(bob, envelope)).toEqual({
      v: 1,
      from: alice.primary,
      to: bob.primary,
      id: 'old-1',
      sent_at: SENT_AT,
      body: 'from the past',
      extra: { lang: 'en' },
    });
  });

  it('refuses content that repeats envelope fields', () => {
    for (const name of ['v', 'from', 'to', 'sig', 'type']) {
      expect(codeOf(() => sealV1(alice, bob.primary, { body: 'x', [name]: 1 }))).toBe('malformed');
    }
  });
});

describe(openV1.name, () => {
  let envelope: EnvelopeV1;

  beforeAll(() => {
    envelope = sealV1(alice, bob.primary, { id: 'old-1', body: 'tamper with me', sent_at: SENT_AT });
  });

  it('fails when any byte of nonce or ct is flipped (the signature covers them)', () => {
    for (let i = 0; i < 12; i++) {
      expect(codeOf(() => openV1(bob, { ...envelope, nonce: flipByte(envelope.nonce, i) }))).toBe('bad_signature');
    }
    const length = base64urlDecode(envelope.ct).length;
    for (let i = 0; i < length; i++) {
      expect(codeOf(() => openV1(bob, { ...envelope, ct: flipByte(envelope.ct, i) }))).toBe('bad_signature');
    }
  });

  it('fails when from, to or any byte of sig changes', () => {
    expect(codeOf(() => openV1(bob, { ...envelope, from: carol.primary }))).toBe('bad_signature');
    expect(codeOf(() => openV1(bob, { ...envelope, to: carol.primary }))).toBe('bad_signature');
    for (let i = 0; i < envelope.sig.length; i += 2) {
      const byte = Number.parseInt(envelope.sig.slice(i, i + 2), 16) ^ 0x01;
      const sig = envelope.sig.slice(0, i) + byte.toString(16).padStart(2, '0') + envelope.sig.slice(i + 2);
      expect(codeOf(() => openV1(bob, { ...envelope, sig }))).toBe('bad_signature');
    }
  });

  it('checks the recipient, then authenticates the ciphertext', () => {
    expect(codeOf(() => openV1(carol, envelope))).toBe('wrong_recipient');
    // Re-signed by the real sender, a changed ct or nonce still fails AES-GCM.
    expect(codeOf(() => openV1(bob, resign({ ...envelope, ct: flipByte(envelope.ct, 0) }, alice)))).toBe('decrypt_failed');
    expect(codeOf(() => openV1(bob, resign({ ...envelope, nonce: flipByte(envelope.nonce, 0) }, alice)))).toBe('decrypt_failed');
    // Re-addressed to Carol by Alice: Carol's key differs, and from/to are AAD.
    expect(codeOf(() => openV1(carol, resign({ ...envelope, to: carol.primary }, alice)))).toBe('decrypt_failed');
  });

  it('refuses malformed envelopes and other versions', () => {
    expect(codeOf(() => openV1(bob, { ...envelope, v: 2 }))).toBe('unsupported_version');
    const bad: unknown[] = [
      null,
      {},
      { ...envelope, extra: 1 },
      { ...envelope, v: '1' },
      { ...envelope, from: 'alice' },
      { ...envelope, nonce: base64urlEncode(new Uint8Array(16)) },
      { ...envelope, ct: 'AA' },
      { ...envelope, sig: 7 },
    ];
    for (const value of bad) {
      expect(codeOf(() => openV1(bob, value))).toBe('malformed');
    }
  });

  it('refuses a low-order sender key', () => {
    expect(codeOf(() => openV1(bob, { ...envelope, from: `ed25519:01${'00'.repeat(31)}` }))).toBe('low_order_key');
  });
});
