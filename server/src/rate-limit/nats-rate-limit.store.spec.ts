import type { KV, KvEntry, NatsConnection } from 'nats';

import type { NatsClient } from '../nats/nats-client';
import { InMemoryRateLimitStore } from './in-memory-rate-limit.store';
import { kvBucketName, kvKey, NatsRateLimitStore } from './nats-rate-limit.store';

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
  const connection = kv && ({ jetstream: () => ({ views: { kv: (name: string) => (buckets.push(name), Promise.resolve(kv as unknown as KV)) } }) } as unknown as NatsConnection);
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

  it('names one KV per refill time and keys that JetStream accepts', () => {
    expect(kvBucketName({ capacity: 60, perSecond: 1 })).toBe('kez-chat-rate-60s');
    expect(kvBucketName({ capacity: 30, perSecond: 30 / 3600 })).toBe('kez-chat-rate-3600s');
    expect(kvKey('messages:2001:db8::1')).toMatch(/^[-_A-Za-z0-9]+$/);
  });
});
