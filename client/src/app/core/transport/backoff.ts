import { backoffDelay, type BackoffPolicy } from '@kez/protocol';

// Delays between reconnect attempts: exponential, capped, with jitter so that many
// clients cut off by the same server restart do not all come back in the same instant.
// The rule itself is backoffDelay in @kez/protocol; this keeps the attempt count.

/** Reconnects: 500 ms doubling to 15 s, each delay between half and the full value. */
export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 15_000, factor: 2, jitter: -0.5 };

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly policy: BackoffPolicy = RECONNECT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call backs off further, up to the cap. */
  next(): number {
    const delay = backoffDelay(this.policy, this.attempt, this.random);
    this.attempt = Math.min(this.attempt + 1, 64);
    return delay;
  }

  /** After a success: the next failure starts from the base delay again. */
  reset(): void {
    this.attempt = 0;
  }
}
