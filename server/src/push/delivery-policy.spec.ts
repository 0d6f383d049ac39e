import { backoffMs, MAX_ATTEMPTS, MAX_RETRY_AFTER_MS, nextStep, retryAfterMs } from './delivery-policy';

const status = (code: number, retryAfter?: string) => ({ kind: 'response' as const, status: code, retryAfter });
const noJitter = () => 0;

describe(nextStep.name, () => {
  it.each([200, 201, 202])('counts %i as delivered', (code) => {
    expect(nextStep(status(code), 1)).toEqual({ action: 'delivered' });
  });

  it.each([404, 410])('expires the subscription on %i, without retrying', (code) => {
    expect(nextStep(status(code), 1)).toEqual({ action: 'expired' });
  });

  it('waits at least Retry-After on 429 (seconds or an HTTP date)', () => {
    expect(nextStep(status(429, '7'), 1)).toEqual({ action: 'retry', delayMs: 7_000 });
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(nextStep(status(429, 'Thu, 01 Jan 2026 00:00:30 GMT'), 1, now)).toEqual({ action: 'retry', delayMs: 30_000 });
  });

  it('backs off on 429 without Retry-After, and gives up on one beyond the horizon', () => {
    expect(nextStep(status(429), 1, Date.now(), noJitter)).toEqual({ action: 'retry', delayMs: 1_000 });
    expect(nextStep(status(429, String(MAX_RETRY_AFTER_MS / 1000 + 1)), 1)).toMatchObject({ action: 'failed' });
  });

  it('retries 5xx, timeouts and network errors with exponential backoff, then gives up', () => {
    for (const outcome of [status(500), status(503), { kind: 'timeout' as const }, { kind: 'network' as const, error: 'ECONNRESET' }]) {
      expect(nextStep(outcome, 1, Date.now(), noJitter)).toEqual({ action: 'retry', delayMs: 1_000 });
      expect(nextStep(outcome, 2, Date.now(), noJitter)).toEqual({ action: 'retry', delayMs: 2_000 });
      expect(nextStep(outcome, MAX_ATTEMPTS)).toMatchObject({ action: 'failed' });
    }
  });

  it('never retries 413 or other 4xx', () => {
    expect(nextStep(status(413), 1)).toEqual({ action: 'failed', reason: 'HTTP 413' });
    expect(nextStep(status(400), 1)).toMatchObject({ action: 'failed' });
  });

  it('marks 401 and 403 as a VAPID configuration problem', () => {
    expect(nextStep({ kind: 'response', status: 403, reason: '{"reason":"BadJwtToken"}' }, 1)).toEqual({
      action: 'failed',
      reason: 'HTTP 403 {"reason":"BadJwtToken"}',
      vapid: true,
    });
    expect(nextStep(status(401), 1)).toMatchObject({ action: 'failed', vapid: true });
  });

  it('gives up at once on an endpoint that became unsafe', () => {
    expect(nextStep({ kind: 'refused', reason: 'private address' }, 1)).toEqual({ action: 'failed', reason: 'private address' });
  });
});

describe(backoffMs.name, () => {
  it('doubles from one second, adds at most 20 % jitter, and is capped', () => {
    expect([1, 2, 3].map((attempt) => backoffMs(attempt, noJitter))).toEqual([1_000, 2_000, 4_000]);
    expect(backoffMs(1, () => 1)).toBe(1_200);
    expect(backoffMs(50, noJitter)).toBe(30_000);
  });
});

describe(retryAfterMs.name, () => {
  it('reads seconds and dates, and ignores nonsense', () => {
    expect(retryAfterMs('0')).toBe(0);
    expect(retryAfterMs(' 12 ')).toBe(12_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z'))).toBe(60_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2016-01-01T00:00:00Z'))).toBe(0);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
