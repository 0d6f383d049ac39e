import { http } from './kez-http';

/** One instance's `/v1/metrics`, as `name{labels}` → value. */
export async function metricsOf(url: string): Promise<Map<string, number>> {
  const result = await http(`${url}/v1/metrics`);
  if (result.status !== 200) {
    throw new Error(`/v1/metrics answered ${result.status}: ${result.text}`);
  }
  const samples = new Map<string, number>();
  for (const line of result.text.split('\n')) {
    const match = /^(\S+) (\S+)$/.exec(line);
    if (match && !line.startsWith('#')) {
      samples.set(match[1], Number(match[2]));
    }
  }
  return samples;
}

/** One unlabelled figure of an instance's `/v1/metrics`, e.g. a gauge; 0 when it has no sample yet. */
export async function figure(url: string, name: string): Promise<number> {
  return (await metricsOf(url)).get(name) ?? 0;
}

/**
 * One labelled counter of an instance's `/v1/metrics`, as label value → count, e.g.
 * `countsBy(url, 'kez_chat_relay_wakes_total', 'result')` → `{ pushed: 2, reading: 1 }`.
 * The server's own record of what it decided: the positive signal a test waits for
 * instead of sleeping to see that nothing (else) happened.
 */
export async function countsBy(url: string, metric: string, label: string): Promise<Record<string, number>> {
  const sample = new RegExp(`^${metric}\\{${label}="([^"]*)"\\}$`);
  const counts: Record<string, number> = {};
  for (const [name, value] of await metricsOf(url)) {
    const match = sample.exec(name);
    if (match) {
      counts[match[1]] = value;
    }
  }
  return counts;
}

/** The sum of all counts, e.g. every decision taken. */
export const total = (counts: Record<string, number>): number => Object.values(counts).reduce((sum, n) => sum + n, 0);
