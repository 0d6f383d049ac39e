import type { ClientContext, Event, Filter } from '@nostr-relay/common';
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
  /** Subscriptions whose stored events are being read: live already, registered with the engine only once it succeeds. */
  private readonly opening = new Map<ClientContext, Map<string, Filter[]>>();

  add(ctx: ClientContext): void {
    this.contexts.add(ctx);
  }

  remove(ctx: ClientContext): void {
    this.contexts.delete(ctx);
    this.opening.delete(ctx);
  }

  /**
   * Makes a subscription live before its stored events are read, so an event
   * accepted meanwhile is not missed (the engine registers it only after EOSE).
   * Returns the function that ends this, to call once the engine answered.
   */
  opened(ctx: ClientContext, subscriptionId: string, filters: Filter[]): () => void {
    let subscriptions = this.opening.get(ctx);
    if (!subscriptions) {
      subscriptions = new Map();
      this.opening.set(ctx, subscriptions);
    }
    subscriptions.set(subscriptionId, filters);
    return () => {
      const current = this.opening.get(ctx);
      if (current?.get(subscriptionId) === filters) {
        current.delete(subscriptionId);
        if (current.size === 0) {
          this.opening.delete(ctx);
        }
      }
    };
  }

  /** Sends `event` to every matching open subscription here; true when one of its recipient's took it. */
  deliver(event: Event): boolean {
    const recipient = PRIVATE_KINDS.has(event.kind) ? recipientOf(event) : undefined;
    let recipientTook = false;
    for (const ctx of this.contexts) {
      if (!ctx.isOpen || (recipient !== undefined && ctx.pubkey !== recipient)) {
        continue;
      }
      const send = (filters: Filter[], subscriptionId: string) => {
        if (matchFilters(filters as NostrFilter[], event)) {
          ctx.sendMessage(['EVENT', subscriptionId, event]);
          recipientTook ||= recipient !== undefined;
        }
      };
      const opening = this.opening.get(ctx);
      opening?.forEach(send);
      ctx.subscriptions.forEach((filters, subscriptionId) => (opening?.has(subscriptionId) ? undefined : send(filters, subscriptionId)));
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
