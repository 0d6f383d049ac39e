import { CryptoError } from './errors';

// Byte/text helpers shared by the whole library. Parsing is strict on purpose: every
// key, signature and envelope field has exactly one accepted spelling, so two
// different strings can never stand for the same bytes (no malleability, no
// case-folding surprises when values are compared as strings elsewhere).

const HEX_PATTERN = /^(?:[0-9a-f]{2})*$/;

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    out += byte.toString(16).padStart(2, '0');
  }
  return out;
}

/**
 * Lowercase hex only, even length; `expectedLength` (in bytes) is checked when given.
 * Uppercase is refused because the wire contract writes keys and signatures in
 * lowercase and compares them as strings.
 */
export function hexToBytes(hex: string, expectedLength?: number): Uint8Array {
  if (typeof hex !== 'string' || !HEX_PATTERN.test(hex)) {
    throw new CryptoError('invalid_hex', 'expected lowercase hex of even length');
  }
  if (expectedLength !== undefined && hex.length !== expectedLength * 2) {
    throw new CryptoError('invalid_hex', `expected ${expectedLength} bytes of hex`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}

/** True for exactly `length` bytes of lowercase hex. */
export function isHex(value: unknown, length: number): value is string {
  return typeof value === 'string' && value.length === length * 2 && HEX_PATTERN.test(value);
}

const encoder = new TextEncoder();
// fatal: invalid UTF-8 in a decrypted message is an error, not U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 encoding of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Strict UTF-8 decoding; invalid byte sequences throw `malformed`. */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new CryptoError('malformed', 'invalid UTF-8');
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Constant-time in the contents (not the length), for comparing secrets and tags. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    return false;
  }
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    diff |= a[i]! ^ b[i]!;
  }
  return diff === 0;
}

/** Big-endian encoding of a non-negative integer in `length` bytes (RFC 8017 I2OSP). */
export function i2osp(value: number, length: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0 || (length < 7 && value >= 256 ** length)) {
    throw new CryptoError('invalid_length', 'integer does not fit');
  }
  const out = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0 && rest > 0; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
}
