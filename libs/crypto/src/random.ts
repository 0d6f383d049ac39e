import { randomBytes as platformRandomBytes } from '@noble/hashes/utils.js';

/**
 * Cryptographically secure random bytes from the platform's `crypto.getRandomValues`
 * (browsers, Node 20, workers alike). Throws rather than fall back to anything weaker.
 */
export function randomBytes(length: number): Uint8Array {
  return platformRandomBytes(length);
}
