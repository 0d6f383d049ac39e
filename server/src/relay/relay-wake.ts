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

/** Kinds that wake their recipient: NIP-17 gift wraps and KEZ DMs (receipts, 4244, never wake anyone). */
const WAKING_KINDS = new Set([KIND_GIFT_WRAP, NOSTR_KIND_DM]);

export type WakeResult = 'pushed' | 'not_waking' | 'unregistered' | 'claimed_elsewhere' | 'reading';

/**
 * Decides on Web Push for an event the relay just stored: one empty push per
 * subscription of the recipient's handles, once per cluster (the same
 * `nostr_seen` claim the nostr listener takes, so a KEZ DM that also arrives
 * through a public relay still wakes once), and none while the recipient has a
 * relay subscription or an SSE stream open anywhere.
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
  ) {}

  /** For the relay: never throws, never holds up the client's `OK`. */
  accepted(event: Event, recipientTook: boolean): void {
    this.decide(event, recipientTook).catch((error: unknown) => this.logger.error(`push for a relay event failed: ${String(error)}`));
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
    if (!(await this.claims.claim(event.id, event.created_at, now))) {
      return 'claimed_elsewhere';
    }
    if (recipientTook || (await this.fanout.isReading(recipient))) {
      return 'reading';
    }
    let pushed = false;
    for (const handle of handles) {
      if (!(await this.presence.isStreaming(handle))) {
        this.notifier.notify(handle);
        pushed = true;
      }
    }
    return pushed ? 'pushed' : 'reading';
  }
}
