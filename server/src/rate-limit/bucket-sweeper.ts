import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';

import { RateLimitStore } from './rate-limit.store';

/** How often full buckets are dropped; they carry no information, so this only bounds memory. */
export const SWEEP_INTERVAL_MS = 60_000;

@Injectable()
export class BucketSweeper {
  private readonly logger = new Logger('RateLimit');

  constructor(private readonly store: RateLimitStore) {}

  @Interval('rate-limit-sweep', SWEEP_INTERVAL_MS)
  async sweep(): Promise<void> {
    const removed = await this.store.sweep();
    if (removed > 0) {
      this.logger.debug(`dropped ${removed} idle rate-limit buckets`);
    }
  }
}
