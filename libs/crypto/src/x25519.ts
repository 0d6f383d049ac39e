import { x25519 } from '@noble/curves/ed25519.js';

import { CryptoError } from './errors';

// X25519 (RFC 7748) with the low-order check RFC 7748 section 6.1 allows and
// RFC 9180 section 7.1.4 requires: a peer key of small order yields a shared secret
// the attacker knows in advance (all zeros), so the exchange is refused, never
// turned into a key.

export const X25519_KEY_BYTES = 32;

export function x25519PublicKey(secretKey: Uint8Array): Uint8Array {
  if (secretKey.length !== X25519_KEY_BYTES) {
    throw new CryptoError('invalid_key', 'x25519 secret keys are 32 bytes');
  }
  return x25519.getPublicKey(secretKey);
}

export function x25519SharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (secretKey.length !== X25519_KEY_BYTES || publicKey.length !== X25519_KEY_BYTES) {
    throw new CryptoError('invalid_key', 'x25519 keys are 32 bytes');
  }
  let shared: Uint8Array;
  try {
    // noble refuses low-order inputs itself (its only failure once lengths are right).
    shared = x25519.getSharedSecret(secretKey, publicKey);
  } catch {
    throw new CryptoError('low_order_key', 'x25519 peer key has low order');
  }
  // Belt and braces: never hand out an all-zero secret whatever the library does.
  if (shared.every((byte) => byte === 0)) {
    throw new CryptoError('low_order_key', 'x25519 shared secret is all zeros');
  }
  return shared;
}
