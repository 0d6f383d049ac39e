import { AES_GCM_TAG_BYTES } from './aes-gcm';
import { base64urlEncode } from './base64url';
import { utf8 } from './encoding';
import { asPlainRecord, decodeField, requireExactKeys, requireVersion } from './envelope-fields';
import { CryptoError } from './errors';
import { HPKE_N_ENC, hpkeOpen, hpkeSeal, hpkeSetupBaseR, hpkeSetupBaseS } from './hpke';
import { type Identity } from './identity';
import { canonicalBytes } from './jcs';
import { isValidPrimary, primaryToPublicKey, primaryToX25519 } from './keys';
import { checkFreshness, type MessageContent, type OpenedMessage, parseCanonicalObject, prepareContent, readMessageFields } from './message';
import { signEd25519, verifyEd25519 } from './signing';
import { nowSeconds } from './time';

// Envelope v2 (contract section 5), what clients send:
//
//   outer  { v: 2, enc: b64url(HPKE enc), ct: b64url(HPKE ciphertext) }
//   inner  JCS({ type: "kez-chat/msg/v2", from, to, id, sent_at, body, ...extra, sig })
//
// HPKE base mode to the recipient's x25519 key (the Montgomery form of their primary),
// info "kez-chat-msg-v2", one message per context (seq 0), a fresh ephemeral key each
// time. The header is bound as AAD: JCS({ v, enc }), so changing `v` or `enc` breaks
// authentication even though `enc` is also inside the key schedule. Nothing outside
// names the sender or the recipient; both are inside and covered by `sig`, the
// sender's ed25519 signature over JCS of the inner object without `sig`.
// `type` separates these signatures from anything else the same key signs.

export const ENVELOPE_V2_INFO = 'kez-chat-msg-v2';
export const INNER_TYPE_V2 = 'kez-chat/msg/v2';

export interface EnvelopeV2 {
  v: 2;
  enc: string;
  ct: string;
}

/** The inner object as signed: everything but `sig`. */
export interface UnsignedInnerV2 {
  type: typeof INNER_TYPE_V2;
  from: string;
  to: string;
  id: string;
  sent_at: number;
  body: string;
  [field: string]: unknown;
}

/** The signed inner object, as it is encrypted. */
export interface InnerMessageV2 extends UnsignedInnerV2 {
  sig: string;
}

const ENVELOPE_KEYS = ['v', 'enc', 'ct'] as const;
/** Fields the envelope owns; content may not set them. */
const RESERVED_V2 = ['type', 'from', 'to', 'sig'] as const;
const INFO = utf8(ENVELOPE_V2_INFO);

function headerAad(enc: string): Uint8Array {
  return canonicalBytes({ v: 2, enc });
}

/** Builds and signs the inner object; exported for vectors and tests. */
export function signInnerV2(sender: Identity, recipientPrimary: string, content: MessageContent, now = nowSeconds()): InnerMessageV2 {
  const { extra, id, sent_at, body } = prepareContent(content, RESERVED_V2, now);
  const unsigned: UnsignedInnerV2 = {
    ...extra,
    type: INNER_TYPE_V2,
    from: sender.primary,
    to: recipientPrimary,
    id,
    sent_at,
    body,
  };
  return { ...unsigned, sig: signEd25519(canonicalBytes(unsigned), sender.edSecret) };
}

/**
 * HPKE-encrypts any inner object as is, without signing or checking it. For vectors
 * and tests (including deliberately broken inners); `ephemeralSecret` fixes the
 * ephemeral key for known-answer vectors and must never be passed in production.
 * Applications call sealV2.
 */
export function encryptV2(recipientPrimary: string, inner: unknown, ephemeralSecret?: Uint8Array): EnvelopeV2 {
  const { enc, context } = hpkeSetupBaseS(primaryToX25519(recipientPrimary), INFO, ephemeralSecret);
  const encText = base64urlEncode(enc);
  const ct = hpkeSeal(context, 0, headerAad(encText), canonicalBytes(inner));
  return { v: 2, enc: encText, ct: base64urlEncode(ct) };
}

/** Signs `content` as `sender` and encrypts it to `recipientPrimary` with a fresh ephemeral key. */
export function sealV2(sender: Identity, recipientPrimary: string, content: MessageContent): EnvelopeV2 {
  return encryptV2(recipientPrimary, signInnerV2(sender, recipientPrimary, content));
}

/**
 * Checks the structure, decrypts, verifies the sender's signature (strict RFC 8032),
 * that the message is addressed to `recipient`, and that it is fresh. Throws a
 * CryptoError: malformed, unsupported_version, low_order_key, decrypt_failed,
 * bad_signature, wrong_recipient, stale or future.
 */
export function openV2(recipient: Identity, envelope: unknown, now: number = Date.now() / 1000): OpenedMessage {
  const outer = asPlainRecord(envelope, 'envelope');
  requireVersion(outer['v'], 2);
  requireExactKeys(outer, ENVELOPE_KEYS, 'a v2 envelope');
  const enc = decodeField(outer['enc'], 'enc', { exact: HPKE_N_ENC });
  const ct = decodeField(outer['ct'], 'ct', { min: AES_GCM_TAG_BYTES });

  const context = hpkeSetupBaseR(enc, recipient.xSecret, INFO);
  const inner = parseCanonicalObject(hpkeOpen(context, 0, headerAad(outer['enc'] as string), ct));

  const { type, from, to, sig, ...signed } = inner;
  if (type !== INNER_TYPE_V2 || typeof from !== 'string' || typeof to !== 'string' || typeof sig !== 'string') {
    throw new CryptoError('malformed', 'inner message lacks type, from, to or sig');
  }
  if (!isValidPrimary(from)) {
    throw new CryptoError('malformed', 'inner "from" is not a primary');
  }
  const fields = readMessageFields(signed, []);
  // The signature covers the inner object without `sig`: `signed` plus what was split off.
  if (!verifyEd25519(canonicalBytes({ ...signed, type, from, to }), sig, primaryToPublicKey(from))) {
    throw new CryptoError('bad_signature', 'the sender signature does not verify');
  }
  if (to !== recipient.primary) {
    throw new CryptoError('wrong_recipient', 'the message is addressed to someone else');
  }
  checkFreshness(fields.sent_at, now);
  return { v: 2, from, to, ...fields };
}
