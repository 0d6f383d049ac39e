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
  const elapsedSeconds = bucket ? Math.max(0, now - bucket.updatedAt) / 1000 : 0;
  const available = bucket ? Math.min(rate.capacity, bucket.tokens + elapsedSeconds * rate.perSecond) : rate.capacity;
  const allowed = available >= 1;
  const tokens = allowed ? available - 1 : available;
  const next: Bucket = { tokens, updatedAt: now, fullAt: now + ((rate.capacity - tokens) / rate.perSecond) * 1000 };
  // A refused request waits for the missing part of one token; rounding up keeps
  // a client that obeys Retry-After from being refused again.
  const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / rate.perSecond));
  return { bucket: next, result: { allowed, retryAfterSeconds } };
}
