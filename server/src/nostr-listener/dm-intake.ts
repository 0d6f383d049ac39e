import { Injectable, Logger } from '@nestjs/common';

import { nowSeconds } from '@kez/crypto';

import { PushNotifier } from '../push/push-notifier';
import { HandleStore } from '../registry/handle-store';
import { checkDmEvent, type DropReason } from './dm-event';
import { NostrMetrics } from './nostr-metrics';
import { NostrSeenStore } from './nostr-seen-store';
import { SeenIds } from './seen-ids';

/** Ids remembered in memory; the contract asks for at least the last 10,000. */
export const SEEN_IDS_CAPACITY = 20_000;

export type IntakeResult = 'pushed' | DropReason | 'unregistered' | 'claimed_elsewhere';

/**
 * Turns DMs from any relay into pushes: checks the event, drops what this
 * instance has seen, finds the handles of the `q` addrs, and lets the database
 * pick the one instance of the cluster that pushes. The push carries nothing.
 */
@Injectable()
export class DmIntake {
  private readonly logger = new Logger(DmIntake.name);
  private readonly seen = new SeenIds(SEEN_IDS_CAPACITY);

  constructor(
    private readonly handles: HandleStore,
    private readonly claims: NostrSeenStore,
    private readonly notifier: PushNotifier,
    private readonly metrics: NostrMetrics,
  ) {}

  /** For relay callbacks: never throws, never makes the relay wait. */
  accept(event: unknown): void {
    this.process(event).catch((error: unknown) => this.logger.error(`nostr event dropped: ${String(error)}`));
  }

  async process(event: unknown, now = nowSeconds()): Promise<IntakeResult> {
    const result = await this.decide(event, now);
    this.metrics.counted(result);
    return result;
  }

  private async decide(event: unknown, now: number): Promise<IntakeResult> {
    const verdict = checkDmEvent(event, now, this.seen);
    if (!verdict.ok) {
      return verdict.reason;
    }
    // Synchronously after the check, so copies from other relays arriving meanwhile are dropped as seen.
    this.seen.add(verdict.id);
    let handles: string[];
    try {
      handles = (await this.handles.findAllByAddrs(verdict.recipients)).map((row) => row.handle);
      if (handles.length === 0) {
        return 'unregistered';
      }
      if (!(await this.claims.claim(verdict.id, verdict.createdAt, now))) {
        return 'claimed_elsewhere';
      }
    } catch (error) {
      // Let a copy from another relay try again once the database answers.
      this.seen.delete(verdict.id);
      throw error;
    }
    for (const handle of handles) {
      this.notifier.notify(handle);
    }
    return 'pushed';
  }
}
