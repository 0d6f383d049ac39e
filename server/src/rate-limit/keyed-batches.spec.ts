import { KeyedBatches } from './keyed-batches';

describe(KeyedBatches.name, () => {
  it('runs the first call alone, then every call that arrived meanwhile as one batch, per key', async () => {
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batches = new KeyedBatches<string>(async (key, count) => {
      runs.push(`${key}×${count}`);
      const run = runs.length;
      if (run === 1) {
        await gate;
      }
      return Array.from({ length: count }, (_, i) => `${key}${run}.${i}`);
    });
    const first = batches.submit('a');
    const others = [batches.submit('a'), batches.submit('a'), batches.submit('b')];
    await new Promise((resolve) => setImmediate(resolve));
    // b never waited for a.
    expect(runs).toEqual(['a×1', 'b×1']);
    release();
    expect(await first).toBe('a1.0');
    expect(await Promise.all(others)).toEqual(['a3.0', 'a3.1', 'b2.0']);
    expect(runs).toEqual(['a×1', 'b×1', 'a×2']);
  });

  it('rejects every call of a failed batch, and the next batch runs regardless', async () => {
    let fail = true;
    const batches = new KeyedBatches<number>((_key, count) => {
      if (fail) {
        fail = false;
        return Promise.reject(new Error('down'));
      }
      return Promise.resolve(Array.from({ length: count }, (_, i) => i));
    });
    const failed = batches.submit('a');
    const later = batches.submit('a');
    await expect(failed).rejects.toThrow('down');
    await expect(later).resolves.toBe(0);
  });

  it('primes an empty batch for a key that is idle, and calls arriving meanwhile wait for it', async () => {
    const runs: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batches = new KeyedBatches<number>(async (_key, count) => {
      runs.push(count);
      if (count === 0) {
        await gate;
      }
      return Array.from({ length: count }, (_, i) => i);
    });
    batches.prime('a');
    // A second prime while the first runs adds nothing.
    batches.prime('a');
    const waiting = batches.submit('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toEqual([0]);
    release();
    await expect(waiting).resolves.toBe(0);
    expect(runs).toEqual([0, 1]);
  });
});
