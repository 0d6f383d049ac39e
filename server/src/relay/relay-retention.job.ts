import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { nowSeconds } from '@kez/crypto';

import { BatchedSweep } from '../common/retention/batched-sweep';
import { AppConfig } from '../config/app-config';
import { RelayEventStore } from './relay-event-store';

/**
 * Deletes relay events received longer than `KEZ_CHAT_RETENTION` ago (as for inbox
 * messages) and events past their NIP-40 expiration, on the same schedule as the
 * inbox (BatchedSweep). Expired events are already never served; this frees their rows.
 */
@Injectable()
export class RelayRetentionJob extends BatchedSweep {
  constructor(
    private readonly config: AppConfig,
    private readonly store: RelayEventStore,
    scheduler: SchedulerRegistry,
  ) {
    super(
      { job: 'relay-retention', rows: 'relay events', reason: 'past retention or expiration' },
      config.retentionSweepMs,
      scheduler,
      new Logger('RelayRetention'),
    );
  }

  /** One sweep as of `now` (unix seconds); resolves how many events it deleted. */
  sweep(now = nowSeconds()): Promise<number> {
    const receivedBefore = now - Math.floor(this.config.retentionMs / 1000);
    return this.run((limit) => this.store.deleteOld(receivedBefore, now, limit));
  }
}
