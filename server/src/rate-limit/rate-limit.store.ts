import type { RateConfig } from '../config/app-config';
import type { TakeResult } from './token-bucket';

/**
 * Where token buckets live, keyed by rule and client. The in-memory store
 * serves one instance; a shared store (NATS) makes the limits cluster-wide
 * behind the same two calls, so callers never change.
 */
export abstract class RateLimitStore {
  /** Takes one token from the bucket `key` (created full at `rate`'s capacity when missing). */
  abstract take(key: string, rate: RateConfig): Promise<TakeResult>;

  /** Forgets buckets that have refilled completely (they equal a new bucket); returns how many. */
  abstract sweep(): Promise<number>;
}
