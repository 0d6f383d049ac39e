import { Injectable } from '@nestjs/common';

export interface PushCounts {
  /** Pushes a push service accepted (2xx). */
  sent: number;
  /** Pushes given up on after their last attempt, or refused outright. */
  failed: number;
  /** Attempts scheduled again after a 429, 5xx, timeout or network error. */
  retried: number;
  /** Subscriptions deleted because their push service answered 404 or 410. */
  expired: number;
  /** Pushes not queued because the queue was full. */
  dropped: number;
}

/** Counters of the push fanout since start, for the Ops module and tests. */
@Injectable()
export class PushMetrics {
  private readonly counts: PushCounts = { sent: 0, failed: 0, retried: 0, expired: 0, dropped: 0 };

  add(counter: keyof PushCounts): void {
    this.counts[counter]++;
  }

  snapshot(): Readonly<PushCounts> {
    return { ...this.counts };
  }
}
