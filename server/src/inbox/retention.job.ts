import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { AppConfig } from '../config/app-config';
import { MessageStore } from './message-store';

/** Rows per DELETE: small, so each statement holds the database for a moment only. */
export const RETENTION_BATCH = 500;

const JOB_NAME = 'inbox-retention';

/**
 * Deletes messages older than `KEZ_CHAT_RETENTION`, at start and every
 * `KEZ_CHAT_RETENTION_SWEEP`, in batches with a turn of the event loop between
 * them so requests keep being served. One sweep at a time per instance.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private running: Promise<number> | undefined;
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly store: MessageStore,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    // At start too: an instance restarted more often than the interval must still sweep.
    setImmediate(() => void this.sweep());
    this.scheduler.addInterval(JOB_NAME, setInterval(() => void this.sweep(), this.config.retentionSweepMs));
  }

  /** Runs one sweep (or joins the running one); resolves how many messages it deleted. */
  sweep(now: number = Date.now()): Promise<number> {
    if (this.stopping) {
      return Promise.resolve(0);
    }
    this.running ??= this.deleteOld(Math.floor((now - this.config.retentionMs) / 1000)).finally(() => (this.running = undefined));
    return this.running;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', JOB_NAME)) {
      this.scheduler.deleteInterval(JOB_NAME);
    }
    await this.running;
  }

  private async deleteOld(createdBefore: number): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const deleted = await this.store.deleteOlderThan(createdBefore, RETENTION_BATCH);
        total += deleted;
        if (deleted < RETENTION_BATCH || this.stopping) {
          break;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      this.logger.error(`sweep failed after deleting ${total} messages: ${String(error)}`);
    }
    if (total > 0) {
      this.logger.log(`deleted ${total} messages older than the retention period`);
    }
    return total;
  }
}
