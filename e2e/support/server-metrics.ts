import { waitFor } from '../../server/test/support/wait-for';

// The home server's own figures (/v1/metrics) as the browser tests read them: the
// product's record of what it holds or did, which a test waits on instead of
// guessing how long something takes.

/** One unlabelled sample of the server's /v1/metrics (a gauge or a counter); 0 when it is not there yet. */
export async function serverMetric(url: string, name: string): Promise<number> {
  const response = await fetch(`${url}/v1/metrics`);
  if (!response.ok) {
    throw new Error(`/v1/metrics answered ${response.status}`);
  }
  const sample = new RegExp(`^${name} (\\S+)$`, 'm').exec(await response.text());
  return sample ? Number(sample[1]) : 0;
}

/** Waits until the server at `url` reports `value` for `name`; `what` names the wait in a timeout. */
export async function waitForMetric(url: string, name: string, value: number, what: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(`${what} (${name} = ${value})`, async () => (await serverMetric(url, name)) === value, timeoutMs);
}
