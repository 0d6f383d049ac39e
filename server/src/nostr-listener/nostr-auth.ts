import { type EventTemplate, finalizeEvent, getPublicKey, type VerifiedEvent } from 'nostr-tools/pure';

import type { VapidKeys } from '../push/vapid-keys';

/** HKDF label of the listener's nostr key; changing it changes the key. */
const PURPOSE = 'kez-chat/nostr-listener-auth/v1';

/**
 * The listener's nostr identity for NIP-42 AUTH. It is derived from the VAPID
 * key (so every instance sharing the key file has the same nostr pubkey, and no
 * second secret file is needed); it signs nothing but AUTH events.
 */
export class NostrAuthKey {
  readonly pubkey: string;

  constructor(private readonly secret: Uint8Array) {
    this.pubkey = getPublicKey(secret);
  }

  static fromVapid(vapid: VapidKeys): NostrAuthKey {
    // A 32-byte HKDF output is a valid secp256k1 scalar except with negligible probability; the counter covers it anyway.
    for (let counter = 0; ; counter++) {
      try {
        return new NostrAuthKey(vapid.deriveSecret(counter === 0 ? PURPOSE : `${PURPOSE}/${counter}`));
      } catch (error) {
        if (counter >= 3) {
          throw error;
        }
      }
    }
  }

  /** What nostr-tools' relay calls with a kind 22242 template when a relay sends a challenge. */
  readonly sign = (template: EventTemplate): Promise<VerifiedEvent> => Promise.resolve(finalizeEvent(template, this.secret));
}
