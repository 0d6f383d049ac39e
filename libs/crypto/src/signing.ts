import { ed25519 } from '@noble/curves/ed25519.js';
import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';

import { bytesToHex, hexToBytes, isHex } from './encoding';
import { CryptoError } from './errors';
import { canonicalBytes } from './jcs';
import { addrToPublicKey, primaryToPublicKey, publicKeyToPrimary } from './keys';

// Signatures over JSON payloads travel as `{ payload, signature: { alg, key, sig } }`
// and are computed over JCS(payload) (contract section 2).
//
// - 'ed25519': RFC 8032 over the JCS bytes, verified strictly (no ZIP-215 leniency:
//   canonical R and A encodings, S < L), so every verifier gives the same verdict.
// - 'schnorr': BIP340 over SHA-256(JCS bytes). BIP340 was specified for 32-byte
//   messages and nostr signs a SHA-256 event id the same way, so hashing first keeps
//   us inside what every BIP340 implementation supports.
//
// Verification never throws: any malformed input is simply "does not verify", and an
// algorithm we do not implement is refused (false), never accepted.

export interface Signature {
  alg: 'ed25519';
  /** The signer's primary, `ed25519:<64 hex>`. */
  key: string;
  /** 128 lowercase hex. */
  sig: string;
}

export interface SchnorrSignature {
  alg: 'schnorr';
  /** The signer's x-only secp256k1 key (an addr), 64 lowercase hex. */
  key: string;
  sig: string;
}

export type AnySignature = Signature | SchnorrSignature;

/** The shape verifyEnvelope reads; `alg` is a plain string because it comes off the wire. */
export interface SignedEnvelope<P = unknown> {
  payload: P;
  signature: { alg: string; key: string; sig: string };
}

export const SIGNATURE_HEX_LENGTH = 128;

export function signEd25519(message: Uint8Array, edSecret: Uint8Array): string {
  if (edSecret.length !== 32) {
    throw new CryptoError('invalid_key', 'ed25519 secret keys are 32 bytes');
  }
  return bytesToHex(ed25519.sign(message, edSecret));
}

/** Strict RFC 8032 verification (`zip215: false`); false for anything malformed. */
export function verifyEd25519(message: Uint8Array, sigHex: string, publicKey: Uint8Array): boolean {
  if (!isHex(sigHex, 64) || !(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    return false;
  }
  try {
    return ed25519.verify(hexToBytes(sigHex), message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** BIP340 signature of `message` (normally 32 bytes); auxRand defaults to fresh randomness. */
export function signSchnorr(message: Uint8Array, nostrSecret: Uint8Array, auxRand?: Uint8Array): string {
  if (nostrSecret.length !== 32) {
    throw new CryptoError('invalid_key', 'secp256k1 secret keys are 32 bytes');
  }
  return bytesToHex(schnorr.sign(message, nostrSecret, auxRand));
}

/** BIP340 verification against an x-only key; false for anything malformed. */
export function verifySchnorr(message: Uint8Array, sigHex: string, xOnlyKey: Uint8Array): boolean {
  if (!isHex(sigHex, 64) || !(xOnlyKey instanceof Uint8Array) || xOnlyKey.length !== 32) {
    return false;
  }
  try {
    return schnorr.verify(hexToBytes(sigHex), message, xOnlyKey);
  } catch {
    return false;
  }
}

export function signPayload(payload: unknown, edSecret: Uint8Array): Signature {
  return {
    alg: 'ed25519',
    key: publicKeyToPrimary(ed25519.getPublicKey(edSecret)),
    sig: signEd25519(canonicalBytes(payload), edSecret),
  };
}

export function signPayloadSchnorr(payload: unknown, nostrSecret: Uint8Array, auxRand?: Uint8Array): SchnorrSignature {
  return {
    alg: 'schnorr',
    key: bytesToHex(schnorr.getPublicKey(nostrSecret)),
    sig: signSchnorr(sha256(canonicalBytes(payload)), nostrSecret, auxRand),
  };
}

/**
 * Checks `signature` over JCS(`payload`) with the key it names. It does not say whose
 * key that should be: callers compare `signature.key` with the identity they expect.
 */
export function verifyEnvelope(signed: SignedEnvelope): boolean {
  try {
    const { payload, signature } = signed;
    if (typeof signature !== 'object' || signature === null) {
      return false;
    }
    const { alg, key, sig } = signature;
    if (typeof key !== 'string' || typeof sig !== 'string') {
      return false;
    }
    switch (alg) {
      case 'ed25519':
        return verifyEd25519(canonicalBytes(payload), sig, primaryToPublicKey(key));
      case 'schnorr':
        return verifySchnorr(sha256(canonicalBytes(payload)), sig, addrToPublicKey(key));
      default:
        return false;
    }
  } catch {
    // Unparseable keys, payloads JCS refuses, or a non-object argument.
    return false;
  }
}
