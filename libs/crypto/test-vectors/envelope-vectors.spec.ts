import {
  bytesToHex,
  canonicalize,
  CryptoError,
  deriveIdentity,
  hexToBytes,
  hpkeSetupBaseS,
  type Identity,
  openV1,
  openV2,
  phraseToSeed,
  primaryToX25519,
  seedToPhrase,
  utf8,
} from '../src/index';
import { buildEnvelopeVectors, type EnvelopeV1Vector, type EnvelopeV2Vector, type EnvelopeVectorFile, type IdentityVector } from './build-envelope-vectors';
import { readVector } from './load';

const v1 = readVector<EnvelopeVectorFile<EnvelopeV1Vector>>('envelope-v1.json');
const v2 = readVector<EnvelopeVectorFile<EnvelopeV2Vector>>('envelope-v2.json');

function identityFrom(vector: IdentityVector): Identity {
  const identity = deriveIdentity(hexToBytes(vector.seed));
  // The recorded identity is itself a vector: seed → phrase, primary, x25519, NIP-06 addr.
  expect(seedToPhrase(identity.seed)).toBe(vector.phrase);
  expect(bytesToHex(phraseToSeed(vector.phrase))).toBe(vector.seed);
  expect(identity.primary).toBe(vector.primary);
  expect(bytesToHex(identity.xSecret)).toBe(vector.x25519_secret);
  expect(bytesToHex(identity.xPublic)).toBe(vector.x25519_public);
  expect(bytesToHex(identity.nostrSecret)).toBe(vector.nostr_secret);
  expect(identity.addr).toBe(vector.addr);
  return identity;
}

function errorCode(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CryptoError) {
      return error.code;
    }
    throw error;
  }
  return 'no error';
}

describe(buildEnvelopeVectors.name, () => {
  it('still produces the committed envelope-v1.json and envelope-v2.json', () => {
    // Deterministic inputs, so any difference is a change of format or of a primitive.
    const built = JSON.parse(JSON.stringify(buildEnvelopeVectors())) as unknown;
    expect(built).toEqual({ v1, v2 });
  });
});

describe(openV2.name, () => {
  let recipient: Identity;
  let other: Identity;

  beforeAll(() => {
    identityFrom(v2.sender);
    recipient = identityFrom(v2.recipient);
    other = identityFrom(v2.other);
  });

  it.each(v2.vectors.map((vector) => [vector.name, vector] as const))('committed v2 vector "%s" opens to the recorded message', (_, vector) => {
    const { enc, sharedSecret, context } = hpkeSetupBaseS(primaryToX25519(v2.recipient.primary), utf8('kez-chat-msg-v2'), hexToBytes(vector.ephemeral_secret));
    expect(bytesToHex(enc)).toBe(vector.hpke.enc);
    expect(bytesToHex(sharedSecret)).toBe(vector.hpke.shared_secret);
    expect(bytesToHex(context.key)).toBe(vector.hpke.key);
    expect(bytesToHex(context.baseNonce)).toBe(vector.hpke.base_nonce);
    expect(canonicalize(vector.inner)).toBe(vector.inner_jcs);
    expect(canonicalize({ v: 2, enc: vector.envelope.enc })).toBe(vector.hpke.aad_jcs);
    expect(openV2(recipient, vector.envelope, vector.open_at)).toEqual(vector.opened);
  });

  it.each(v2.invalid.map((vector) => [vector.name, vector.error, vector] as const))('committed v2 invalid vector "%s" fails with %s', (_, error, vector) => {
    const who = vector.recipient === 'recipient' ? recipient : other;
    expect(errorCode(() => openV2(who, vector.envelope, vector.open_at))).toBe(error);
  });
});

describe(openV1.name, () => {
  let recipient: Identity;
  let other: Identity;

  beforeAll(() => {
    identityFrom(v1.sender);
    recipient = identityFrom(v1.recipient);
    other = identityFrom(v1.other);
  });

  it.each(v1.vectors.map((vector) => [vector.name, vector] as const))('committed v1 vector "%s" opens to the recorded message', (_, vector) => {
    expect(openV1(recipient, vector.envelope)).toEqual(vector.opened);
  });

  it.each(v1.invalid.map((vector) => [vector.name, vector.error, vector] as const))('committed v1 invalid vector "%s" fails with %s', (_, error, vector) => {
    const who = vector.recipient === 'recipient' ? recipient : other;
    expect(errorCode(() => openV1(who, vector.envelope))).toBe(error);
  });
});
