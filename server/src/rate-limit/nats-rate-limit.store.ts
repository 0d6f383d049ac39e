import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { type KV, type KvEntry, type NatsConnection, StorageType } from 'nats';

import type { RateConfig } from '../config/app-config';
import type { NatsClient } from '../nats/nats-client';
import { KeyedBatches } from './keyed-batches';
import { RateLimitStore } from './rate-limit.store';
import { type Bucket, leaseTokens, returnTokens, takeToken, type TakeResult } from './token-bucket';
import { type LeaseOptions, TokenLeases } from './token-leases';

/** Deadline of one JetStream call; past it the request is decided by this instance alone. */
const KV_TIMEOUT_MS = 500;
/** Compare-and-set attempts before a contended bucket is decided by this instance alone. */
const MAX_ATTEMPTS = 5;
/** Ceiling on the shared state: past it writes fail, and requests fall back to local buckets. */
const KV_MAX_BYTES = 64 * 1024 * 1024;
/** JetStream's "wrong last sequence": someone else wrote the bucket since we read it. */
const WRONG_LAST_SEQUENCE = 10071;

/**
 * Leases (docs/adr/0001-cluster-rate-limit.md): unspent tokens go back after a
 * second; one lease holds at most 256 tokens, and at most a quarter of what the
 * shared bucket holds, so a bucket near empty is decided request by request.
 */
export const LEASE_OPTIONS: LeaseOptions = { lifetimeMs: 1000, maxTokens: 256 };
/** A lease takes at most 1/LEASE_SHARE of the shared bucket's tokens. */
export const LEASE_SHARE = 4;

const ALLOWED: TakeResult = { allowed: true, retryAfterSeconds: 0 };

/** What one shared take decided: the waiting requests' results and the tokens leased beyond them. */
interface SharedTake {
  results: TakeResult[];
  leased: number;
}

/** The shared-bucket work of one rate (one rule, or rules with the same rate). */
interface RateState {
  rate: RateConfig;
  /** Takes of one key on this instance, grouped: one read and one compare-and-set per group. */
  batches: KeyedBatches<TakeResult | undefined>;
  leases: TokenLeases;
}

/**
 * Token buckets shared by every instance in a JetStream key-value bucket, so a
 * limit holds for the whole cluster (docs/adr/0001-cluster-rate-limit.md).
 *
 * A shared take reads the bucket, computes the next state with the same
 * token-bucket arithmetic as one instance, and writes it only if nobody wrote in
 * between (compare-and-set on the entry's revision), retrying on conflict. A
 * refusal writes nothing: the stored state already implies it. Entries expire on
 * their own once a bucket would be full again, so NATS needs no sweep.
 *
 * A client that keeps sending to this instance gets a lease: its shared takes
 * also take a few tokens ahead (its recent rate over one lease lifetime), which
 * its next requests spend here without a round trip; the lease is refilled
 * before it runs out, and what is unspent after its lifetime goes back to the
 * shared bucket. Tokens are always taken from the shared bucket before they are
 * spent, so the cluster never allows more than the limit.
 *
 * With NATS off, away, slow or failing, the same request is decided by the
 * per-instance `fallback`: a NATS outage weakens the limit to one per instance,
 * never to no limit and never to refusing everyone.
 */
