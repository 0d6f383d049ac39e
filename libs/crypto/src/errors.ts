/**
 * Every failure the crypto library reports on purpose carries one of these codes, so
 * callers can branch on `error.code` instead of parsing messages. Anything else that
 * escapes (a TypeError from a caller's bug) is a bug in the caller or here.
 */
export type CryptoErrorCode =
  /** Not lowercase hex, odd length, or the wrong length for what it encodes. */
  | 'invalid_hex'
  /** Not unpadded, canonical base64url. */
  | 'invalid_base64'
  /** Not a 24-word BIP39 English phrase with a valid checksum. */
  | 'invalid_phrase'
  /** A seed that is not 32 bytes. */
  | 'invalid_seed'
  /** A key that does not parse or is not a usable point (wrong length, not on curve, torsion). */
  | 'invalid_key'
  /** A value JCS cannot canonicalize (undefined, function, non-finite number, lone surrogate...). */
  | 'invalid_json'
  /** An AES-GCM IV that is not 96 bits. */
  | 'invalid_nonce'
  /** A requested output length outside what the primitive allows. */
  | 'invalid_length'
  /** An x25519 exchange with a low-order point, which would give a predictable secret. */
  | 'low_order_key'
  /** A signature algorithm this library does not implement. */
  | 'unsupported_alg'
  /** An envelope version this function does not open. */
  | 'unsupported_version'
  /** An envelope or inner message whose structure is wrong. */
  | 'malformed'
  /** Authentication of the ciphertext failed: wrong key or tampered bytes. */
  | 'decrypt_failed'
  /** The sender's signature does not verify. */
  | 'bad_signature'
  /** The message was addressed to someone else. */
  | 'wrong_recipient'
  /** `sent_at` is too old. */
  | 'stale'
  /** `sent_at` is too far in the future. */
  | 'future';

export class CryptoError extends Error {
  override readonly name = 'CryptoError';

  constructor(
    readonly code: CryptoErrorCode,
    message: string = code,
  ) {
    super(message);
  }
}

/** Type guard that also narrows on the code when one is given. */
export function isCryptoError(error: unknown, code?: CryptoErrorCode): error is CryptoError {
  return error instanceof CryptoError && (code === undefined || error.code === code);
}
