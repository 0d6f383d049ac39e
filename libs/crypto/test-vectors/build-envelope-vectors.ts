import {
  base64urlDecode,
  base64urlEncode,
  bytesToHex,
  canonicalBytes,
  canonicalize,
  deriveIdentity,
  encryptV2,
  ENVELOPE_V1_INFO,
  ENVELOPE_V2_INFO,
  type EnvelopeV1,
  type EnvelopeV2,
  hexToBytes,
  hkdfSha256,
  hpkeSetupBaseS,
  type Identity,
  type MessageContent,
  type OpenedMessage,
  primaryToX25519,
  sealV1,
  seedToPhrase,
  signEd25519,
  signInnerV2,
  utf8,
  x25519SharedSecret,
} from '../src/index';

// The project's own envelope vectors, built only from the public API and fixed
// inputs (seeds, ephemeral key, nonce, timestamps), so the output is the same on
// every run. generate.ts writes it to envelope-v1.json / envelope-v2.json;
// envelope-vectors.spec.ts checks that the committed files still equal this output
// and still open to the recorded messages. README.md explains the fields.

/** Bytes start, start+1, ... : inputs anyone can retype. */
function counting(start: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
}

export const ALICE_SEED = bytesToHex(counting(0x00, 32));
export const BOB_SEED = bytesToHex(counting(0x20, 32));
export const CAROL_SEED = bytesToHex(counting(0x80, 32));
const SENT_AT = 1764000000;
/** Recipients open the vectors one minute after sending. */
const OPEN_AT = SENT_AT + 60;

export interface IdentityVector {
  seed: string;
  phrase: string;
  primary: string;
  x25519_secret: string;
  x25519_public: string;
  nostr_secret: string;
  addr: string;
}

export interface InvalidVector {
  name: string;
  recipient: 'recipient' | 'other';
  envelope: unknown;
  open_at: number;
  error: string;
}

export interface EnvelopeV2Vector {
  name: string;
  ephemeral_secret: string;
  inner: Record<string, unknown>;
  inner_jcs: string;
  hpke: { enc: string; shared_secret: string; key: string; base_nonce: string; aad_jcs: string };
  envelope: EnvelopeV2;
  open_at: number;
  opened: OpenedMessage;
}

export interface EnvelopeV1Vector {
  name: string;
  nonce: string;
  plaintext_jcs: string;
  aad_jcs: string;
  x25519_shared_secret: string;
  key: string;
  envelope: EnvelopeV1;
  opened: OpenedMessage;
}

export interface EnvelopeVectorFile<V> {
  description: string;
  sender: IdentityVector;
  recipient: IdentityVector;
  other: IdentityVector;
  vectors: V[];
  invalid: InvalidVector[];
}

function identityVector(identity: Identity): IdentityVector {
  return {
    seed: bytesToHex(identity.seed),
    phrase: seedToPhrase(identity.seed),
    primary: identity.primary,
    x25519_secret: bytesToHex(identity.xSecret),
    x25519_public: bytesToHex(identity.xPublic),
    nostr_secret: bytesToHex(identity.nostrSecret),
    addr: identity.addr,
  };
}

/** Content with every default spelled out, so the expected result can be written down. */
type FullContent = MessageContent & { id: string; sent_at: number };

/** What opening must give, derived from the content rather than by opening. */
function expectedOpened(v: 1 | 2, from: Identity, to: Identity, content: FullContent): OpenedMessage {
  const { id, sent_at, body, ...extra } = content;
  return { v, from: from.primary, to: to.primary, id, sent_at, body, extra };
}

function flipFirstByte(field: string): string {
  const bytes = base64urlDecode(field);
  bytes[0]! ^= 0x01;
  return base64urlEncode(bytes);
}

const V2_CASES: { name: string; ephemeral: Uint8Array; content: FullContent }[] = [
  { name: 'plain text', ephemeral: counting(0x40, 32), content: { id: 'vector-1', body: 'Hello, Bob!', sent_at: SENT_AT } },
  {
    name: 'unicode body and application fields',
    ephemeral: counting(0x60, 32),
    content: { id: 'vector-2', body: 'Grüße 👋 — «ok»\n2nd line', sent_at: SENT_AT, reply_to: 'vector-1', attachments: [] },
  },
];

