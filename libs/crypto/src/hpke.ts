import { aesGcmOpen, aesGcmSeal } from './aes-gcm';
import { concatBytes, i2osp, utf8 } from './encoding';
import { CryptoError } from './errors';
import { hkdfExpand, hkdfExtract } from './hkdf';
import { randomBytes } from './random';
import { x25519PublicKey, x25519SharedSecret } from './x25519';

// RFC 9180 HPKE, base mode only, for exactly one suite: DHKEM(X25519, HKDF-SHA256)
// (kem 0x0020), HKDF-SHA256 (kdf 0x0001), AES-128-GCM (aead 0x0001) — the
// primitives of MLS ciphersuite 1. Written out on the noble primitives (about a page)
// rather than pulled from a library so that every step can be read against the RFC;
// RFC 9180 Appendix A.1.1 pins it in hpke.spec.ts. Section numbers below are RFC 9180's.

export const HPKE_KEM_ID = 0x0020;
export const HPKE_KDF_ID = 0x0001;
export const HPKE_AEAD_ID = 0x0001;
export const HPKE_MODE_BASE = 0x00;

/** Nsecret, Nenc, Npk, Nsk of DHKEM(X25519, HKDF-SHA256). */
const N_SECRET = 32;
export const HPKE_N_ENC = 32;
const N_SK = 32;
/** Nk, Nn of AES-128-GCM; Nh of HKDF-SHA256. */
const N_K = 16;
const N_N = 12;
const N_H = 32;

const KEM_SUITE_ID = concatBytes(utf8('KEM'), i2osp(HPKE_KEM_ID, 2));
const HPKE_SUITE_ID = concatBytes(utf8('HPKE'), i2osp(HPKE_KEM_ID, 2), i2osp(HPKE_KDF_ID, 2), i2osp(HPKE_AEAD_ID, 2));
const VERSION_LABEL = utf8('HPKE-v1');
const EMPTY = new Uint8Array(0);

// Section 4: LabeledExtract / LabeledExpand.
function labeledExtract(suiteId: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  return hkdfExtract(salt, concatBytes(VERSION_LABEL, suiteId, utf8(label), ikm));
}

function labeledExpand(suiteId: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, length: number): Uint8Array {
  const labeledInfo = concatBytes(i2osp(length, 2), VERSION_LABEL, suiteId, utf8(label), info);
  return hkdfExpand(prk, labeledInfo, length);
}

export interface HpkeKeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** Section 7.1.3 DeriveKeyPair for X25519: the secret is used as is (X25519 clamps). */
export function hpkeDeriveKeyPair(ikm: Uint8Array): HpkeKeyPair {
  const dkpPrk = labeledExtract(KEM_SUITE_ID, EMPTY, 'dkp_prk', ikm);
  const secretKey = labeledExpand(KEM_SUITE_ID, dkpPrk, 'sk', EMPTY, N_SK);
  return { secretKey, publicKey: x25519PublicKey(secretKey) };
}

// Section 4.1 ExtractAndExpand.
function extractAndExpand(dh: Uint8Array, kemContext: Uint8Array): Uint8Array {
  const eaePrk = labeledExtract(KEM_SUITE_ID, EMPTY, 'eae_prk', dh);
  return labeledExpand(KEM_SUITE_ID, eaePrk, 'shared_secret', kemContext, N_SECRET);
}

/**
 * Section 4.1 Encap. `ephemeralSecret` exists for known-answer tests and vectors
 * only: reusing an ephemeral key across messages breaks HPKE's guarantees, so
 * production callers leave it out and get a fresh one.
 */
export function hpkeEncap(recipientPublic: Uint8Array, ephemeralSecret?: Uint8Array): { sharedSecret: Uint8Array; enc: Uint8Array } {
  const skE = ephemeralSecret ?? randomBytes(N_SK);
  const enc = x25519PublicKey(skE);
  // x25519SharedSecret refuses a low-order recipient key (section 7.1.4).
  const dh = x25519SharedSecret(skE, recipientPublic);
  return { sharedSecret: extractAndExpand(dh, concatBytes(enc, recipientPublic)), enc };
}

