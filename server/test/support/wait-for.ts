import { inspect } from 'node:util';

/** Polls `probe` until it returns true; fails naming what it waited for. */
export async function waitFor(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 20_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await probe()) {
        return;
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  const last = lastError instanceof Error ? String(lastError) : lastError === undefined ? undefined : inspect(lastError);
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last === undefined ? '' : ` (last error: ${last})`}`);
}
