import { ApiError, type FailureCode } from '../api/api-error';

/**
 * Why a post did not go through, for the outbox: `waits` when trying again later can
 * succeed (with what the message shows meanwhile), `final` when it never can as it is.
 */
export type SendProblem = { readonly kind: 'waits'; readonly waiting: string } | { readonly kind: 'final' };

/** Failures that pass by themselves: no answer, server trouble, a proxy page while it restarts, a rate limit. */
const PASSING: Partial<Record<FailureCode, string>> = {
  network: 'Waiting for connection. It goes out by itself when the server can be reached.',
  unexpected: 'Waiting for the server to answer properly. It goes out by itself.',
  unavailable: 'Waiting for the server to recover. It goes out by itself.',
  internal_error: 'Waiting for the server to recover. It goes out by itself.',
  rate_limited: 'Waiting: the server asked this device to slow down. It goes out by itself in a moment.',
};

/** Sorts a failed post (an ApiError from HomeServer, or anything thrown while sealing) into waits or final. */
export function sendProblem(error: unknown): SendProblem {
  const waiting = error instanceof ApiError ? PASSING[error.code] : undefined;
  return waiting === undefined ? { kind: 'final' } : { kind: 'waits', waiting };
}