/** Section 4.1 Decap; a low-order `enc` is refused with `low_order_key`. */
export function hpkeDecap(enc: Uint8Array, recipientSecret: Uint8Array): Uint8Array {
  if (enc.length !== HPKE_N_ENC) {
    throw new CryptoError('malformed', `enc is ${HPKE_N_ENC} bytes`);
  }
  const dh = x25519SharedSecret(recipientSecret, enc);
  return extractAndExpand(dh, concatBytes(enc, x25519PublicKey(recipientSecret)));
}

/** The encryption context of section 5.1, with the sequence number left to the caller. */
export interface HpkeContext {
  key: Uint8Array;
  baseNonce: Uint8Array;
  exporterSecret: Uint8Array;
}

/** Section 5.1 KeySchedule for mode_base (empty psk and psk_id). */
export function hpkeKeySchedule(sharedSecret: Uint8Array, info: Uint8Array): HpkeContext {
  const pskIdHash = labeledExtract(HPKE_SUITE_ID, EMPTY, 'psk_id_hash', EMPTY);
  const infoHash = labeledExtract(HPKE_SUITE_ID, EMPTY, 'info_hash', info);
  const context = concatBytes(i2osp(HPKE_MODE_BASE, 1), pskIdHash, infoHash);
  const secret = labeledExtract(HPKE_SUITE_ID, sharedSecret, 'secret', EMPTY);
  return {
    key: labeledExpand(HPKE_SUITE_ID, secret, 'key', context, N_K),
    baseNonce: labeledExpand(HPKE_SUITE_ID, secret, 'base_nonce', context, N_N),
    exporterSecret: labeledExpand(HPKE_SUITE_ID, secret, 'exp', context, N_H),
  };
}

/** Section 5.1.1 SetupBaseS; see hpkeEncap about `ephemeralSecret`. */
export function hpkeSetupBaseS(
  recipientPublic: Uint8Array,
  info: Uint8Array,
  ephemeralSecret?: Uint8Array,
): { enc: Uint8Array; context: HpkeContext; sharedSecret: Uint8Array } {
  const { sharedSecret, enc } = hpkeEncap(recipientPublic, ephemeralSecret);
  return { enc, context: hpkeKeySchedule(sharedSecret, info), sharedSecret };
}

/** Section 5.1.1 SetupBaseR. */
export function hpkeSetupBaseR(enc: Uint8Array, recipientSecret: Uint8Array, info: Uint8Array): HpkeContext {
  return hpkeKeySchedule(hpkeDecap(enc, recipientSecret), info);
}

/** Section 5.2 ComputeNonce: base_nonce XOR I2OSP(seq, Nn). */
export function hpkeComputeNonce(baseNonce: Uint8Array, seq: number): Uint8Array {
  const seqBytes = i2osp(seq, N_N);
  return baseNonce.map((byte, i) => byte ^ seqBytes[i]!);
}

/** Section 5.2 ContextS.Seal for message number `seq`. */
export function hpkeSeal(context: HpkeContext, seq: number, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return aesGcmSeal(context.key, hpkeComputeNonce(context.baseNonce, seq), plaintext, aad);
}

/** Section 5.2 ContextR.Open for message number `seq`; failure is `decrypt_failed`. */
export function hpkeOpen(context: HpkeContext, seq: number, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return aesGcmOpen(context.key, hpkeComputeNonce(context.baseNonce, seq), ciphertext, aad);
}

/** Section 5.3 Context.Export. */
export function hpkeExport(context: HpkeContext, exporterContext: Uint8Array, length: number): Uint8Array {
  return labeledExpand(HPKE_SUITE_ID, context.exporterSecret, 'sec', exporterContext, length);
}
