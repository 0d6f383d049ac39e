/**
 * Local message order: milliseconds since the epoch, bumped so that no two messages
 * share one and a clock set back never puts new messages above old ones.
 */
export class OrderClock {
  private last = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Continues after orders loaded from storage. */
  seen(order: number): void {
    this.last = Math.max(this.last, order);
  }

  next(): number {
    this.last = Math.max(this.now(), this.last + 1);
    return this.last;
  }
}
