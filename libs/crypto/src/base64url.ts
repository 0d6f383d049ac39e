import { CryptoError } from './errors';

// RFC 4648 section 5 base64url without padding, written out here because `Buffer` is
// Node-only and `atob`/`btoa` speak Latin-1 strings, not bytes. Decoding is canonical:
// padding, foreign characters and non-zero leftover bits are refused, so each byte
// string has exactly one encoding.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Map([...ALPHABET].map((char, index) => [char, index]));

export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j++) {
      out += ALPHABET[(chunk >> (18 - 6 * j)) & 63];
    }
  }
  return out;
}

export function base64urlDecode(text: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 4 === 1) {
    throw new CryptoError('invalid_base64', 'not base64url');
  }
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let offset = 0;
  for (const char of text) {
    const value = LOOKUP.get(char);
    if (value === undefined) {
      throw new CryptoError('invalid_base64', 'not base64url');
    }
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[offset++] = (buffer >> bits) & 0xff;
    }
  }
  // The unused low bits of the last character must be zero, or two strings would
  // decode to the same bytes.
  if ((buffer & ((1 << bits) - 1)) !== 0) {
    throw new CryptoError('invalid_base64', 'non-canonical base64url');
  }
  return out;
}
