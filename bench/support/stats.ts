/** Latency figures in milliseconds; all 0 for no samples. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of `samples` (sorted in place). */
export function summarize(samples: number[]): LatencySummary {
  if (samples.length === 0) {
    return { count: 0, p50: 0, p99: 0, max: 0 };
  }
  samples.sort((a, b) => a - b);
  const rank = (p: number) => samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)];
  return { count: samples.length, p50: rank(50), p99: rank(99), max: samples[samples.length - 1] };
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable between processes on one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
