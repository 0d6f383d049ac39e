import { Logger } from '@nestjs/common';
import { type KV, type KvEntry, type NatsConnection, StorageType } from 'nats';

import type { RateConfig } from '../config/app-config';
import type { NatsClient } from '../nats/nats-client';
import { KeyedBatches } from './keyed-batches';
import { RateLimitStore } from './rate-limit.store';
import { type Bucket, takeToken, type TakeResult } from './token-bucket';

/** Deadline of one JetStream call; past it the request is decided by this instance alone. */
const KV_TIMEOUT_MS = 500;
/** Compare-and-set attempts before a contended bucket is decided by this instance alone. */
const MAX_ATTEMPTS = 5;
/** Ceiling on the shared state: past it writes fail, and requests fall back to local buckets. */
const KV_MAX_BYTES = 64 * 1024 * 1024;
/** JetStream's "wrong last sequence": someone else wrote the bucket since we read it. */
const WRONG_LAST_SEQUENCE = 10071;

/**
 * Token buckets shared by every instance in a JetStream key-value bucket, so a
 * limit holds for the whole cluster (docs/adr/0001-cluster-rate-limit.md).
 *
 * Each take reads the bucket, computes the next state with the same token-bucket
 * arithmetic as one instance, and writes it only if nobody wrote in between
 * (compare-and-set on the entry's revision), retrying on conflict. A refusal
 * writes nothing: the stored state already implies it. Entries expire on their
 * own once a bucket would be full again, so NATS needs no sweep.
 *
 * With NATS off, away, slow or failing, the same request is decided by the
 * per-instance `fallback`: a NATS outage weakens the limit to one per instance,
 * never to no limit and never to refusing everyone.
 */
export class NatsRateLimitStore extends RateLimitStore {
  private readonly logger = new Logger('RateLimit');
  private readonly views = new Map<string, Promise<KV>>();
  /** Takes of one bucket on this instance, grouped: one read and one compare-and-set per group. */
  private readonly batches = new Map<string, KeyedBatches<TakeResult | undefined>>();
  private degraded = false;

  constructor(
    private readonly nats: NatsClient,
    private readonly fallback: RateLimitStore,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async take(key: string, rate: RateConfig): Promise<TakeResult> {
    const nc = this.nats.connection;
    if (nc) {
      const bucketName = kvBucketName(rate);
      try {
        const result = await this.batchesFor(bucketName, rate).submit(kvKey(key));
        if (result) {
          this.setDegraded(false);
          return result;
        }
      } catch (error) {
        // The KV may be gone (a NATS restart loses memory storage): make it again next time.
        this.views.delete(bucketName);
        this.setDegraded(true, error);
      }
    }
    return this.fallback.take(key, rate);
  }

  /** Shared entries expire by themselves; only the fallback's buckets need sweeping. */
  sweep(): Promise<number> {
    return this.fallback.sweep();
  }

  /**
   * The takes of one KV bucket. Requests of one client arriving while its bucket
   * is being updated wait and then go together (a burst from one address would
   * otherwise be a queue of compare-and-set conflicts, each a JetStream round trip).
   */
  private batchesFor(bucketName: string, rate: RateConfig): KeyedBatches<TakeResult | undefined> {
    let batches = this.batches.get(bucketName);
    if (!batches) {
      batches = new KeyedBatches(async (key, count) => {
        const nc = this.nats.connection;
        if (!nc) {
          throw new Error('NATS is not connected');
        }
        return this.takeShared(await this.view(nc, bucketName, rate), key, rate, count);
      });
      this.batches.set(bucketName, batches);
    }
    return batches;
  }

  /**
   * `count` takes from one bucket as one compare-and-set: the decisions in order,
   * each as if taken one after another; all undefined when the bucket stayed
   * contended through every attempt.
   */
  private async takeShared(kv: KV, key: string, rate: RateConfig, count: number): Promise<(TakeResult | undefined)[]> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const entry = await kv.get(key);
      let bucket = entry && entry.operation === 'PUT' ? decodeBucket(entry) : undefined;
      const now = this.now();
      const results: TakeResult[] = [];
      let changed = false;
      for (let i = 0; i < count; i++) {
        const taken = takeToken(bucket, rate, now);
        results.push(taken.result);
        if (taken.result.allowed) {
          // A refusal writes nothing: the stored state already implies it.
          bucket = taken.bucket;
          changed = true;
        }
      }
      if (!changed) {
        return results;
      }
      try {
        const value = new TextEncoder().encode(JSON.stringify(bucket));
        if (entry) {
          await kv.update(key, value, entry.revision);
        } else {
          // Missing or expired: create fails if another instance created it first.
          await kv.create(key, value);
        }
        return results;
      } catch (error) {
        if (!isWrongLastSequence(error)) {
          throw error;
        }
      }
    }
    return Array.from({ length: count }, () => undefined);
  }

  private view(nc: NatsConnection, name: string, rate: RateConfig): Promise<KV> {
    let view = this.views.get(name);
    if (!view) {
      view = nc.jetstream({ timeout: KV_TIMEOUT_MS }).views.kv(name, {
        history: 1,
        ttl: refillMs(rate),
        // Soft state: losing it in a NATS restart only refills everyone's buckets.
        storage: StorageType.Memory,
        max_bytes: KV_MAX_BYTES,
        timeout: KV_TIMEOUT_MS,
      });
      view.catch(() => this.views.delete(name));
      this.views.set(name, view);
    }
    return view;
  }

  private setDegraded(degraded: boolean, error?: unknown): void {
    if (degraded !== this.degraded) {
      this.degraded = degraded;
      if (degraded) {
        this.logger.warn(`shared rate limits unavailable (${String(error)}); limiting per instance until NATS answers`);
      } else {
        this.logger.log('shared rate limits available again');
      }
    }
  }
}

/** Time for an empty bucket to fill: after it, a stored bucket equals a missing one, so entries may expire. */
function refillMs(rate: RateConfig): number {
  return Math.ceil((rate.capacity / rate.perSecond) * 1000);
}

/**
 * One KV bucket per refill time, since a KV has one TTL for all its entries;
 * rules with the same refill time share one. Changing a rate starts a new KV.
 */
export function kvBucketName(rate: RateConfig): string {
  return `kez-chat-rate-${Math.ceil(refillMs(rate) / 1000)}s`;
}

/** KV keys allow `[-/_=.a-zA-Z0-9]`; IPv6 keys have colons, so keys are base64url. */
export function kvKey(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeBucket(entry: KvEntry): Bucket | undefined {
  try {
    const bucket = JSON.parse(new TextDecoder().decode(entry.value)) as Partial<Bucket>;
    if (typeof bucket.tokens === 'number' && typeof bucket.updatedAt === 'number' && typeof bucket.fullAt === 'number') {
      return bucket as Bucket;
    }
  } catch {
    // a value we did not write is treated as a missing bucket
  }
  return undefined;
}

function isWrongLastSequence(error: unknown): boolean {
  return (error as { api_error?: { err_code?: number } })?.api_error?.err_code === WRONG_LAST_SEQUENCE;
}
