import type { SchedulerRegistry } from '@nestjs/schedule';

import type { AppConfig } from '../config/app-config';
import type { MessageStore } from './message-store';
import { RETENTION_BATCH, RetentionJob } from './retention.job';

const DAY_MS = 86_400_000;

/** A store holding `count` old messages, deleted a batch at a time. */
function oldMessages(count: number) {
  const calls: { createdBefore: number; batch: number }[] = [];
  let left = count;
  const store = {
    deleteOlderThan: (createdBefore: number, batch: number) => {
      calls.push({ createdBefore, batch });
      const deleted = Math.min(left, batch);
      left -= deleted;
      return Promise.resolve(deleted);
    },
  } as unknown as MessageStore;
  return { store, calls, left: () => left };
}

const config = { retentionMs: 30 * DAY_MS, retentionSweepMs: 3_600_000 } as AppConfig;
const scheduler = { addInterval: () => undefined, doesExist: () => false, deleteInterval: () => undefined } as unknown as SchedulerRegistry;

describe(RetentionJob.name, () => {
  it('deletes in batches of 500 everything created before now minus the retention period', async () => {
    const { store, calls, left } = oldMessages(1_234);
    const job = new RetentionJob(config, store, scheduler);
    const now = Date.UTC(2026, 0, 31);
    await expect(job.sweep(now)).resolves.toBe(1_234);
    expect(left()).toBe(0);
    expect(calls.map((c) => c.batch)).toEqual([RETENTION_BATCH, RETENTION_BATCH, RETENTION_BATCH]);
    expect(calls.every((c) => c.createdBefore === Math.floor((now - 30 * DAY_MS) / 1000))).toBe(true);
  });

  it('joins a running sweep instead of starting a second one', async () => {
    const { store, calls } = oldMessages(1_000);
    const job = new RetentionJob(config, store, scheduler);
    const [first, second] = await Promise.all([job.sweep(), job.sweep()]);
    expect(first).toBe(1_000);
    expect(second).toBe(1_000);
    expect(calls).toHaveLength(3);
  });

  it('stops between batches at shutdown and sweeps no more', async () => {
    const { store, left } = oldMessages(100_000);
    const job = new RetentionJob(config, store, scheduler);
    const sweeping = job.sweep();
    await job.beforeApplicationShutdown();
    await sweeping;
    expect(left()).toBeGreaterThan(0);
    await expect(job.sweep()).resolves.toBe(0);
  });
});
