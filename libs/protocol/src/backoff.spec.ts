import { backoffDelay, type BackoffPolicy } from './backoff';

describe(backoffDelay.name, () => {
  const policy: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.2 };
  const noJitter = () => 0;

  it('grows by the factor from the base up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt, noJitter))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('adds at most the jitter share, or takes it off when the share is negative', () => {
    expect(backoffDelay(policy, 0, () => 0.999999)).toBe(1_200);
    expect(backoffDelay({ ...policy, jitter: -0.5 }, 0, () => 0.999999)).toBe(500);
  });

  it('stays at the cap for any attempt count, and treats a negative attempt as the first', () => {
    expect(backoffDelay(policy, 1e9, noJitter)).toBe(30_000);
    expect(backoffDelay(policy, -3, noJitter)).toBe(1_000);
  });
});
