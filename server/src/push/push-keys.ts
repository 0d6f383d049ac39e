import { ECDH } from 'node:crypto';

import { base64urlDecode } from '@kez/crypto';

import type { PushKeysDto } from './push.dto';

/**
 * A browser's subscription keys (RFC 8291): `p256dh` an uncompressed P-256 point
 * and `auth` a 16-byte secret, both base64url. KEZ pushes are empty and never use
 * them, but a row that could not encrypt is not a PushSubscription worth keeping.
 * Returns what is wrong, or undefined.
 */
export function pushKeysProblem(keys: PushKeysDto): string | undefined {
  const p256dh = base64url(keys.p256dh);
  if (p256dh?.length !== 65 || p256dh[0] !== 4 || !onCurve(p256dh)) {
    return 'keys.p256dh must be a base64url uncompressed P-256 public key (65 bytes).';
  }
  if (base64url(keys.auth)?.length !== 16) {
    return 'keys.auth must be 16 bytes, base64url.';
  }
  return undefined;
}

/** Decodes base64url (padding tolerated); undefined for anything else. */
function base64url(text: string): Uint8Array | undefined {
  try {
    return base64urlDecode(text.replace(/=+$/, ''));
  } catch {
    return undefined;
  }
}

function onCurve(point: Uint8Array): boolean {
  try {
    ECDH.convertKey(point, 'prime256v1');
    return true;
  } catch {
    return false;
  }
}