function buildV2(alice: Identity, bob: Identity, carol: Identity): EnvelopeVectorFile<EnvelopeV2Vector> {
  const vectors = V2_CASES.map(({ name, ephemeral, content }): EnvelopeV2Vector => {
    const inner = signInnerV2(alice, bob.primary, content);
    const envelope = encryptV2(bob.primary, inner, ephemeral);
    const { enc, sharedSecret, context } = hpkeSetupBaseS(primaryToX25519(bob.primary), utf8(ENVELOPE_V2_INFO), ephemeral);
    return {
      name,
      ephemeral_secret: bytesToHex(ephemeral),
      inner,
      inner_jcs: canonicalize(inner),
      hpke: {
        enc: bytesToHex(enc),
        shared_secret: bytesToHex(sharedSecret),
        key: bytesToHex(context.key),
        base_nonce: bytesToHex(context.baseNonce),
        aad_jcs: canonicalize({ v: 2, enc: envelope.enc }),
      },
      envelope,
      open_at: OPEN_AT,
      opened: expectedOpened(2, alice, bob, content),
    };
  });
  const good = vectors[0]!.envelope;
  const badInner = vectors[0]!.inner;
  const invalid: InvalidVector[] = [
    { name: 'first byte of ct flipped', recipient: 'recipient', envelope: { ...good, ct: flipFirstByte(good.ct) }, open_at: OPEN_AT, error: 'decrypt_failed' },
    {
      name: 'first byte of enc flipped',
      recipient: 'recipient',
      envelope: { ...good, enc: flipFirstByte(good.enc) },
      open_at: OPEN_AT,
      error: 'decrypt_failed',
    },
    { name: 'v changed to 3', recipient: 'recipient', envelope: { ...good, v: 3 }, open_at: OPEN_AT, error: 'unsupported_version' },
    { name: 'an extra outer field', recipient: 'recipient', envelope: { ...good, from: alice.primary }, open_at: OPEN_AT, error: 'malformed' },
    {
      name: 'all-zero (low-order) enc',
      recipient: 'recipient',
      envelope: { ...good, enc: base64urlEncode(new Uint8Array(32)) },
      open_at: OPEN_AT,
      error: 'low_order_key',
    },
    { name: 'opened by someone else', recipient: 'other', envelope: good, open_at: OPEN_AT, error: 'decrypt_failed' },
    {
      name: 'body changed after signing',
      recipient: 'recipient',
      envelope: encryptV2(bob.primary, { ...badInner, body: 'Hello, Mallory!' }, counting(0xa0, 32)),
      open_at: OPEN_AT,
      error: 'bad_signature',
    },
    {
      name: 'signed for the recipient, forwarded to someone else',
      recipient: 'other',
      envelope: encryptV2(carol.primary, badInner, counting(0xc0, 32)),
      open_at: OPEN_AT,
      error: 'wrong_recipient',
    },
    { name: 'opened 7 days and 1 minute later', recipient: 'recipient', envelope: good, open_at: SENT_AT + 7 * 86400 + 60, error: 'stale' },
    { name: 'opened 6 minutes before sent_at', recipient: 'recipient', envelope: good, open_at: SENT_AT - 360, error: 'future' },
  ];
  return {
    description:
      'KEZ chat envelope v2: RFC 9180 HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, info "kez-chat-msg-v2", seq 0, AAD = JCS({v, enc}); plaintext = JCS of the inner message signed by the sender (ed25519 over JCS of the inner without sig). See README.md.',
    sender: identityVector(alice),
    recipient: identityVector(bob),
    other: identityVector(carol),
    vectors,
    invalid,
  };
}

const V1_CASES: { name: string; nonce: Uint8Array; content: FullContent }[] = [
  { name: 'plain text', nonce: counting(0xe0, 12), content: { id: 'legacy-1', body: 'Hello from v1', sent_at: 1700000000 } },
];

