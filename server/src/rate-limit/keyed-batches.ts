interface Waiter<O> {
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Groups calls by key: while one batch for a key runs, later calls for that key
 * wait and then run together as the next batch (one call of `run` with their
 * count). Calls for different keys never wait for each other. `run` answers one
 * result per call, in call order; if it throws, every call of the batch rejects.
 */
export class KeyedBatches<O> {
  private readonly running = new Set<string>();
  private readonly waiting = new Map<string, Waiter<O>[]>();

  constructor(private readonly run: (key: string, count: number) => Promise<O[]>) {}

  submit(key: string): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const queue = this.waiting.get(key) ?? [];
      queue.push({ resolve, reject });
      this.waiting.set(key, queue);
      if (!this.running.has(key)) {
        void this.drain(key);
      }
    });
  }

  /**
   * Runs a batch of no calls for `key` (`run(key, 0)`, work ahead of need such as
   * a refill) unless a batch for it is running already; calls arriving meanwhile
   * wait for it as for any batch. What the empty batch throws is dropped.
   */
  prime(key: string): void {
    if (!this.running.has(key)) {
      void this.drain(key, []);
    }
  }

  /** Runs the key's batches one after another until nobody waits (a loop, so a long busy spell builds no chain). */
  private async drain(key: string, first?: Waiter<O>[]): Promise<void> {
    this.running.add(key);
    try {
      for (let batch = first ?? this.take(key); batch; batch = this.take(key)) {
        try {
          const results = await this.run(key, batch.length);
          batch.forEach((waiter, i) => waiter.resolve(results[i]));
        } catch (error) {
          batch.forEach((waiter) => waiter.reject(error));
        }
      }
    } finally {
      this.running.delete(key);
    }
  }

  private take(key: string): Waiter<O>[] | undefined {
    const batch = this.waiting.get(key);
    this.waiting.delete(key);
    return batch && batch.length > 0 ? batch : undefined;
  }
}
