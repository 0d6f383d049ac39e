import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { BatchedSweep } from '../common/retention/batched-sweep';
import { AppConfig } from '../config/app-config';
import { MessageStore } from './message-store';

export { RETENTION_BATCH } from '../common/retention/batched-sweep';

/** Deletes messages older than `KEZ_CHAT_RETENTION`, at start and every `KEZ_CHAT_RETENTION_SWEEP` (BatchedSweep). */
@Injectable()
export class RetentionJob extends BatchedSweep {
  constructor(
    private readonly config: AppConfig,
    private readonly store: MessageStore,
    scheduler: SchedulerRegistry,
  ) {
    super({ job: 'inbox-retention', rows: 'messages', reason: 'older than the retention period' }, config.retentionSweepMs, scheduler, new Logger('Retention'));
  }

  /** One sweep as of `now` (ms since the epoch); resolves how many messages it deleted. */
  sweep(now: number = Date.now()): Promise<number> {
    const createdBefore = Math.floor((now - this.config.retentionMs) / 1000);
    return this.run((limit) => this.store.deleteOlderThan(createdBefore, limit));
  }
}
