import type { RateConfig } from '../config/app-config';

/** A bucket's state: tokens left at `updatedAt`, and when it is full again (both in ms). */
export interface Bucket {
  tokens: number;
  updatedAt: number;
  fullAt: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Whole seconds until a token is back: 0 when allowed, else at least 1. */
  retryAfterSeconds: number;
}

/**
 * Takes one token from `bucket` (a missing bucket is full) at time `now` in ms.
 * Tokens refill continuously at `rate.perSecond` up to `rate.capacity`, so a
 * client that stays under the rate is never refused and a burst of `capacity`
 * is allowed after a quiet period. Returns the bucket's next state.
 */
export function takeToken(bucket: Bucket | undefined, rate: RateConfig, now: number): { bucket: Bucket; result: TakeResult } {
  const available = availableTokens(bucket, rate, now);
  const allowed = available >= 1;
  const tokens = allowed ? available - 1 : available;
  // A refused request waits for the missing part of one token; rounding up keeps
  // a client that obeys Retry-After from being refused again.
  const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / rate.perSecond));
  return { bucket: bucketWith(tokens, rate, now), result: { allowed, retryAfterSeconds } };
}

/** Tokens in `bucket` at `now` (ms), refilled since its last update; a missing bucket is full. */
export function availableTokens(bucket: Bucket | undefined, rate: RateConfig, now: number): number {
  if (!bucket) {
    return rate.capacity;
  }
  const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
  return Math.min(rate.capacity, bucket.tokens + elapsedSeconds * rate.perSecond);
}

/** A bucket holding `tokens` at `now` (ms), with the time it is full again. */
export function bucketWith(tokens: number, rate: RateConfig, now: number): Bucket {
  return { tokens, updatedAt: now, fullAt: now + ((rate.capacity - tokens) / rate.perSecond) * 1000 };
}

/**
 * Takes up to `wanted` whole tokens at once from `bucket` at `now`, leaving at
 * least `(1 - 1/share)` of what it holds: a lease spent later by one instance
 * (docs/adr/0001-cluster-rate-limit.md). Returns how many were taken, and the
 * bucket after (unchanged when none were).
 */
export function leaseTokens(
  bucket: Bucket | undefined,
  rate: RateConfig,
  now: number,
  wanted: number,
  share: number,
): { bucket: Bucket | undefined; leased: number } {
  const available = availableTokens(bucket, rate, now);
  const leased = Math.max(0, Math.min(wanted, Math.floor(available / share)));
  return leased > 0 ? { bucket: bucketWith(available - leased, rate, now), leased } : { bucket, leased: 0 };
}

/**
 * Gives `count` unspent leased tokens back to `bucket` at `now`, never past its
 * capacity (a bucket that refilled meanwhile stays full). A missing bucket is
 * full already and stays missing.
 */
export function returnTokens(bucket: Bucket | undefined, rate: RateConfig, now: number, count: number): Bucket | undefined {
  if (!bucket) {
    return undefined;
  }
  return bucketWith(Math.min(rate.capacity, availableTokens(bucket, rate, now) + count), rate, now);
}
