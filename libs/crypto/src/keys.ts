import { ed25519 } from '@noble/curves/ed25519.js';
import { schnorr } from '@noble/curves/secp256k1.js';

import { bytesToHex, hexToBytes, isHex } from './encoding';
import { CryptoError } from './errors';

// Parsing of the two public identifiers of a user (contract section 1): the primary,
// `ed25519:<64 hex>`, and the addr, a BIP340 x-only secp256k1 key in 64 hex.

export const PRIMARY_PREFIX = 'ed25519:';
const PRIMARY_PATTERN = /^ed25519:[0-9a-f]{64}$/;

export function publicKeyToPrimary(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) {
    throw new CryptoError('invalid_key', 'ed25519 public keys are 32 bytes');
  }
  return PRIMARY_PREFIX + bytesToHex(publicKey);
}

// The subgroup check costs a scalar multiplication (more than a third of verifying an
// auth header), and a server sees the same few primaries on every request, so
// primaries that passed are remembered. Only successes are cached.
const VALID_PRIMARIES_LIMIT = 4096;
const validPrimaries = new Map<string, Uint8Array>();

/**
 * The ed25519 public key of a primary. Besides the spelling, the point must decode
 * under RFC 8032's strict rules (canonical y) and lie in the prime-order subgroup:
 * no honest key is anything else, a small-order key would make signatures forgeable
 * and its x25519 form would give an all-zero shared secret (`low_order_key`), and a
 * key with a torsion component is where strict and lenient verifiers disagree.
 */
export function primaryToPublicKey(primary: string): Uint8Array {
  if (typeof primary !== 'string' || !PRIMARY_PATTERN.test(primary)) {
    throw new CryptoError('invalid_key', 'a primary is "ed25519:" and 64 lowercase hex digits');
  }
  const known = validPrimaries.get(primary);
  if (known) {
    return known.slice();
  }
  const bytes = checkEd25519Point(hexToBytes(primary.slice(PRIMARY_PREFIX.length)));
  if (validPrimaries.size >= VALID_PRIMARIES_LIMIT) {
    // Maps iterate in insertion order: drop the oldest entry.
    validPrimaries.delete(validPrimaries.keys().next().value as string);
  }
  validPrimaries.set(primary, bytes.slice());
  return bytes;
}

function checkEd25519Point(bytes: Uint8Array): Uint8Array {
  let point;
  try {
    point = ed25519.Point.fromBytes(bytes, false);
  } catch {
    throw new CryptoError('invalid_key', 'not an ed25519 point');
  }
  if (point.isSmallOrder()) {
    throw new CryptoError('low_order_key', 'ed25519 key of small order');
  }
  if (!point.isTorsionFree()) {
    throw new CryptoError('invalid_key', 'ed25519 key outside the prime-order subgroup');
  }
  return bytes;
}

export function isValidPrimary(value: unknown): value is string {
  try {
    primaryToPublicKey(value as string);
    return true;
  } catch {
    return false;
  }
}

/** The x25519 public key (Montgomery form) a primary encrypts to. */
export function primaryToX25519(primary: string): Uint8Array {
  return ed25519.utils.toMontgomery(primaryToPublicKey(primary));
}

/**
 * The x-only key bytes of an addr: 64 lowercase hex that BIP340's lift_x accepts,
 * i.e. an x coordinate below p with a point on secp256k1.
 */
export function addrToPublicKey(addr: string): Uint8Array {
  if (!isHex(addr, 32)) {
    throw new CryptoError('invalid_key', 'an addr is 64 lowercase hex digits');
  }
  try {
    schnorr.utils.lift_x(BigInt(`0x${addr}`));
  } catch {
    throw new CryptoError('invalid_key', 'not an x-only secp256k1 point');
  }
  return hexToBytes(addr);
}

export function isValidAddr(value: unknown): value is string {
  try {
    addrToPublicKey(value as string);
    return true;
  } catch {
    return false;
  }
}
