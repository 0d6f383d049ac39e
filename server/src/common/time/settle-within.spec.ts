import { settleWithin } from './settle-within';

describe(settleWithin.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves with the work when it settles in time, and leaves no timer behind', async () => {
    await expect(settleWithin(Promise.resolve(7), 1_000, 'late')).resolves.toBe(7);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves with the fallback when the work rejects', async () => {
    await expect(settleWithin(Promise.reject(new Error('down')), 1_000, 'late')).resolves.toBe('late');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves with the fallback once the time is up, while the work still hangs', async () => {
    const outcome = settleWithin(new Promise<number>(() => undefined), 1_000, 'late');
    await jest.advanceTimersByTimeAsync(999);
    let settled = false;
    void outcome.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toBe('late');
  });
});
