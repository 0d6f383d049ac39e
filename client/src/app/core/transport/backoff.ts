import { backoffDelay, type BackoffPolicy } from '@kez/protocol';

// Delays between reconnect attempts: exponential, capped, with jitter so that many
// clients cut off by the same server restart do not all come back in the same instant.
// The rule itself is backoffDelay in @kez/protocol; this keeps the attempt count.

/**
 * For the inbox stream: 500 ms doubling to 5 s, each delay between half and the full
 * value. The 5 s cap keeps "Live" within a few seconds of a server's return (a 15 s
 * cap left people waiting 11–15 s); the jitter still spreads a crowd.
 */
export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 5_000, factor: 2, jitter: -0.5 };

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
