import { sha256 } from '@noble/hashes/sha2.js';

import { utf8 } from '@kez/crypto';

const DOMAIN = 'kez-chat fingerprint v1';
const GROUPS = 8;
const GROUP_BYTES = 4;

/**
 * A short number two people can read to each other to check that they see the same
 * key: SHA-256 over a domain string and the 32-byte ed25519 public key, cut into eight
 * 4-byte groups, each shown as 5 decimal digits (uint32 mod 100000). 40 digits, about
 * 133 bits; "12345 67890 …". Throws RangeError for a key that is not 32 bytes.
 */
export function keyFingerprint(edPublic: Uint8Array): string {
  if (edPublic.length !== 32) {
    throw new RangeError('an ed25519 public key is 32 bytes');
  }
  const input = new Uint8Array([...utf8(DOMAIN), ...edPublic]);
  const digest = sha256(input);
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  const groups: string[] = [];
  for (let index = 0; index < GROUPS; index++) {
    groups.push(String(view.getUint32(index * GROUP_BYTES) % 100_000).padStart(5, '0'));
  }
  return groups.join(' ');
}
