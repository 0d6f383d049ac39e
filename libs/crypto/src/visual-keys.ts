import { aesGcmOpen, aesGcmSeal, AES_GCM_IV_BYTES } from './aes-gcm';
import { base64urlDecode, base64urlEncode } from './base64url';
import { bytesToHex, concatBytes, utf8 } from './encoding';
import { CryptoError, isCryptoError } from './errors';
import { hkdfSha256 } from './hkdf';
import { HPKE_N_ENC, hpkeOpen, hpkeSeal, hpkeSetupBaseR, hpkeSetupBaseS } from './hpke';
import { type Identity } from './identity';
import { primaryToX25519 } from './keys';
import { randomBytes } from './random';
import { VISUAL_KEY_BYTES, VISUAL_SALT_BYTES } from './visual-scramble';
import { x25519SharedSecret } from './x25519';

// Who may unscramble a profile picture (docs/protocol.md "Profile pictures").
//
// `kez_visual_keys` maps an id to a wrap of the picture key:
//   id   = hex(HKDF-SHA256(ikm = X25519(own x25519 secret, other's x25519 public),
//                          salt = picture salt, info "kez-chat/visual/v1/key-id", 16))
//   wrap = b64url(enc ‖ ct), HPKE base mode to the recipient's primary (the same suite
//          and key as envelope v2), info "kez-chat/visual/v1/key-wrap",
//          aad = utf8(id), plaintext = the 32-byte picture key.
// Both ends of a pair compute the same static Diffie–Hellman secret, so the recipient
// finds its wrap by id without trying the others; an outsider, lacking both secrets,
// sees only random-looking ids, which change with every salt (so pictures cannot be
// linked by id either). The user's own primary gets a wrap too (X25519 with itself),
// so a fresh device restored from the phrase opens its own picture. Dummy wraps of
// the same size pad the map to a multiple of VISUAL_KEYS_PADDING so the count tells
// only roughly how many contacts there are.
//
// The exact picture (its PNG bytes) is sealed once with AES-256-GCM under
// HKDF(picture key, salt, "kez-chat/visual/v1/exact", 32): only holders of a wrap
// reach it.

export type VisualKeys = Record<string, string>;

export const VISUAL_KEYS_PADDING = 8;
const KEY_ID_BYTES = 16;
const KEY_ID_INFO = utf8('kez-chat/visual/v1/key-id');
const WRAP_INFO = utf8('kez-chat/visual/v1/key-wrap');
const EXACT_INFO = utf8('kez-chat/visual/v1/exact');
const EXACT_AAD = utf8('kez-chat/visual/v1/exact');
const WRAP_BYTES = HPKE_N_ENC + VISUAL_KEY_BYTES + 16;

/**
 * The id under which `own` and `otherPrimary` find the wrap between them for the
 * picture with `salt` (symmetric: either side computes the same id).
 * @throws CryptoError `invalid_key` / `low_order_key` for an unusable primary.
 */
export function visualKeyId(own: Identity, otherPrimary: string, salt: Uint8Array): string {
  const shared = x25519SharedSecret(own.xSecret, primaryToX25519(otherPrimary));
  return bytesToHex(hkdfSha256(shared, salt, KEY_ID_INFO, KEY_ID_BYTES));
}

/**
 * `kez_visual_keys` for a picture: one wrap per recipient primary plus one for the
 * owner's own primary, padded with dummies; ids in sorted order.
 * @throws CryptoError for a key or salt of the wrong size or an unusable primary.
 */
export function wrapVisualKey(owner: Identity, key: Uint8Array, salt: Uint8Array, recipients: readonly string[]): VisualKeys {
  if (key.length !== VISUAL_KEY_BYTES || salt.length !== VISUAL_SALT_BYTES) {
    throw new CryptoError('invalid_length', 'a picture key is 32 bytes and its salt 16');
  }
  const entries = new Map<string, string>();
  for (const primary of new Set([owner.primary, ...recipients])) {
    const id = visualKeyId(owner, primary, salt);
    const { enc, context } = hpkeSetupBaseS(primaryToX25519(primary), WRAP_INFO);
    entries.set(id, base64urlEncode(concatBytes(enc, hpkeSeal(context, 0, utf8(id), key))));
  }
  while (entries.size % VISUAL_KEYS_PADDING !== 0) {
    entries.set(bytesToHex(randomBytes(KEY_ID_BYTES)), base64urlEncode(randomBytes(WRAP_BYTES)));
  }
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The picture key `publisherPrimary` wrapped for `reader` (who may be the publisher
 * itself), or undefined when there is no wrap for the reader or it does not open.
 */
export function openVisualKey(reader: Identity, publisherPrimary: string, salt: Uint8Array, keys: unknown): Uint8Array | undefined {
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
    return undefined;
  }
  const id = visualKeyId(reader, publisherPrimary, salt);
  const wrap = (keys as Record<string, unknown>)[id];
  if (typeof wrap !== 'string') {
    return undefined;
  }
  try {
    const bytes = base64urlDecode(wrap);
    if (bytes.length !== WRAP_BYTES) {
      return undefined;
    }
    const context = hpkeSetupBaseR(bytes.subarray(0, HPKE_N_ENC), reader.xSecret, WRAP_INFO);
    return hpkeOpen(context, 0, utf8(id), bytes.subarray(HPKE_N_ENC));
  } catch (error) {
    if (isCryptoError(error)) {
      return undefined;
    }
    throw error;
  }
}

function exactKey(key: Uint8Array, salt: Uint8Array): Uint8Array {
  return hkdfSha256(key, salt, EXACT_INFO, 32);
}

/** `kez_visual_exact`: b64url(iv ‖ AES-256-GCM(exact key, picture bytes)). */
export function sealExactPicture(key: Uint8Array, salt: Uint8Array, picture: Uint8Array): string {
  const iv = randomBytes(AES_GCM_IV_BYTES);
  return base64urlEncode(concatBytes(iv, aesGcmSeal(exactKey(key, salt), iv, picture, EXACT_AAD)));
}

/**
 * The picture bytes in `kez_visual_exact`.
 * @throws CryptoError `decrypt_failed` with the wrong key, `invalid_base64` for bad text.
 */
export function openExactPicture(key: Uint8Array, salt: Uint8Array, sealed: string): Uint8Array {
  const bytes = base64urlDecode(sealed);
  if (bytes.length < AES_GCM_IV_BYTES) {
    throw new CryptoError('decrypt_failed', 'sealed picture shorter than its IV');
  }
  return aesGcmOpen(exactKey(key, salt), bytes.subarray(0, AES_GCM_IV_BYTES), bytes.subarray(AES_GCM_IV_BYTES), EXACT_AAD);
}
