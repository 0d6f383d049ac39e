import type { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';

/** Rows per DELETE: small, so each statement holds the database for a moment only. */
export const RETENTION_BATCH = 500;

/** What a sweep is called in the scheduler and in its log lines. */
export interface SweepNames {
  /** The scheduler's interval name, unique per app. */
  readonly job: string;
  /** What the rows are, e.g. "messages". */
  readonly rows: string;
  /** Why they go, e.g. "older than the retention period". */
  readonly reason: string;
}

/**
 * A periodic deletion of old rows (messages, relay events): at start and every
 * `intervalMs`, in batches of RETENTION_BATCH with a turn of the event loop between
 * them so requests keep being served; one sweep at a time per instance, a sweep
 * asked for meanwhile joins it, and shutdown waits for it. Subclasses say what a
 * batch deletes in `sweep`.
 */
export abstract class BatchedSweep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: Promise<number> | undefined;
  private stopping = false;

  protected constructor(
    private readonly names: SweepNames,
    private readonly intervalMs: number,
    private readonly scheduler: SchedulerRegistry,
    private readonly logger: Logger,
  ) {}

  /** Runs one sweep now (or joins the running one); resolves how many rows it deleted. */
  abstract sweep(): Promise<number>;

  onApplicationBootstrap(): void {
    // At start too: an instance restarted more often than the interval must still sweep.
    setImmediate(() => void this.sweep());
    this.scheduler.addInterval(
      this.names.job,
      setInterval(() => void this.sweep(), this.intervalMs),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', this.names.job)) {
      this.scheduler.deleteInterval(this.names.job);
    }
    await this.running;
  }

  /** Deletes with `deleteBatch(limit)` until a batch comes back short; joins a sweep already running. */
  protected run(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
    if (this.stopping) {
      return Promise.resolve(0);
    }
    this.running ??= this.deleteAll(deleteBatch).finally(() => (this.running = undefined));
    return this.running;
  }

  private async deleteAll(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const deleted = await deleteBatch(RETENTION_BATCH);
        total += deleted;
        if (deleted < RETENTION_BATCH || this.stopping) {
          break;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      this.logger.error(`sweep failed after deleting ${total} ${this.names.rows}: ${String(error)}`);
    }
    if (total > 0) {
      this.logger.log(`deleted ${total} ${this.names.rows} ${this.names.reason}`);
    }
    return total;
  }
}
