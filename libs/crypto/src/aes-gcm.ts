import { gcm } from '@noble/ciphers/aes.js';

import { CryptoError } from './errors';

// AES-GCM as both envelope versions use it: AES-128 (v2, HPKE aead 0x0001) and
// AES-256 (v1). The checks are ours, not the cipher library's, because GCM with an
// IV other than 96 bits runs the IV through GHASH, a path with a history of broken
// implementations (Wycheproof "LongIv"/"CounterWrap") that nothing here needs.

export const AES_GCM_IV_BYTES = 12;
export const AES_GCM_TAG_BYTES = 16;

function checkParameters(key: Uint8Array, iv: Uint8Array): void {
  if (iv.length !== AES_GCM_IV_BYTES) {
    throw new CryptoError('invalid_nonce', 'AES-GCM IVs must be 96 bits');
  }
  if (key.length !== 16 && key.length !== 32) {
    throw new CryptoError('invalid_key', 'AES-GCM keys are 128 or 256 bits here');
  }
}

/** Returns ciphertext || 16-byte tag. */
export function aesGcmSeal(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  checkParameters(key, iv);
  return gcm(key, iv, aad).encrypt(plaintext);
}

/** Takes ciphertext || tag; any authentication failure is `decrypt_failed`. */
export function aesGcmOpen(key: Uint8Array, iv: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array {
  checkParameters(key, iv);
  if (sealed.length < AES_GCM_TAG_BYTES) {
    throw new CryptoError('decrypt_failed', 'ciphertext shorter than the tag');
  }
  try {
    return gcm(key, iv, aad).decrypt(sealed);
  } catch {
    throw new CryptoError('decrypt_failed', 'AES-GCM authentication failed');
  }
}
