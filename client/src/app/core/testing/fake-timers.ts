import type { Timers } from '../transport/timers';

/** Timers that fire only when a test advances them. */
export class FakeTimers implements Timers {
  private now = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): number {
    const id = this.nextId++;
    this.pending.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Delays of the timers still waiting, soonest first. */
  delays(): number[] {
    return [...this.pending.values()].map((timer) => timer.at - this.now).sort((a, b) => a - b);
  }

  /** Moves time forward, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, timer]) => timer.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
      if (due === undefined) {
        break;
      }
      const [id, timer] = due;
      this.pending.delete(id);
      this.now = timer.at;
      timer.callback();
    }
    this.now = end;
  }
}
