import { base64urlnopad } from '@scure/base';

import { CryptoError } from './errors';

// RFC 4648 section 5 base64url without padding, from @scure/base (works alike in
// Node and browsers, unlike `Buffer` or Latin-1 `atob`/`btoa`). Decoding is
// canonical: padding, foreign characters and non-zero leftover bits are refused, so
// each byte string has exactly one encoding.

/** Bytes as unpadded base64url. */
export function base64urlEncode(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes);
}

/**
 * Unpadded, canonical base64url to bytes.
 *
 * @throws CryptoError `invalid_base64` for anything else.
 */
export function base64urlDecode(text: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new CryptoError('invalid_base64', 'not base64url');
  }
  try {
    return base64urlnopad.decode(text);
  } catch {
    throw new CryptoError('invalid_base64', 'not base64url');
  }
}
