import { WriteBatcher } from './write-batcher';

const turn = () => new Promise((resolve) => setImmediate(resolve));

function recordingBatcher(options: Partial<{ maxItems: number; maxWeight: number }> = {}) {
  const flushes: number[][] = [];
  let release: (() => void) | undefined;
  let hold = false;
  const batcher = new WriteBatcher<number, string>(
    async (items) => {
      flushes.push(items);
      if (hold) {
        await new Promise<void>((resolve) => (release = resolve));
      }
      return items.map((item) => `done ${item}`);
    },
    { maxItems: options.maxItems ?? 100, maxWeight: options.maxWeight ?? 1_000, weigh: (item) => item },
  );
  return { batcher, flushes, holdNext: () => (hold = true), release: () => ((hold = false), release?.()) };
}

describe(WriteBatcher.name, () => {
  it('flushes what is submitted in one event-loop turn together and answers each item', async () => {
    const { batcher, flushes } = recordingBatcher();
    const results = await Promise.all([batcher.submit(1), batcher.submit(2), batcher.submit(3)]);
    expect(flushes).toEqual([[1, 2, 3]]);
    expect(results).toEqual(['done 1', 'done 2', 'done 3']);
  });

  it('runs one flush at a time and gathers what arrives meanwhile into the next', async () => {
    const { batcher, flushes, holdNext, release } = recordingBatcher();
    holdNext();
    const first = batcher.submit(1);
    await turn();
    const later = [batcher.submit(2), batcher.submit(3)];
    await turn();
    expect(flushes).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(flushes).toEqual([[1], [2, 3]]);
  });

  it('caps a flush by item count and by weight, but never leaves a heavy item behind', async () => {
    const byCount = recordingBatcher({ maxItems: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => byCount.batcher.submit(n)));
    expect(byCount.flushes).toEqual([[1, 2], [3, 4], [5]]);

    const byWeight = recordingBatcher({ maxWeight: 10 });
    await Promise.all([4, 5, 6, 50, 1].map((n) => byWeight.batcher.submit(n)));
    expect(byWeight.flushes).toEqual([[4, 5], [6], [50], [1]]);
  });

  it('rejects every item of a failed flush and carries on with the next', async () => {
    let fail = true;
    const batcher = new WriteBatcher<number, number>((items) => (fail ? Promise.reject(new Error('disk full')) : Promise.resolve(items)), {
      maxItems: 10,
      maxWeight: 10,
      weigh: () => 1,
    });
    const failed = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.submit(3)).resolves.toBe(3);
  });

  it('drain() waits for queued and running flushes', async () => {
    const { batcher, flushes, holdNext, release } = recordingBatcher();
    holdNext();
    void batcher.submit(1);
    await turn();
    void batcher.submit(2);
    let drained = false;
    const draining = batcher.drain().then(() => (drained = true));
    await turn();
    expect(drained).toBe(false);
    release();
    await draining;
    expect(flushes).toEqual([[1], [2]]);
  });
});
