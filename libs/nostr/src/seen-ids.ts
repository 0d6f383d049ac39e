/** The contract's floor for the seen-id set (section 6: the last 10,000 at least). */
export const SEEN_IDS_MIN_CAPACITY = 10_000;

/**
 * The ids of the most recent events a reader accepted, oldest evicted first, so a
 * replayed event is dropped. Insertion order is the eviction order (a `Set` keeps it),
 * and `toArray()`/the constructor let a client persist it between starts.
 */
export class SeenIds {
  private readonly ids = new Set<string>();

  /**
   * @param capacity ids kept; at least `SEEN_IDS_MIN_CAPACITY` (a smaller value is raised to it)
   * @param initial ids already seen, oldest first (e.g. a persisted `toArray()`)
   */
  constructor(
    readonly capacity = SEEN_IDS_MIN_CAPACITY,
    initial: Iterable<string> = [],
  ) {
    this.capacity = Math.max(SEEN_IDS_MIN_CAPACITY, Math.floor(capacity));
    for (const id of initial) {
      this.add(id);
    }
  }

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Records `id`; false when it was already there (a replay). */
  add(id: string): boolean {
    if (this.ids.has(id)) {
      return false;
    }
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
    return true;
  }

  /** The ids, oldest first, for persisting. */
  toArray(): string[] {
    return [...this.ids];
  }
}
