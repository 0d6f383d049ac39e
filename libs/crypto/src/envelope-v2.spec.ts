import { base64urlDecode, base64urlEncode } from './base64url';
import { utf8 } from './encoding';
import { encryptV2, type EnvelopeV2, INNER_TYPE_V2, openV2, sealV2, signInnerV2 } from './envelope-v2';
import { CryptoError, type CryptoErrorCode } from './errors';
import { hpkeSeal, hpkeSetupBaseS } from './hpke';
import { deriveIdentity, type Identity } from './identity';
import { canonicalBytes } from './jcs';
import { primaryToX25519 } from './keys';
import { MESSAGE_MAX_AGE_SECONDS, MESSAGE_MAX_FUTURE_SECONDS } from './message';

const seed = (byte: number) => new Uint8Array(32).fill(byte);
let alice: Identity;
let bob: Identity;
let carol: Identity;
const NOW = 1764000000;

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

describe(sealV2.name, () => {
  it('round-trips a message with its extra fields', () => {
    const envelope = sealV2(alice, bob.primary, { id: 'm1', body: 'hello', sent_at: NOW, reply_to: 'm0', attachments: [{ n: 1 }] });
    expect(openV2(bob, envelope, NOW)).toEqual({
      v: 2,
      from: alice.primary,
      to: bob.primary,
      id: 'm1',
      sent_at: NOW,
      body: 'hello',
      extra: { reply_to: 'm0', attachments: [{ n: 1 }] },
    });
  });

  it('fills id and sent_at', () => {
    const opened = openV2(bob, sealV2(alice, bob.primary, { body: 'x' }));
    expect(opened.id).toMatch(/^[0-9a-f]{32}$/);
    expect(Math.abs(opened.sent_at - Date.now() / 1000)).toBeLessThan(5);
  });

  it('shows only v, enc and ct outside: no sender, no recipient', () => {
    const envelope = sealV2(alice, bob.primary, { body: 'x', sent_at: NOW });
    expect(Object.keys(envelope).sort()).toEqual(['ct', 'enc', 'v']);
    expect(envelope.v).toBe(2);
    expect(base64urlDecode(envelope.enc)).toHaveLength(32);
    const text = JSON.stringify(envelope);
    for (const identity of [alice, bob]) {
      expect(text).not.toContain(identity.primary.slice('ed25519:'.length));
      expect(text).not.toContain(identity.addr);
    }
  });

  it('uses a fresh ephemeral key for every message', () => {
    const content = { id: 'same', body: 'same', sent_at: NOW };
    const first = sealV2(alice, bob.primary, content);
    const second = sealV2(alice, bob.primary, content);
    expect(first.enc).not.toBe(second.enc);
    expect(first.ct).not.toBe(second.ct);
  });

  it('refuses content that tries to set envelope fields or has wrong types', () => {
    for (const content of [
      { body: 'x', from: carol.primary },
      { body: 'x', to: carol.primary },
      { body: 'x', sig: 'ab' },
      { body: 'x', type: 'other' },
      { body: 42 },
      { body: 'x', id: '' },
      { body: 'x', id: 'a'.repeat(129) },
      { body: 'x', sent_at: 1.5 },
      { body: 'x', sent_at: -1 },
    ]) {
      expect(codeOf(() => sealV2(alice, bob.primary, content as never))).toBe('malformed');
    }
    expect(codeOf(() => sealV2(alice, bob.primary, { body: 'x', nested: { bad: undefined } }))).toBe('invalid_json');
  });

  it('refuses a recipient primary of low order', () => {
    expect(codeOf(() => sealV2(alice, `ed25519:01${'00'.repeat(31)}`, { body: 'x' }))).toBe('low_order_key');
    expect(codeOf(() => sealV2(alice, 'ed25519:nope', { body: 'x' }))).toBe('invalid_key');
  });

  it('keeps a "__proto__" field as plain data', () => {
    const content = JSON.parse('{"body":"x","sent_at":1764000000,"__proto__":{"polluted":true}}') as { body: string };
    const opened = openV2(bob, sealV2(alice, bob.primary, content), NOW);
    expect(Object.prototype.hasOwnProperty.call(opened.extra, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe(openV2.name, () => {
  let envelope: EnvelopeV2;

  beforeAll(() => {
    envelope = sealV2(alice, bob.primary, { id: 'm1', body: 'tamper with me', sent_at: NOW });
  });

  it('opens for the recipient only', () => {
    expect(openV2(bob, envelope, NOW).body).toBe('tamper with me');
    expect(codeOf(() => openV2(carol, envelope, NOW))).toBe('decrypt_failed');
    expect(codeOf(() => openV2(alice, envelope, NOW))).toBe('decrypt_failed');
  });

  it('fails when any byte of enc is flipped', () => {
    for (let i = 0; i < 32; i++) {
      expect(['decrypt_failed', 'low_order_key']).toContain(codeOf(() => openV2(bob, { ...envelope, enc: flipByte(envelope.enc, i) }, NOW)));
    }
  });

  it('fails when any byte of ct is flipped', () => {
    const length = base64urlDecode(envelope.ct).length;
    for (let i = 0; i < length; i++) {
      expect(codeOf(() => openV2(bob, { ...envelope, ct: flipByte(envelope.ct, i) }, NOW))).toBe('decrypt_failed');
    }
  });

  it('fails when v changes', () => {
    expect(codeOf(() => openV2(bob, { ...envelope, v: 1 }, NOW))).toBe('unsupported_version');
    expect(codeOf(() => openV2(bob, { ...envelope, v: 3 }, NOW))).toBe('unsupported_version');
    expect(codeOf(() => openV2(bob, { ...envelope, v: '2' }, NOW))).toBe('malformed');
  });

  it('binds v and enc as AAD', () => {
    // Re-encrypt the same plaintext under the same context with another header:
    // only the AAD differs, and the recipient must refuse it.
    const inner = signInnerV2(alice, bob.primary, { id: 'm', body: 'x', sent_at: NOW });
    const eph = seed(9);
    const { enc, context } = hpkeSetupBaseS(primaryToX25519(bob.primary), utf8('kez-chat-msg-v2'), eph);
    const encText = base64urlEncode(enc);
    const wrongAad = hpkeSeal(context, 0, canonicalBytes({ v: 3, enc: encText }), canonicalBytes(inner));
    expect(codeOf(() => openV2(bob, { v: 2, enc: encText, ct: base64urlEncode(wrongAad) }, NOW))).toBe('decrypt_failed');
    const noAad = hpkeSeal(context, 0, new Uint8Array(0), canonicalBytes(inner));
    expect(codeOf(() => openV2(bob, { v: 2, enc: encText, ct: base64urlEncode(noAad) }, NOW))).toBe('decrypt_failed');
    const rightAad = hpkeSeal(context, 0, canonicalBytes({ v: 2, enc: encText }), canonicalBytes(inner));
    expect(openV2(bob, { v: 2, enc: encText, ct: base64urlEncode(rightAad) }, NOW).body).toBe('x');
  });

  it('refuses malformed envelopes', () => {
    const bad: unknown[] = [
      null,
      'string',
      [envelope],
      {},
      { v: 2, enc: envelope.enc },
      { ...envelope, from: alice.primary },
      { ...envelope, enc: `${envelope.enc}=` },
      { ...envelope, enc: envelope.enc.slice(0, -2) },
      { ...envelope, ct: 42 },
      { ...envelope, ct: 'AAAA' },
    ];
    for (const value of bad) {
      expect(codeOf(() => openV2(bob, value, NOW))).toBe('malformed');
    }
  });

  it('refuses a low-order ephemeral key', () => {
    for (const lowOrder of [new Uint8Array(32), Uint8Array.from([1, ...new Uint8Array(31)])]) {
      expect(codeOf(() => openV2(bob, { ...envelope, enc: base64urlEncode(lowOrder) }, NOW))).toBe('low_order_key');
    }
  });

  it('refuses an inner message whose signature does not verify', () => {
    const inner = signInnerV2(alice, bob.primary, { id: 'm', body: 'original', sent_at: NOW });
    expect(openV2(bob, encryptV2(bob.primary, inner), NOW).body).toBe('original');
    // Body changed after signing.
    expect(codeOf(() => openV2(bob, encryptV2(bob.primary, { ...inner, body: 'forged' }), NOW))).toBe('bad_signature');
    // An extra field added after signing.
    expect(codeOf(() => openV2(bob, encryptV2(bob.primary, { ...inner, admin: true }), NOW))).toBe('bad_signature');
    // Carol signs but claims to be Alice.
    const byCarol = signInnerV2(carol, bob.primary, { id: 'm', body: 'original', sent_at: NOW });
    expect(codeOf(() => openV2(bob, encryptV2(bob.primary, { ...byCarol, from: alice.primary }), NOW))).toBe('bad_signature');
    // A flipped signature byte.
    const flipped = (inner.sig[0] === '0' ? '1' : '0') + inner.sig.slice(1);
    expect(codeOf(() => openV2(bob, encryptV2(bob.primary, { ...inner, sig: flipped }), NOW))).toBe('bad_signature');
  });

  it('refuses a correctly signed message addressed to someone else', () => {
    // Bob forwards Alice's message for him to Carol: the signed `to` gives it away.
    const inner = signInnerV2(alice, bob.primary, { id: 'm', body: 'for bob', sent_at: NOW });
    expect(codeOf(() => openV2(carol, encryptV2(carol.primary, inner), NOW))).toBe('wrong_recipient');
  });

  it('refuses inner objects of the wrong shape', () => {
    const inner = signInnerV2(alice, bob.primary, { id: 'm', body: 'x', sent_at: NOW });
    const withoutSig = Object.fromEntries(Object.entries(inner).filter(([name]) => name !== 'sig'));
    const shapes: unknown[] = [
      withoutSig,
      { ...inner, type: 'kez-chat/register/v1' },
      { ...inner, from: 'alice' },
      { ...inner, id: 7 },
      { ...inner, sent_at: '1764000000' },
      [inner],
      'text',
    ];
    for (const shape of shapes) {
      expect(codeOf(() => openV2(bob, encryptV2(bob.primary, shape), NOW))).toBe('malformed');
    }
  });

  it('refuses a plaintext that is valid JSON but not in JCS form', () => {
    const inner = signInnerV2(alice, bob.primary, { id: 'm', body: 'x', sent_at: NOW });
    const { enc, context } = hpkeSetupBaseS(primaryToX25519(bob.primary), utf8('kez-chat-msg-v2'));
    const encText = base64urlEncode(enc);
    const aad = canonicalBytes({ v: 2, enc: encText });
    for (const text of [JSON.stringify(inner, null, 1), `{"body":"y",${new TextDecoder().decode(canonicalBytes(inner)).slice(1)}`]) {
      const ct = hpkeSeal(context, 0, aad, utf8(text));
      expect(codeOf(() => openV2(bob, { v: 2, enc: encText, ct: base64urlEncode(ct) }, NOW))).toBe('malformed');
    }
  });

  it('checks freshness: 7 days back, 5 minutes ahead', () => {
    expect(INNER_TYPE_V2).toBe('kez-chat/msg/v2');
    const at = (sentAt: number) => sealV2(alice, bob.primary, { id: 'm', body: 'x', sent_at: sentAt });
    expect(openV2(bob, at(NOW - MESSAGE_MAX_AGE_SECONDS), NOW).body).toBe('x');
    expect(codeOf(() => openV2(bob, at(NOW - MESSAGE_MAX_AGE_SECONDS - 1), NOW))).toBe('stale');
    expect(openV2(bob, at(NOW + MESSAGE_MAX_FUTURE_SECONDS), NOW).body).toBe('x');
    expect(codeOf(() => openV2(bob, at(NOW + MESSAGE_MAX_FUTURE_SECONDS + 1), NOW))).toBe('future');
  });
});
