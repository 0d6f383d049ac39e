import { Injectable, Logger } from '@nestjs/common';
import type { Event } from '@nostr-relay/common';

import { nowSeconds } from '@kez/crypto';
import { NOSTR_KIND_DM } from '@kez/protocol';

import { StreamPresence } from '../broker/stream-presence';
import { NostrSeenStore } from '../nostr-listener/nostr-seen-store';
import { PushNotifier } from '../push/push-notifier';
import { HandleStore } from '../registry/handle-store';
import { KIND_GIFT_WRAP, recipientOf } from './inbox-policy';
import { RelayFanout } from './relay-fanout';
import { RelayMetrics } from './relay-metrics';

/** Kinds that wake their recipient: NIP-17 gift wraps and KEZ DMs (receipts, 4244, never wake anyone). */
const WAKING_KINDS = new Set([KIND_GIFT_WRAP, NOSTR_KIND_DM]);

export type WakeResult = 'pushed' | 'not_waking' | 'unregistered' | 'claimed_elsewhere' | 'reading';

/**
 * Decides on Web Push for an event the relay just stored: one empty push per
 * subscription of the recipient's handles, and none while the recipient has a
 * relay subscription or an SSE stream open anywhere. Once per cluster: only the
 * instance whose insert stored the event gets here; a KEZ DM also takes the
 * `nostr_seen` claim of the nostr listener (which watches public relays for
 * kind 4243), so one that arrives both ways still wakes once. Cheap checks come
 * first, so a user who is reading costs no write.
 */
@Injectable()
export class RelayWake {
  private readonly logger = new Logger('RelayWake');

  constructor(
    private readonly handles: HandleStore,
    private readonly claims: NostrSeenStore,
    private readonly fanout: RelayFanout,
    private readonly presence: StreamPresence,
    private readonly notifier: PushNotifier,
    private readonly metrics: RelayMetrics,
  ) {}

  /** For the relay: never throws, never holds up the client's `OK`. Each decision is counted. */
  accepted(event: Event, recipientTook: boolean): void {
    this.decide(event, recipientTook).then(
      (result) => this.metrics.wakeDecided(result),
      (error: unknown) => this.logger.error(`push for a relay event failed: ${String(error)}`),
    );
  }

  async decide(event: Event, recipientTook: boolean, now = nowSeconds()): Promise<WakeResult> {
    const recipient = WAKING_KINDS.has(event.kind) ? recipientOf(event) : undefined;
    if (recipient === undefined) {
      return 'not_waking';
    }
    const handles = (await this.handles.findAllByAddrs([recipient])).map((row) => row.handle);
    if (handles.length === 0) {
      return 'unregistered';
    }
    if (recipientTook || (await this.fanout.isReading(recipient))) {
      return 'reading';
    }
    const offline: string[] = [];
    for (const handle of handles) {
      if (!(await this.presence.isStreaming(handle))) {
        offline.push(handle);
      }
    }
    if (offline.length === 0) {
      return 'reading';
    }
    if (event.kind === NOSTR_KIND_DM && !(await this.claims.claim(event.id, event.created_at, now))) {
      return 'claimed_elsewhere';
    }
    offline.forEach((handle) => this.notifier.notify(handle));
    return 'pushed';
  }
}
