import { BoundedQueue } from './bounded-queue';

/** A task that stays running until released, recording how many ran at once. */
function gate() {
  const releases: (() => void)[] = [];
  let running = 0;
  let peak = 0;
  const task = () =>
    new Promise<void>((resolve) => {
      running++;
      peak = Math.max(peak, running);
      releases.push(() => {
        running--;
        resolve();
      });
    });
  return { task, releases, peak: () => peak };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(BoundedQueue.name, () => {
  it('runs at most `concurrency` tasks at once and starts the next as one finishes', async () => {
    const queue = new BoundedQueue(2, 10);
    const { task, releases, peak } = gate();
    for (let i = 0; i < 5; i++) {
      expect(queue.offer(task)).toBe(true);
    }
    expect(queue.running).toBe(2);
    expect(queue.queued).toBe(3);
    releases.shift()!();
    await settle();
    expect(queue.running).toBe(2);
    expect(queue.queued).toBe(2);
    while (releases.length > 0) {
      releases.shift()!();
      await settle();
    }
    expect(queue.running).toBe(0);
    expect(peak()).toBe(2);
  });

  it('refuses tasks beyond its capacity instead of growing', () => {
    const queue = new BoundedQueue(1, 2);
    const { task } = gate();
    expect([queue.offer(task), queue.offer(task), queue.offer(task), queue.offer(task)]).toEqual([true, true, true, false]);
    expect(queue.queued).toBe(2);
  });

  it('reports a failing task and keeps going', async () => {
    const errors: unknown[] = [];
    const queue = new BoundedQueue(1, 5, (error) => errors.push(error));
    let ran = false;
    queue.offer(() => Promise.reject(new Error('boom')));
    queue.offer(async () => {
      ran = true;
    });
    await settle();
    await settle();
    expect(errors).toHaveLength(1);
    expect(ran).toBe(true);
  });

  it('forgets waiting tasks on clear', () => {
    const queue = new BoundedQueue(1, 5);
    const { task } = gate();
    queue.offer(task);
    queue.offer(task);
    queue.clear();
    expect(queue.queued).toBe(0);
    expect(queue.running).toBe(1);
  });
});
