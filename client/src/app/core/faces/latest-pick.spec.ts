import { LatestPick, SUPERSEDED } from './latest-pick';

/** A promise settled from outside, so a test decides which preparation finishes first. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

describe('LatestPick', () => {
  it('a slow earlier pick finishing after a quick later one is dropped: the last choice wins', async () => {
    const picks = new LatestPick();
    const huge = deferred<string>();
    const tiny = deferred<string>();
    const first = picks.take(huge.promise);
    const second = picks.take(tiny.promise);
    expect(picks.busy).toBe(true);
    tiny.resolve('tiny');
    await expect(second).resolves.toBe('tiny');
    // Still preparing the huge one: the screen stays busy until it is settled.
    expect(picks.busy).toBe(true);
    huge.resolve('huge');
    await expect(first).resolves.toBe(SUPERSEDED);
    expect(picks.busy).toBe(false);
  });

  it('a single pick gets its value, and its failure', async () => {
    const picks = new LatestPick();
    await expect(picks.take(Promise.resolve(7))).resolves.toBe(7);
    await expect(picks.take(Promise.reject(new Error('not a picture')))).rejects.toThrow('not a picture');
    expect(picks.busy).toBe(false);
  });

  it('the failure of a superseded pick is not reported', async () => {
    const picks = new LatestPick();
    const broken = deferred<string>();
    const first = picks.take(broken.promise);
    const second = picks.take(Promise.resolve('good'));
    broken.reject(new Error('could not be read'));
    await expect(first).resolves.toBe(SUPERSEDED);
    await expect(second).resolves.toBe('good');
  });
});
