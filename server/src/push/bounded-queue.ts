export type Task = () => Promise<void>;

/**
 * Runs tasks at most `concurrency` at a time, holding at most `capacity` more
 * waiting. A full queue refuses new tasks instead of growing without bound, so a
 * burst of messages can never exhaust memory or the push services' patience.
 */
export class BoundedQueue {
  private readonly waiting: Task[] = [];
  private active = 0;

  constructor(
    readonly concurrency: number,
    readonly capacity: number,
    /** Told about a task that threw; tasks are expected to handle their own failures. */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Queues a task; false when the queue is full (the task is not taken). */
  offer(task: Task): boolean {
    if (this.waiting.length >= this.capacity) {
      return false;
    }
    this.waiting.push(task);
    this.drain();
    return true;
  }

  /** Forgets every waiting task (at shutdown); running ones finish on their own. */
  clear(): void {
    this.waiting.length = 0;
  }

  private drain(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) {
      const task = this.waiting.shift()!;
      this.active++;
      void this.run(task);
    }
  }

  private async run(task: Task): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.onError(error);
    } finally {
      this.active--;
      this.drain();
    }
  }
}
