import { join } from 'node:path';

import { rssKiB } from '../support/proc';
import { sleep } from '../support/stats';
import { spawnWorker } from '../support/worker';
import type { BenchUser } from './handles';
import type { IdleResult } from './results';
import type { Target } from './targets';

const OPEN_CONCURRENCY = 64;
const OPEN_TIMEOUT_MS = 300_000;

/** Median of a few RSS samples of the target's processes, so one allocation spike does not decide. */
export async function steadyRssKiB(pids: readonly number[]): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(pids.reduce((sum, pid) => sum + rssKiB(pid), 0));
    await sleep(200);
  }
  return samples.sort((a, b) => a - b)[2];
}

/**
 * Server memory per idle stream: RSS with `count` streams open and settled, minus
 * RSS before, divided by the streams still open. The streams are spread round
 * robin over the users' handles.
 */
export async function measureIdle(target: Target, users: readonly BenchUser[], count: number, settleMs: number): Promise<IdleResult> {
  const worker = spawnWorker(join(__dirname, 'idle-streams.ts'), `${target.name} idle streams`);
  try {
    // Time for the server to finish what starting (or opening) left behind before each reading.
    await sleep(settleMs);
    const rssBeforeKiB = await steadyRssKiB(target.pids);
    const opened = await worker.call<{ opened: number; failed: number; openSeconds: number }>(
      'open',
      { base: target.streamUrls[0], handles: users.map((user) => user.key), count, concurrency: OPEN_CONCURRENCY, timeoutMs: OPEN_TIMEOUT_MS },
      OPEN_TIMEOUT_MS + 60_000,
    );
    await sleep(settleMs);
    const rssAfterKiB = await steadyRssKiB(target.pids);
    const still = await worker.call<{ open: number; closedByServer: number }>('check');
    return {
      streams: still.open,
      failed: opened.failed + still.closedByServer,
      openSeconds: opened.openSeconds,
      rssBeforeKiB,
      rssAfterKiB,
      perStreamKiB: still.open > 0 ? (rssAfterKiB - rssBeforeKiB) / still.open : 0,
    };
  } finally {
    await worker.stop();
  }
}
