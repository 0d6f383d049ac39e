import { Backoff, RECONNECT_BACKOFF } from './backoff';

describe(Backoff.name, () => {
  const noJitter = { ...RECONNECT_BACKOFF, jitter: 0 };

  it('doubles from the base delay up to the cap', () => {
    const backoff = new Backoff(noJitter);
    expect(Array.from({ length: 8 }, () => backoff.next())).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000, 5000]);
  });

  it('starts over after a reset', () => {
    const backoff = new Backoff(noJitter);
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(500);
  });

  it('takes off up to the jitter share at random, never more', () => {
    expect(new Backoff(RECONNECT_BACKOFF, () => 0).next()).toBe(500);
    expect(new Backoff(RECONNECT_BACKOFF, () => 0.999999).next()).toBe(250);
    const spread = new Set(Array.from({ length: 50 }, () => new Backoff().next()));
    expect(spread.size).toBeGreaterThan(10);
    for (const delay of spread) {
      expect(delay).toBeGreaterThanOrEqual(250);
      expect(delay).toBeLessThanOrEqual(500);
    }
  });

  it('stays at the cap however long it keeps failing', () => {
    const backoff = new Backoff(noJitter);
    for (let i = 0; i < 10_000; i++) {
      backoff.next();
    }
    expect(backoff.next()).toBe(5000);
  });
});