/** A v1 envelope whose signature is valid again after a change, to reach the AEAD check. */
function resignV1(envelope: EnvelopeV1, sender: Identity): EnvelopeV1 {
  const unsigned = { v: envelope.v, from: envelope.from, to: envelope.to, nonce: envelope.nonce, ct: envelope.ct };
  return { ...unsigned, sig: signEd25519(canonicalBytes(unsigned), sender.edSecret) };
}

function buildV1(alice: Identity, bob: Identity, carol: Identity): EnvelopeVectorFile<EnvelopeV1Vector> {
  const vectors = V1_CASES.map(({ name, nonce, content }): EnvelopeV1Vector => {
    const envelope = sealV1(alice, bob.primary, content, nonce);
    const shared = x25519SharedSecret(alice.xSecret, primaryToX25519(bob.primary));
    const { id, sent_at, body, ...extra } = content;
    return {
      name,
      nonce: bytesToHex(nonce),
      plaintext_jcs: canonicalize({ ...extra, id, sent_at, body }),
      aad_jcs: canonicalize({ v: 1, from: alice.primary, to: bob.primary }),
      x25519_shared_secret: bytesToHex(shared),
      key: bytesToHex(hkdfSha256(shared, nonce, utf8(ENVELOPE_V1_INFO), 32)),
      envelope,
      opened: expectedOpened(1, alice, bob, content),
    };
  });
  const good = vectors[0]!.envelope;
  const invalid: InvalidVector[] = [
    { name: 'first byte of ct flipped', recipient: 'recipient', envelope: { ...good, ct: flipFirstByte(good.ct) }, open_at: OPEN_AT, error: 'bad_signature' },
    {
      name: 'first byte of nonce flipped',
      recipient: 'recipient',
      envelope: { ...good, nonce: flipFirstByte(good.nonce) },
      open_at: OPEN_AT,
      error: 'bad_signature',
    },
    { name: 'from replaced', recipient: 'recipient', envelope: { ...good, from: carol.primary }, open_at: OPEN_AT, error: 'bad_signature' },
    { name: 'to replaced', recipient: 'recipient', envelope: { ...good, to: carol.primary }, open_at: OPEN_AT, error: 'bad_signature' },
    { name: 'opened by someone else', recipient: 'other', envelope: good, open_at: OPEN_AT, error: 'wrong_recipient' },
    {
      name: 'first byte of ct flipped and re-signed by the sender',
      recipient: 'recipient',
      envelope: resignV1({ ...good, ct: flipFirstByte(good.ct) }, alice),
      open_at: OPEN_AT,
      error: 'decrypt_failed',
    },
    { name: 'v changed to 2', recipient: 'recipient', envelope: { ...good, v: 2 }, open_at: OPEN_AT, error: 'unsupported_version' },
  ];
  return {
    description:
      'KEZ chat envelope v1 (read only): X25519(sender, recipient) static-static, key = HKDF-SHA256(ikm = shared secret, salt = nonce, info "kez-chat-msg-v1", 32 bytes), AES-256-GCM with the 12-byte nonce, AAD = JCS({v, from, to}), plaintext = JCS({id, sent_at, body, ...}); sig = sender ed25519 over JCS of the envelope without sig. See README.md.',
    sender: identityVector(alice),
    recipient: identityVector(bob),
    other: identityVector(carol),
    vectors,
    invalid,
  };
}

export function buildEnvelopeVectors(): {
  v1: EnvelopeVectorFile<EnvelopeV1Vector>;
  v2: EnvelopeVectorFile<EnvelopeV2Vector>;
} {
  const alice = deriveIdentity(hexToBytes(ALICE_SEED));
  const bob = deriveIdentity(hexToBytes(BOB_SEED));
  const carol = deriveIdentity(hexToBytes(CAROL_SEED));
  return { v1: buildV1(alice, bob, carol), v2: buildV2(alice, bob, carol) };
}
