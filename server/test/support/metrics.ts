import { metricsOf } from './cluster';

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
