import type { PoolStatus } from './relay-pool';

/** How long a one-shot read waits for a first relay to connect (at start, after a change of list). */
export const LIVE_WAIT_MS = 10_000;

/**
 * Resolves true once at least one relay of `pool` is live (at once when one is),
 * false after `timeoutMs` without one: a one-shot read made before the links
 * connect would get nothing from anyone and mistake that for "nothing there".
 */
export function whenLive(
  pool: { readonly status: PoolStatus; onStatus(listener: (status: PoolStatus) => void): () => void },
  timeoutMs = LIVE_WAIT_MS,
): Promise<boolean> {
  if (pool.status.live > 0) {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const stop = pool.onStatus((status) => {
      if (status.live > 0) {
        clearTimeout(timer);
        stop();
        resolve(true);
      }
    });
    const timer = setTimeout(() => {
      stop();
      resolve(false);
    }, timeoutMs);
  });
}
