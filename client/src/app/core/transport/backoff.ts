// Delays between reconnect attempts: exponential, capped, with jitter so that many
// clients cut off by the same server restart do not all come back in the same instant.

export interface BackoffOptions {
  /** First delay, before jitter. */
  readonly baseMs: number;
  readonly maxMs: number;
  readonly factor: number;
  /** Share of each delay that is random: 0 = none, 0.5 = between half and the full delay. */
  readonly jitter: number;
}

/**
 * For the inbox stream. The 5 s cap keeps "Live" within a few seconds of a server's
 * return (a 15 s cap left people waiting 11–15 s); the jitter still spreads a crowd.
 */
export const RECONNECT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 5_000, factor: 2, jitter: 0.5 };

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions = RECONNECT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call backs off further, up to the cap. */
  next(): number {
    const { baseMs, maxMs, factor, jitter } = this.options;
    const ceiling = Math.min(maxMs, baseMs * factor ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 64);
    return Math.round(ceiling * (1 - jitter * this.random()));
  }

  /** After a success: the next failure starts from the base delay again. */
  reset(): void {
    this.attempt = 0;
  }
}
