import type { PoolStatus } from './relay-pool';
import { whenLive } from './when-live';

/** A pool's status and its listeners; `set` changes the number of live relays. */
function pool(live: number) {
  const listeners = new Set<(status: PoolStatus) => void>();
  const fake = {
    status: { live, total: 2, relays: [] } as PoolStatus,
    onStatus(listener: (status: PoolStatus) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(count: number) {
      fake.status = { live: count, total: 2, relays: [] };
      listeners.forEach((listener) => listener(fake.status));
    },
    listeners,
  };
  return fake;
}

describe(whenLive.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves at once when a relay is live, and when the first one connects', async () => {
    await expect(whenLive(pool(1))).resolves.toBe(true);
    const connecting = pool(0);
    const waiting = whenLive(connecting, 5_000);
    connecting.set(1);
    await expect(waiting).resolves.toBe(true);
    expect(connecting.listeners.size).toBe(0);
  });

  it('gives up after the wait when no relay connects', async () => {
    const down = pool(0);
    const waiting = whenLive(down, 5_000);
    jest.advanceTimersByTime(5_000);
    await expect(waiting).resolves.toBe(false);
    expect(down.listeners.size).toBe(0);
  });
});
