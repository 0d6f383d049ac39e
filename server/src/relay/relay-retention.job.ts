import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { nowSeconds } from '@kez/crypto';

import { AppConfig } from '../config/app-config';
import { RETENTION_BATCH } from '../inbox/retention.job';
import { RelayEventStore } from './relay-event-store';

const JOB_NAME = 'relay-retention';

/**
 * Deletes relay events received longer than `KEZ_CHAT_RETENTION` ago (as for
 * inbox messages) and events past their NIP-40 expiration, at start and every
 * `KEZ_CHAT_RETENTION_SWEEP`, in small batches. Expired events are already
 * never served; this frees their rows.
 */
@Injectable()
export class RelayRetentionJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RelayRetention');
  private running: Promise<number> | undefined;
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly store: RelayEventStore,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    setImmediate(() => void this.sweep());
    this.scheduler.addInterval(JOB_NAME, setInterval(() => void this.sweep(), this.config.retentionSweepMs));
  }

  /** Runs one sweep (or joins the running one); resolves how many events it deleted. */
  sweep(now = nowSeconds()): Promise<number> {
    if (this.stopping) {
      return Promise.resolve(0);
    }
    this.running ??= this.deleteOld(now).finally(() => (this.running = undefined));
    return this.running;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', JOB_NAME)) {
      this.scheduler.deleteInterval(JOB_NAME);
    }
    await this.running;
  }

  private async deleteOld(now: number): Promise<number> {
    const receivedBefore = now - Math.floor(this.config.retentionMs / 1000);
    let total = 0;
    try {
      for (;;) {
        const deleted = await this.store.deleteOld(receivedBefore, now, RETENTION_BATCH);
        total += deleted;
        if (deleted < RETENTION_BATCH || this.stopping) {
          break;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      this.logger.error(`sweep failed after deleting ${total} relay events: ${String(error)}`);
    }
    if (total > 0) {
      this.logger.log(`deleted ${total} relay events past retention or expiration`);
    }
    return total;
  }
}
