import { AES_GCM_IV_BYTES, AES_GCM_TAG_BYTES, aesGcmOpen, aesGcmSeal } from './aes-gcm';
import { base64urlEncode } from './base64url';
import { utf8 } from './encoding';
import { asPlainRecord, decodeField, requireExactKeys, requireVersion } from './envelope-fields';
import { CryptoError } from './errors';
import { hkdfSha256 } from './hkdf';
import { type Identity } from './identity';
import { canonicalBytes } from './jcs';
import { primaryToPublicKey, primaryToX25519 } from './keys';
import { type MessageContent, type OpenedMessage, parseCanonicalObject, prepareContent, readMessageFields } from './message';
import { randomBytes } from './random';
import { signEd25519, verifyEd25519 } from './signing';
import { nowSeconds } from './time';
import { x25519SharedSecret } from './x25519';

// Envelope v1 (contract section 5), read only: clients open it to migrate old
// messages and never send it.
//
//   { v: 1, from, to, nonce: b64url(12 bytes), ct: b64url(AES-256-GCM ct || tag), sig }
//
// key  = HKDF-SHA256(ikm = X25519(own x25519 secret, peer's x25519 key),
//                    salt = nonce, info = "kez-chat-msg-v1", L = 32)
// ct   = AES-256-GCM(key, nonce, JCS({ id, sent_at, body, ...extra }),
//                    aad = JCS({ v: 1, from, to }))
// sig  = sender's ed25519 signature over JCS(envelope without sig)
//
// The static-static key is the same in both directions and gives no forward secrecy,
// which is why v2 replaced it. The signature is checked before anything is
// decrypted. No freshness window applies: the point of reading v1 is old history.

export const ENVELOPE_V1_INFO = 'kez-chat-msg-v1';

export interface EnvelopeV1 {
  v: 1;
  from: string;
  to: string;
  nonce: string;
  ct: string;
  sig: string;
}

const ENVELOPE_KEYS = ['v', 'from', 'to', 'nonce', 'ct', 'sig'] as const;
/** Envelope fields that the plaintext may not repeat. */
const RESERVED_V1 = ['v', 'type', 'from', 'to', 'sig'] as const;
const INFO = utf8(ENVELOPE_V1_INFO);

function messageKey(ownXSecret: Uint8Array, peerPrimary: string, nonce: Uint8Array): Uint8Array {
  const shared = x25519SharedSecret(ownXSecret, primaryToX25519(peerPrimary));
  return hkdfSha256(shared, nonce, INFO, 32);
}

function headerAad(from: string, to: string): Uint8Array {
  return canonicalBytes({ v: 1, from, to });
}

/**
 * Produces a v1 envelope. For test vectors and tests only: v1 is read-only in the
 * product. `nonce` may be fixed for vectors; leave it out otherwise.
 */
export function sealV1(sender: Identity, recipientPrimary: string, content: MessageContent, nonce: Uint8Array = randomBytes(AES_GCM_IV_BYTES)): EnvelopeV1 {
  const { extra, id, sent_at, body } = prepareContent(content, RESERVED_V1, nowSeconds());
  const key = messageKey(sender.xSecret, recipientPrimary, nonce);
  const ct = aesGcmSeal(key, nonce, canonicalBytes({ ...extra, id, sent_at, body }), headerAad(sender.primary, recipientPrimary));
  const unsigned = { v: 1 as const, from: sender.primary, to: recipientPrimary, nonce: base64urlEncode(nonce), ct: base64urlEncode(ct) };
  return { ...unsigned, sig: signEd25519(canonicalBytes(unsigned), sender.edSecret) };
}

/**
 * Verifies the sender's signature, that `to` is `recipient`, then decrypts. Throws a
 * CryptoError: malformed, unsupported_version, bad_signature, wrong_recipient,
 * low_order_key or decrypt_failed.
 */
export function openV1(recipient: Identity, envelope: unknown): OpenedMessage {
  const record = asPlainRecord(envelope, 'envelope');
  requireVersion(record['v'], 1);
  requireExactKeys(record, ENVELOPE_KEYS, 'a v1 envelope');
  const { from, to, sig } = record;
  if (typeof from !== 'string' || typeof to !== 'string' || typeof sig !== 'string') {
    throw new CryptoError('malformed', 'from, to and sig are strings');
  }
  const nonce = decodeField(record['nonce'], 'nonce', { exact: AES_GCM_IV_BYTES });
  const ct = decodeField(record['ct'], 'ct', { min: AES_GCM_TAG_BYTES });

  let senderKey: Uint8Array;
  try {
    senderKey = primaryToPublicKey(from);
  } catch (error) {
    if (error instanceof CryptoError && error.code === 'low_order_key') {
      throw error;
    }
    throw new CryptoError('malformed', '"from" is not a primary');
  }
  const unsigned = { v: 1, from, to, nonce: record['nonce'], ct: record['ct'] };
  if (!verifyEd25519(canonicalBytes(unsigned), sig, senderKey)) {
    throw new CryptoError('bad_signature', 'the sender signature does not verify');
  }
  if (to !== recipient.primary) {
    throw new CryptoError('wrong_recipient', 'the message is addressed to someone else');
  }
  const plaintext = aesGcmOpen(messageKey(recipient.xSecret, from, nonce), nonce, ct, headerAad(from, to));
  return { v: 1, from, to, ...readMessageFields(parseCanonicalObject(plaintext), RESERVED_V1) };
}
