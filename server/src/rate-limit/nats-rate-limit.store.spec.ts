import type { KV, KvEntry, NatsConnection } from 'nats';

import type { NatsClient } from '../nats/nats-client';
import { InMemoryRateLimitStore } from './in-memory-rate-limit.store';
import { kvBucketName, kvKey, LEASE_OPTIONS, NatsRateLimitStore } from './nats-rate-limit.store';

const TWO_PER_SECOND = { capacity: 2, perSecond: 2 };

/** The part of a JetStream KV the store uses, with revisions checked like the server does. */
class FakeKv {
  readonly entries = new Map<string, { value: Uint8Array; revision: number }>();
  writes = 0;
  failWith?: Error;
  /** Called between a read and the next write, to let "another instance" interfere. */
  beforeWrite?: (key: string) => void;
  private sequence = 0;

  get(key: string): Promise<KvEntry | null> {
    if (this.failWith) {
      return Promise.reject(this.failWith);
    }
    const entry = this.entries.get(key);
    return Promise.resolve(entry ? ({ key, value: entry.value, revision: entry.revision, operation: 'PUT' } as KvEntry) : null);
  }

  create(key: string, value: Uint8Array): Promise<number> {
    return this.write(key, value, 0);
  }

  update(key: string, value: Uint8Array, revision: number): Promise<number> {
    return this.write(key, value, revision);
  }

  private write(key: string, value: Uint8Array, expected: number): Promise<number> {
    this.beforeWrite?.(key);
    const last = this.entries.get(key)?.revision ?? 0;
    if (last !== expected) {
      return Promise.reject(Object.assign(new Error('wrong last sequence'), { api_error: { err_code: 10071 } }));
    }
    this.writes++;
    this.entries.set(key, { value, revision: ++this.sequence });
    return Promise.resolve(this.sequence);
  }
}

function natsWith(kv: FakeKv | undefined): { client: NatsClient; buckets: string[] } {
  const buckets: string[] = [];
  const connection =
    kv && ({ jetstream: () => ({ views: { kv: (name: string) => (buckets.push(name), Promise.resolve(kv as unknown as KV)) } }) } as unknown as NatsConnection);
  return { client: { connection } as NatsClient, buckets };
}

