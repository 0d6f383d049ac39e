interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

export interface WriteBatcherOptions<I> {
  /** Most items in one flush. */
  maxItems: number;
  /** Most total weight (e.g. bytes) in one flush; a single heavier item still goes alone. */
  maxWeight: number;
  weigh: (item: I) => number;
}

/**
 * Groups writes into one flush (one transaction): items submitted in the same
 * event-loop turn go together at `setImmediate`, and items submitted while a flush
 * runs go together in the next one. One flush at a time, so flushes commit — and
 * their results are handed out — in submission order.
 */
export class WriteBatcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private scheduled = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly options: WriteBatcherOptions<I>,
  ) {}

  /** Resolves with this item's result once its flush finished; rejects when the flush failed. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far is flushed (for shutdown). */
  async drain(): Promise<void> {
    while (this.running || this.scheduled || this.queue.length > 0) {
      await (this.running ?? new Promise<void>((resolve) => setImmediate(resolve)));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.running) {
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
        if (this.queue.length > 0) {
          this.schedule();
        }
      });
    });
  }

  private async runOnce(): Promise<void> {
    const batch = this.take();
    try {
      const results = await this.flush(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => waiting.resolve(results[i]));
    } catch (error) {
      batch.forEach((waiting) => waiting.reject(error));
    }
  }

  private take(): Waiting<I, O>[] {
    const { maxItems, maxWeight, weigh } = this.options;
    let count = 0;
    let weight = 0;
    while (count < this.queue.length && count < maxItems) {
      weight += weigh(this.queue[count].item);
      if (count > 0 && weight > maxWeight) {
        break;
      }
      count++;
    }
    return this.queue.splice(0, count);
  }
}
