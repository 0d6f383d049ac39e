/**
 * The ids of the most recent events, forgetting the oldest beyond `capacity`.
 * It answers "seen already?" for the same DM arriving from several relays
 * without a database round trip; the database decides across instances.
 */
export class SeenIds {
  // A Map keeps insertion order, so its first key is always the oldest.
  private readonly ids = new Map<string, true>();

  constructor(readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.delete(id);
    this.ids.set(id, true);
    if (this.ids.size > this.capacity) {
      this.ids.delete(this.ids.keys().next().value!);
    }
  }

  delete(id: string): void {
    this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
