// One rule for pacing retries, shared by the server (push delivery, relay
// reconnects) and the client (stream and relay reconnects), so every retry loop in
// KEZ backs off the same way and a fix to it lands everywhere.

/** How a retry loop spaces its attempts. */
export interface BackoffPolicy {
  /** Delay before the first retry, in ms, before jitter. */
  readonly baseMs: number;
  /** Largest delay before jitter, in ms. */
  readonly maxMs: number;
  /** Growth per attempt; 2 doubles. */
  readonly factor: number;
  /**
   * Share of the delay that is random, so many peers cut off by the same event do
   * not come back in the same instant: 0.2 adds up to 20 %, −0.5 takes off up to half.
   */
  readonly jitter: number;
}

/**
 * The delay before retry number `attempt` (0 for the first retry): base × factor^attempt,
 * capped, then jittered by `random()` ∈ [0, 1). Rounded to whole ms; never negative.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * policy.factor ** Math.min(Math.max(attempt, 0), 64));
  return Math.max(0, Math.round(ceiling * (1 + policy.jitter * random())));
}
