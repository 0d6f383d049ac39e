import { schnorr } from '@noble/curves/secp256k1.js';

import { bytesToHex, generateSeed, type Identity, identityWithNostrKey } from '@kez/crypto';

/**
 * A fresh identity without the NIP-06 derivation of its nostr key from the recovery
 * phrase (2,048 PBKDF2 rounds, tens of milliseconds): a random nostr key instead,
 * which the server cannot tell apart. For suites that sign hundreds of requests and
 * never restore the identity in a client, as `bench/delivery` does.
 */
export function quickIdentity(): Identity {
  const nostrSecret = schnorr.utils.randomSecretKey();
  return identityWithNostrKey(generateSeed(), { nostrSecret, addr: bytesToHex(schnorr.getPublicKey(nostrSecret)) });
}