export class NatsRateLimitStore extends RateLimitStore implements OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private readonly views = new Map<string, Promise<KV>>();
  /** Per rate, since two rules with one refill time share a KV but not their arithmetic. */
  private readonly rates = new Map<string, RateState>();
  private expiryTimer?: NodeJS.Timeout;
  private degraded = false;

  constructor(
    private readonly nats: NatsClient,
    private readonly fallback: RateLimitStore,
    private readonly now: () => number = Date.now,
    private readonly leaseOptions: LeaseOptions = LEASE_OPTIONS,
  ) {
    super();
  }

  async take(key: string, rate: RateConfig): Promise<TakeResult> {
    const state = this.stateFor(rate);
    const id = kvKey(key);
    if (state.leases.spend(id, this.now())) {
      if (state.leases.low(id)) {
        // Refill ahead, so the request that would empty the lease does not wait.
        state.batches.prime(id);
      }
      return ALLOWED;
    }
    if (this.nats.connection) {
      const result = await state.batches.submit(id);
      if (result) {
        return result;
      }
    }
    return this.fallback.take(key, rate);
  }

  /** Shared entries expire by themselves; only the fallback's buckets need sweeping. */
  sweep(): Promise<number> {
    return this.fallback.sweep();
  }

  /**
   * Gives every unspent lease back at shutdown, so a deploy does not hold clients'
   * tokens away from the other instances until their buckets refill.
   */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.expiryTimer);
    this.expiryTimer = undefined;
    await Promise.all([...this.rates.values()].flatMap((state) => state.leases.endAll().map((ended) => this.giveBack(state.rate, ended.key, ended.tokens))));
  }

  /** Ends the leases past their lifetime and gives their unspent tokens back; called on a timer, and by tests. */
  async expireLeases(): Promise<void> {
    const now = this.now();
    await Promise.all([...this.rates.values()].flatMap((state) => state.leases.expire(now).map((ended) => this.giveBack(state.rate, ended.key, ended.tokens))));
  }

  private stateFor(rate: RateConfig): RateState {
    const id = `${rate.capacity}/${rate.perSecond}`;
    let state = this.rates.get(id);
    if (!state) {
      const leases = new TokenLeases(this.leaseOptions);
      // Requests of one client arriving while its bucket is being updated wait and then go together
      // (a burst from one address would otherwise be a queue of compare-and-set conflicts).
      state = { rate, leases, batches: new KeyedBatches((key, count) => this.run(rate, leases, key, count)) };
      this.rates.set(id, state);
    }
    return state;
  }

  /**
   * One group of `count` waiting takes of `key` (0 for a refill ahead of need):
   * the lease's tokens first (a refill may have landed while they waited), the
   * rest decided at the shared bucket together with the next lease. Answers
   * undefined for the takes that JetStream could not decide (away, failing,
   * contended), which the caller sends to the fallback.
   */
  private async run(rate: RateConfig, leases: TokenLeases, key: string, count: number): Promise<(TakeResult | undefined)[]> {
    const fromLease: TakeResult[] = [];
    while (fromLease.length < count && leases.spend(key, this.now())) {
      fromLease.push(ALLOWED);
    }
    const rest = count - fromLease.length;
    if (rest === 0 && !leases.low(key)) {
      return fromLease;
    }
    const undecided = (): undefined[] => new Array<undefined>(rest).fill(undefined);
    const nc = this.nats.connection;
    if (!nc) {
      return [...fromLease, ...undecided()];
    }
    const bucketName = kvBucketName(rate);
    try {
      const now = this.now();
      const shared = await this.takeShared(await this.view(nc, bucketName, rate), key, rate, rest, leases.wanted(key, now));
      this.setDegraded(false);
      if (!shared) {
        return [...fromLease, ...undecided()];
      }
      leases.granted(key, this.now(), shared.results.filter((r) => r.allowed).length, shared.leased);
      if (shared.leased > 0) {
        this.startExpiry();
      }
      return [...fromLease, ...shared.results];
    } catch (error) {
      // The KV may be gone (a NATS restart loses memory storage): make it again next time.
      this.views.delete(bucketName);
      this.setDegraded(true, error);
      return [...fromLease, ...undecided()];
    }
  }

  /**
   * `count` takes from one bucket and a lease of up to `wanted` tokens, as one
   * compare-and-set: the decisions in order, each as if taken one after another,
   * then the lease from what is left; undefined when the bucket stayed contended
   * through every attempt.
   */
  private takeShared(kv: KV, key: string, rate: RateConfig, count: number, wanted: number): Promise<SharedTake | undefined> {
    return this.compareAndSet(kv, key, (stored, now) => {
      let bucket = stored;
      const results: TakeResult[] = [];
      for (let i = 0; i < count; i++) {
        const take = takeToken(bucket, rate, now);
        results.push(take.result);
        if (take.result.allowed) {
          // A refusal writes nothing: the stored state already implies it.
          bucket = take.bucket;
        }
      }
      const lease = leaseTokens(bucket, rate, now, wanted, LEASE_SHARE);
      return { bucket: lease.bucket, answer: { results, leased: lease.leased } };
    });
  }

  /** Gives `tokens` unspent leased tokens back to the shared bucket `key`; on failure they stay spent (the limit errs strict). */
  private async giveBack(rate: RateConfig, key: string, tokens: number): Promise<void> {
    const nc = this.nats.connection;
    if (!nc) {
      return;
    }
    try {
      const kv = await this.view(nc, kvBucketName(rate), rate);
      await this.compareAndSet(kv, key, (stored, now) => ({ bucket: returnTokens(stored, rate, now, tokens), answer: true }));
    } catch (error) {
      this.logger.debug(`could not give back ${tokens} leased tokens: ${String(error)}`);
    }
  }

  /**
   * Reads `key`, lets `next` compute the new state from it, and writes that state
   * if nobody wrote in between, retrying from the read on conflict. `next` answers
   * the same bucket object it got (or undefined for a missing one) when there is
   * nothing to write. Undefined after `MAX_ATTEMPTS` conflicts.
   */
  private async compareAndSet<T>(
    kv: KV,
    key: string,
    next: (stored: Bucket | undefined, now: number) => { bucket: Bucket | undefined; answer: T },
  ): Promise<T | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const entry = await kv.get(key);
      const stored = entry && entry.operation === 'PUT' ? decodeBucket(entry) : undefined;
      const { bucket, answer } = next(stored, this.now());
      if (bucket === stored || !bucket) {
        return answer;
      }
      try {
        const value = new TextEncoder().encode(JSON.stringify(bucket));
        if (entry) {
          await kv.update(key, value, entry.revision);
        } else {
          // Missing or expired: create fails if another instance created it first.
          await kv.create(key, value);
        }
        return answer;
      } catch (error) {
        if (!isWrongLastSequence(error)) {
          throw error;
        }
      }
    }
    return undefined;
  }

  /** One timer for every lease of this instance, started by the first lease and never holding the process open. */
  private startExpiry(): void {
    if (!this.expiryTimer) {
      this.expiryTimer = setInterval(() => void this.expireLeases(), this.leaseOptions.lifetimeMs / 2);
      this.expiryTimer.unref();
    }
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
