import { base64urlDecode } from './base64url';
import { CryptoError } from './errors';

// Structural checks shared by the envelope readers. Envelopes come off the network
// as untrusted JSON, so each field is checked for type and length before use and
// every failure is the same `malformed` code.

export function asPlainRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CryptoError('malformed', `${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Exactly these keys, no more and no fewer: nothing unsigned or unbound rides along. */
export function requireExactKeys(record: Record<string, unknown>, keys: readonly string[], what: string): void {
  const present = Object.keys(record);
  if (present.length !== keys.length || !keys.every((key) => Object.prototype.hasOwnProperty.call(record, key))) {
    throw new CryptoError('malformed', `${what} must have exactly the fields ${keys.join(', ')}`);
  }
}

/** `unsupported_version` for another number, `malformed` for anything that is not one. */
export function requireVersion(value: unknown, expected: number): void {
  if (typeof value !== 'number') {
    throw new CryptoError('malformed', 'v is a number');
  }
  if (value !== expected) {
    throw new CryptoError('unsupported_version', `expected envelope v${expected}, got v${value}`);
  }
}

/** Decodes a base64url field, checking its length (`exact`, or at least `min`). */
export function decodeField(value: unknown, name: string, length: { exact?: number; min?: number }): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = base64urlDecode(value as string);
  } catch {
    throw new CryptoError('malformed', `${name} is not base64url`);
  }
  if (length.exact !== undefined && bytes.length !== length.exact) {
    throw new CryptoError('malformed', `${name} is ${length.exact} bytes`);
  }
  if (length.min !== undefined && bytes.length < length.min) {
    throw new CryptoError('malformed', `${name} is at least ${length.min} bytes`);
  }
  return bytes;
}
