import { backoffDelay, type BackoffPolicy } from '@kez/protocol';

/** What one request to a push service came to. */
export type SendOutcome =
  | { kind: 'response'; status: number; retryAfter?: string; reason?: string }
  | { kind: 'timeout' }
  | { kind: 'network'; error: string }
  /** The endpoint is no longer acceptable (e.g. its host now resolves to a private address). */
  | { kind: 'refused'; reason: string };

/** What to do next with a push after an outcome. */
export type NextStep =
  | { action: 'delivered' }
  /** The subscription is gone (404/410): delete it. */
  | { action: 'expired' }
  | { action: 'retry'; delayMs: number }
  /** Give up. `vapid` marks a rejection of our VAPID credentials, which no retry can fix. */
  | { action: 'failed'; reason: string; vapid?: boolean };

/** Attempts per push, the first included. */
export const MAX_ATTEMPTS = 3;
/** Backoff after a 5xx, a timeout or a network error: 1 s doubling to 30 s, up to 20 % added. */
export const PUSH_RETRY_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.2 };
/**
 * A push service asking us to wait longer than this (429 Retry-After) gets no
 * retry: the wake-up would be stale, and a queue of far-future timers is memory
 * held for nothing.
 */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * The delivery rules, in one pure function: 2xx delivered; 404/410 expired;
 * 429 waits at least its Retry-After; 5xx, timeouts and network errors back off
 * exponentially; 401/403 mean our VAPID credentials are refused; 413 and every
 * other answer are final. `attempt` counts from 1.
 */
export function nextStep(outcome: SendOutcome, attempt: number, now = Date.now(), random = Math.random): NextStep {
  const canRetry = attempt < MAX_ATTEMPTS;
  const backoff = () => backoffMs(attempt, random);
  switch (outcome.kind) {
    case 'refused':
      return { action: 'failed', reason: outcome.reason };
    case 'timeout':
      return canRetry ? { action: 'retry', delayMs: backoff() } : { action: 'failed', reason: 'timed out' };
    case 'network':
      return canRetry ? { action: 'retry', delayMs: backoff() } : { action: 'failed', reason: outcome.error };
    case 'response':
      return afterResponse(outcome, canRetry, backoff, now);
  }
}

function afterResponse(outcome: { status: number; retryAfter?: string; reason?: string }, canRetry: boolean, backoff: () => number, now: number): NextStep {
  const { status } = outcome;
  const detail = `HTTP ${status}${outcome.reason ? ` ${outcome.reason}` : ''}`;
  if (status >= 200 && status < 300) {
    return { action: 'delivered' };
  }
  if (status === 404 || status === 410) {
    return { action: 'expired' };
  }
  if (status === 401 || status === 403) {
    return { action: 'failed', reason: detail, vapid: true };
  }
  if (status === 429) {
    const wait = retryAfterMs(outcome.retryAfter, now) ?? backoff();
    if (!canRetry || wait > MAX_RETRY_AFTER_MS) {
      return { action: 'failed', reason: detail };
    }
    return { action: 'retry', delayMs: wait };
  }
  if (status >= 500 && canRetry) {
    return { action: 'retry', delayMs: backoff() };
  }
  return { action: 'failed', reason: detail };
}

/** base × 2^(attempt−1), capped, with up to 20 % added jitter so retries of a burst spread out. */
export function backoffMs(attempt: number, random = Math.random): number {
  return backoffDelay(PUSH_RETRY_BACKOFF, attempt - 1, random);
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) {
    return undefined;
  }
  const value = header.trim();
  if (/^\d+$/.test(value)) {
    return Number(value) * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
