import { Injectable } from '@angular/core';

import { finalizeEvent } from 'nostr-tools/pure';

import type { Identity } from '@kez/crypto';

import { RelayPool } from './nostr/relay-pool';
import { type RelayPoolLease, SharedRelayPool } from './nostr/shared-relay-pool';

/**
 * This tab's connections to the nostr relays: one pool for the chat's relay path and
 * the faces alike (core/nostr/shared-relay-pool.ts), answering NIP-42 AUTH with the
 * unlocked identity's nostr key. A new pool starts once the last lease of the old
 * one stopped (lock) or for another identity.
 */
@Injectable({ providedIn: 'root' })
export class RelayConnections {
  private current: { readonly primary: string; readonly shared: SharedRelayPool } | null = null;

  /** A lease on the tab's pool for `identity`; stop it when done (on lock). */
  lease(identity: Identity): RelayPoolLease {
    if (this.current === null || this.current.primary !== identity.primary || this.current.shared.idle) {
      const pool = new RelayPool({ signAuth: (template) => finalizeEvent(template, identity.nostrSecret) });
      this.current = { primary: identity.primary, shared: new SharedRelayPool(pool) };
    }
    return this.current.shared.lease();
  }
}
