import { ApiError, type FailureCode } from '../api/api-error';

/**
 * Why a post did not go through, for the outbox: `waits` when trying again later can
 * succeed (with what the message shows meanwhile), `final` when it never can as it is.
 */
export type SendProblem = { readonly kind: 'waits'; readonly waiting: string } | { readonly kind: 'final' };

/** Failures that pass by themselves (no answer, server trouble, a proxy page while it restarts, a rate limit): what the message waits for, and when it goes. */
const PASSING: Partial<Record<FailureCode, readonly [string, string]>> = {
  network: ['Waiting for connection.', 'It goes out by itself when the server can be reached.'],
  unexpected: ['Waiting for the server to answer properly.', 'It goes out by itself.'],
  unavailable: ['Waiting for the server to recover.', 'It goes out by itself.'],
  internal_error: ['Waiting for the server to recover.', 'It goes out by itself.'],
  rate_limited: ['Waiting: the server asked this device to slow down.', 'It goes out by itself in a moment.'],
};

/**
 * Sorts a failed post (an ApiError from HomeServer, or anything thrown while sealing)
 * into waits or final. `relays`: why no relay took the message either, when the
 * relays were tried too (then the words say so, and that either path will do).
 */
export function sendProblem(error: unknown, relays?: string): SendProblem {
  const passing = error instanceof ApiError ? PASSING[error.code] : undefined;
  if (passing === undefined) {
    return { kind: 'final' };
  }
  const [why, when] = passing;
  return {
    kind: 'waits',
    waiting: relays === undefined ? `${why} ${when}` : `${why} No relay took it either (${relays}). It goes out by itself when the server or a relay takes it.`,
  };
}
