import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

import { CryptoError } from './errors';

// HKDF-SHA256 (RFC 5869), split into its two steps because HPKE's LabeledExtract and
// LabeledExpand (RFC 9180 section 4) call them separately.

export const SHA256_BYTES = 32;
/** RFC 5869: at most 255 blocks of output. */
export const HKDF_SHA256_MAX_LENGTH = 255 * SHA256_BYTES;

export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(sha256, ikm, salt);
}

export function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > HKDF_SHA256_MAX_LENGTH) {
    throw new CryptoError('invalid_length', `HKDF-SHA256 output is 0..${HKDF_SHA256_MAX_LENGTH} bytes`);
  }
  if (length === 0) {
    return new Uint8Array(0);
  }
  return expand(sha256, prk, info, length);
}

export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return hkdfExpand(hkdfExtract(salt, ikm), info, length);
}
