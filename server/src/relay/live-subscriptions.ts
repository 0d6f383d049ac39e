import type { ClientContext, Event } from '@nostr-relay/common';
import { type Filter as NostrFilter, matchFilters } from 'nostr-tools/filter';

import { PRIVATE_KINDS, recipientOf } from './inbox-policy';

/**
 * The open `REQ`s of this instance's relay connections, and live delivery to
 * them. @nostr-relay/core keeps each connection's filters but matches only
 * ids, authors, kinds and times when it broadcasts; this matches whole NIP-01
 * filters (tags included) and serves a private event only to a connection
 * authenticated as its recipient, whatever its filters say.
 */
export class LiveSubscriptions {
  private readonly contexts = new Set<ClientContext>();

  add(ctx: ClientContext): void {
    this.contexts.add(ctx);
  }

  remove(ctx: ClientContext): void {
    this.contexts.delete(ctx);
  }

  /** Sends `event` to every matching open subscription here; true when one of its recipient's took it. */
  deliver(event: Event): boolean {
    const recipient = PRIVATE_KINDS.has(event.kind) ? recipientOf(event) : undefined;
    let recipientTook = false;
    for (const ctx of this.contexts) {
      if (!ctx.isOpen || (recipient !== undefined && ctx.pubkey !== recipient)) {
        continue;
      }
      ctx.subscriptions.forEach((filters, subscriptionId) => {
        if (matchFilters(filters as NostrFilter[], event)) {
          ctx.sendMessage(['EVENT', subscriptionId, event]);
          recipientTook ||= recipient !== undefined;
        }
      });
    }
    return recipientTook;
  }

  /** Whether a connection authenticated as `pubkey` has any subscription open here. */
  isReading(pubkey: string): boolean {
    for (const ctx of this.contexts) {
      if (ctx.isOpen && ctx.pubkey === pubkey && ctx.subscriptions.size > 0) {
        return true;
      }
    }
    return false;
  }

  /** Authenticated keys with at least one open subscription here. */
  readers(): Set<string> {
    const keys = new Set<string>();
    for (const ctx of this.contexts) {
      if (ctx.isOpen && ctx.pubkey !== undefined && ctx.subscriptions.size > 0) {
        keys.add(ctx.pubkey);
      }
    }
    return keys;
  }

  /** Open connections and subscriptions here, for metrics. */
  counts(): { connections: number; subscriptions: number } {
    let subscriptions = 0;
    for (const ctx of this.contexts) {
      subscriptions += ctx.subscriptions.size;
    }
    return { connections: this.contexts.size, subscriptions };
  }
}
