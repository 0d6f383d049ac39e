import type { RateConfig } from '../config/app-config';
import { RateLimitStore } from './rate-limit.store';
import { type Bucket, takeToken, type TakeResult } from './token-bucket';

export interface InMemoryStoreOptions {
  /** Most buckets kept; past it the least recently used is dropped, so a flood of addresses cannot exhaust memory. */
  maxBuckets?: number;
  /** Milliseconds since the epoch; injected by tests. */
  now?: () => number;
}

/** About 100 bytes a bucket: 100,000 buckets stay around 10 MB. */
export const DEFAULT_MAX_BUCKETS = 100_000;

/** Buckets of one instance in a Map whose insertion order is kept as least-recently-used first. */
export class InMemoryRateLimitStore extends RateLimitStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxBuckets: number;
  private readonly now: () => number;

  constructor(options: InMemoryStoreOptions = {}) {
    super();
    this.maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, rate: RateConfig): Promise<TakeResult> {
    const { bucket, result } = takeToken(this.buckets.get(key), rate, this.now());
    // Delete then set moves the key to the end: the Map's first key is the least recently used.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxBuckets) {
      // An evicted bucket starts full again: this fails open for one client rather than for memory.
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    return Promise.resolve(result);
  }

  sweep(): Promise<number> {
    const now = this.now();
    let removed = 0;
    for (const [key, bucket] of this.buckets) {
      if (bucket.fullAt <= now) {
        this.buckets.delete(key);
        removed++;
      }
    }
    return Promise.resolve(removed);
  }
}
