/**
 * Waits for `work` at most `ms` milliseconds. Resolves with its value, or with
 * `fallback` when it rejects or the time runs out first; never rejects. The timer is
 * cleared either way, so a quick answer leaves nothing behind to hold the process.
 * The single timeout race of the server: probes, flushes, drains and DNS lookups.
 */
export async function settleWithin<T, F>(work: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([work.catch(() => fallback), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
