import { normalizeRelayUrl } from '@kez/nostr';

import type { Store } from '../storage/store';

// "The relay that accepted first is remembered per conversation and tried first for
// replies": one relay URL per peer, in the Store's `meta` bucket. A message that
// arrived by a relay counts too, since the peer evidently reaches it.

const PREFIX = 'nostr.preferred.';

interface Entry {
  peer: string;
  relay: string;
}

/** The relay to try first, per conversation (keyed by the peer's primary, or pubkey for NIP-17 chats). */
export class PreferredRelays {
  constructor(private readonly store: Store) {}

  /** The remembered relay for `peer`, or undefined. */
  async get(peer: string): Promise<string | undefined> {
    return (await this.store.get<Entry>('meta', PREFIX + peer))?.relay;
  }

  /**
   * Remembers `relay` for `peer` (the first accepter of a send, or the relay a message
   * from `peer` came by). Paths that are not relay URLs (`home`, `nostr`) are ignored.
   */
  async remember(peer: string, relay: string): Promise<void> {
    const url = normalizeRelayUrl(relay);
    if (url === undefined || (await this.get(peer)) === url) {
      return;
    }
    await this.store.write([{ bucket: 'meta', key: PREFIX + peer, value: { peer, relay: url } satisfies Entry }]);
  }

  /** Forgets `relay` for every conversation (it was removed from the user's list). */
  async forgetRelay(relay: string): Promise<void> {
    const url = normalizeRelayUrl(relay);
    const stale = (await this.store.list<Entry>('meta', PREFIX)).filter((entry) => entry.relay === url);
    if (stale.length > 0) {
      await this.store.write(stale.map((entry) => ({ bucket: 'meta', key: PREFIX + entry.peer, value: undefined })));
    }
  }
}
