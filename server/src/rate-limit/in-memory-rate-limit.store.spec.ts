import { InMemoryRateLimitStore } from './in-memory-rate-limit.store';

const TWO_PER_SECOND = { capacity: 2, perSecond: 2 };

describe(InMemoryRateLimitStore.name, () => {
  let now: number;
  const storeWith = (maxBuckets?: number) => new InMemoryRateLimitStore({ maxBuckets, now: () => now });

  beforeEach(() => {
    now = 1_000_000;
  });

  it('keeps one bucket per key', async () => {
    const store = storeWith();
    await store.take('a', TWO_PER_SECOND);
    await store.take('a', TWO_PER_SECOND);
    expect(await store.take('a', TWO_PER_SECOND)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await store.take('b', TWO_PER_SECOND)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(store.size).toBe(2);
  });

  it('refills with the injected clock', async () => {
    const store = storeWith();
    await store.take('a', TWO_PER_SECOND);
    await store.take('a', TWO_PER_SECOND);
    now += 500;
    expect((await store.take('a', TWO_PER_SECOND)).allowed).toBe(true);
    expect((await store.take('a', TWO_PER_SECOND)).allowed).toBe(false);
  });

  it('sweeps only buckets that are full again', async () => {
    const store = storeWith();
    await store.take('idle', TWO_PER_SECOND);
    now += 400;
    await store.take('busy', TWO_PER_SECOND);
    await store.take('busy', TWO_PER_SECOND);
    // 'idle' was one token short 500 ms ago; 'busy' is two short and needs 1 s more.
    now += 100;
    expect(await store.sweep()).toBe(1);
    expect(store.size).toBe(1);
    expect((await store.take('busy', TWO_PER_SECOND)).allowed).toBe(false);
    now += 1_000;
    expect(await store.sweep()).toBe(1);
    expect(store.size).toBe(0);
  });

  it('treats a swept key like a new client', async () => {
    const store = storeWith();
    await store.take('a', TWO_PER_SECOND);
    now += 10_000;
    await store.sweep();
    await store.take('a', TWO_PER_SECOND);
    expect((await store.take('a', TWO_PER_SECOND)).allowed).toBe(true);
    expect((await store.take('a', TWO_PER_SECOND)).allowed).toBe(false);
  });

  it('drops the least recently used bucket past the cap', async () => {
    const store = storeWith(3);
    for (const key of ['a', 'b', 'c']) {
      await store.take(key, TWO_PER_SECOND);
    }
    // Using 'a' again makes 'b' the oldest.
    await store.take('a', TWO_PER_SECOND);
    await store.take('d', TWO_PER_SECOND);
    expect(store.size).toBe(3);
    // 'a' kept its spent tokens; 'b' was forgotten and starts full.
    expect((await store.take('a', TWO_PER_SECOND)).allowed).toBe(false);
    await store.take('b', TWO_PER_SECOND);
    expect((await store.take('b', TWO_PER_SECOND)).allowed).toBe(true);
  });

  it('stays at the cap under a flood of distinct keys', async () => {
    const store = storeWith(100);
    for (let i = 0; i < 10_000; i++) {
      await store.take(`flood-${i}`, TWO_PER_SECOND);
    }
    expect(store.size).toBe(100);
  });
});