describe(NatsRateLimitStore.name, () => {
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('limits across instances sharing the KV', async () => {
    const kv = new FakeKv();
    const a = new NatsRateLimitStore(natsWith(kv).client, new InMemoryRateLimitStore(), clock);
    const b = new NatsRateLimitStore(natsWith(kv).client, new InMemoryRateLimitStore(), clock);
    expect((await a.take('messages:1.2.3.4', TWO_PER_SECOND)).allowed).toBe(true);
    expect((await b.take('messages:1.2.3.4', TWO_PER_SECOND)).allowed).toBe(true);
    expect(await a.take('messages:1.2.3.4', TWO_PER_SECOND)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 500;
    expect((await b.take('messages:1.2.3.4', TWO_PER_SECOND)).allowed).toBe(true);
  });

  it('writes nothing for a refusal', async () => {
    const kv = new FakeKv();
    const store = new NatsRateLimitStore(natsWith(kv).client, new InMemoryRateLimitStore(), clock);
    for (let i = 0; i < 5; i++) {
      await store.take('k', TWO_PER_SECOND);
    }
    expect(kv.writes).toBe(2);
  });

  it('decides a burst of one client on one instance exactly, with one write per group instead of a conflict each', async () => {
    const kv = new FakeKv();
    const store = new NatsRateLimitStore(natsWith(kv).client, new InMemoryRateLimitStore(), clock);
    const five = { capacity: 5, perSecond: 1 };
    const results = await Promise.all(Array.from({ length: 8 }, () => store.take('k', five)));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false, false, false]);
    // The first take alone, then the seven that came meanwhile together.
    expect(kv.writes).toBe(2);
    expect(await store.take('k', five)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('retries when another instance wrote between read and write', async () => {
    const kv = new FakeKv();
    const store = new NatsRateLimitStore(natsWith(kv).client, new InMemoryRateLimitStore(), clock);
    let conflicts = 0;
    kv.beforeWrite = (key) => {
      if (conflicts++ === 0) {
        // Another instance took a token of the full bucket just now.
        const bucket = { tokens: 1, updatedAt: now, fullAt: now + 500 };
        kv.entries.set(key, { value: new TextEncoder().encode(JSON.stringify(bucket)), revision: 99 });
      }
    };
    expect((await store.take('k', TWO_PER_SECOND)).allowed).toBe(true);
    expect(conflicts).toBe(2);
    // Both takes counted: the bucket of two is empty now.
    expect((await store.take('k', TWO_PER_SECOND)).allowed).toBe(false);
  });

  it('falls back to its own buckets while NATS is away, and never refuses everyone', async () => {
    const store = new NatsRateLimitStore(natsWith(undefined).client, new InMemoryRateLimitStore({ now: clock }), clock);
    expect((await store.take('k', TWO_PER_SECOND)).allowed).toBe(true);
    expect((await store.take('k', TWO_PER_SECOND)).allowed).toBe(true);
    expect((await store.take('k', TWO_PER_SECOND)).allowed).toBe(false);
    expect((await store.take('other', TWO_PER_SECOND)).allowed).toBe(true);
  });

  it('falls back when JetStream fails, and opens the KV again afterwards', async () => {
    const kv = new FakeKv();
    const nats = natsWith(kv);
    const store = new NatsRateLimitStore(nats.client, new InMemoryRateLimitStore({ now: clock }), clock);
    kv.failWith = new Error('TIMEOUT');
    expect((await store.take('k', TWO_PER_SECOND)).allowed).toBe(true);
    expect(kv.writes).toBe(0);
    kv.failWith = undefined;
    expect((await store.take('k', TWO_PER_SECOND)).allowed).toBe(true);
    expect(kv.writes).toBe(1);
    expect(nats.buckets).toEqual([kvBucketName(TWO_PER_SECOND), kvBucketName(TWO_PER_SECOND)]);
  });

  /** The shared bucket's tokens for `key` at the current time, as JetStream holds them (a missing entry is full). */
  function sharedTokens(kv: FakeKv, key: string, rate: { capacity: number; perSecond: number }): number {
    const entry = kv.entries.get(kvKey(key));
    if (!entry) {
      return rate.capacity;
    }
    const bucket = JSON.parse(new TextDecoder().decode(entry.value)) as { tokens: number; updatedAt: number };
    return Math.min(rate.capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate.perSecond);
  }

  describe('leases', () => {
    /** 100 tokens that do not refill within a test. */
    const HUNDRED = { capacity: 100, perSecond: 0.001 };

    /** `count` takes of `key` through `store`, one after another, the clock moving 1 ms each; answers how many were allowed. */
    async function takeInTurn(store: NatsRateLimitStore, key: string, count: number): Promise<number> {
      let allowed = 0;
      for (let i = 0; i < count; i++) {
        now += 1;
        if ((await store.take(key, HUNDRED)).allowed) {
          allowed++;
        }
      }
      return allowed;
    }

    it('decide a busy client on the instance it posts to, with far fewer writes than takes', async () => {
      const kv = new FakeKv();
      const store = new NatsRateLimitStore(natsWith(kv).client, new InMemoryRateLimitStore(), clock);
      expect(await takeInTurn(store, 'k', 80)).toBe(80);
      expect(kv.writes).toBeLessThan(20);
      // What the instance took from the shared bucket covers at least what it allowed.
      expect(100 - sharedTokens(kv, 'k', HUNDRED)).toBeGreaterThanOrEqual(80);
      await store.onModuleDestroy();
    });

    it('never let the cluster allow more than the limit, and give the unspent tokens back after their lifetime', async () => {
      const kv = new FakeKv();
      const a = new NatsRateLimitStore(natsWith(kv).client, new InMemoryRateLimitStore(), clock);
      const b = new NatsRateLimitStore(natsWith(kv).client, new InMemoryRateLimitStore(), clock);
      let allowed = 0;
      // One client hammering both instances in turns of 10.
      for (let round = 0; round < 30; round++) {
        allowed += await takeInTurn(round % 2 === 0 ? a : b, 'k', 10);
      }
      expect(allowed).toBeLessThanOrEqual(100);
      now += LEASE_OPTIONS.lifetimeMs;
      await Promise.all([a.expireLeases(), b.expireLeases()]);
      // Every token the instances held back is in the shared bucket again: in all, exactly the limit.
      allowed += await takeInTurn(b, 'k', 100);
      expect(allowed).toBe(100);
      await Promise.all([a.onModuleDestroy(), b.onModuleDestroy()]);
    });

    it('take none ahead for a client seen once, and at most a quarter of a bucket near its end', async () => {
      const kv = new FakeKv();
      const store = new NatsRateLimitStore(natsWith(kv).client, new InMemoryRateLimitStore(), clock);
      await takeInTurn(store, 'once', 1);
      expect(sharedTokens(kv, 'once', HUNDRED)).toBeCloseTo(99);
      const small = { capacity: 6, perSecond: 0.001 };
      const results = [];
      for (let i = 0; i < 8; i++) {
        now += 1;
        results.push((await store.take('small', small)).allowed);
      }
      expect(results).toEqual([true, true, true, true, true, true, false, false]);
      await store.onModuleDestroy();
    });

    it('give their tokens back when the instance shuts down', async () => {
      const kv = new FakeKv();
      const store = new NatsRateLimitStore(natsWith(kv).client, new InMemoryRateLimitStore(), clock);
      await takeInTurn(store, 'k', 20);
      expect(sharedTokens(kv, 'k', HUNDRED)).toBeLessThan(80);
      await store.onModuleDestroy();
      expect(sharedTokens(kv, 'k', HUNDRED)).toBeCloseTo(80);
    });

    it('are spent while NATS is away: those tokens were taken from the shared bucket already', async () => {
      const kv = new FakeKv();
      const nats = natsWith(kv);
      const store = new NatsRateLimitStore(nats.client, new InMemoryRateLimitStore({ now: clock }), clock);
      await takeInTurn(store, 'k', 10);
      const leasedWrites = kv.writes;
      kv.failWith = new Error('TIMEOUT');
      const fallbackTakes = jest.spyOn(InMemoryRateLimitStore.prototype, 'take');
      // The next take is served by the lease: neither JetStream nor the fallback is asked.
      expect((await store.take('k', HUNDRED)).allowed).toBe(true);
      expect(fallbackTakes).not.toHaveBeenCalled();
      fallbackTakes.mockRestore();
      expect(kv.writes).toBe(leasedWrites);
      kv.failWith = undefined;
      await store.onModuleDestroy();
    });
  });

  it('keeps the arithmetic of each rate apart when two rules share a refill time (and so a KV)', async () => {
    const kv = new FakeKv();
    const store = new NatsRateLimitStore(natsWith(kv).client, new InMemoryRateLimitStore(), clock);
    const sixtyPerMinute = { capacity: 60, perSecond: 1 };
    const sixHundredPerMinute = { capacity: 600, perSecond: 10 };
    expect(kvBucketName(sixtyPerMinute)).toBe(kvBucketName(sixHundredPerMinute));
    expect((await store.take('a', sixtyPerMinute)).allowed).toBe(true);
    const results = await Promise.all(Array.from({ length: 100 }, () => store.take('b', sixHundredPerMinute)));
    expect(results.every((r) => r.allowed)).toBe(true);
    await store.onModuleDestroy();
  });

  it('names one KV per refill time and keys that JetStream accepts', () => {
    expect(kvBucketName({ capacity: 60, perSecond: 1 })).toBe('kez-chat-rate-60s');
    expect(kvBucketName({ capacity: 30, perSecond: 30 / 3600 })).toBe('kez-chat-rate-3600s');
    expect(kvKey('messages:2001:db8::1')).toMatch(/^[-_A-Za-z0-9]+$/);
  });
});
