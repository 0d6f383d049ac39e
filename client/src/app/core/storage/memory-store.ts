import { BUCKETS, type Bucket, prefixEnd, type Store, type WriteOp } from './store';

/**
 * The Store contract on Maps, for unit tests. Values are cloned in and out, as
 * IndexedDB does, so a test cannot pass by mutating what it stored.
 */
export class MemoryStore implements Store {
  private readonly buckets = new Map<Bucket, Map<string, unknown>>(BUCKETS.map((bucket) => [bucket, new Map()]));

  async get<T>(bucket: Bucket, key: string): Promise<T | undefined> {
    const value = this.bucket(bucket).get(key);
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  async list<T>(bucket: Bucket, prefix = ''): Promise<T[]> {
    const end = prefixEnd(prefix);
    return [...this.bucket(bucket).entries()]
      .filter(([key]) => key >= prefix && key < end)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, value]) => structuredClone(value) as T);
  }

  async entries<T>(bucket: Bucket): Promise<[string, T][]> {
    return [...this.bucket(bucket).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]) => [key, structuredClone(value) as T]);
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    // Clone everything first: a value that cannot be stored fails the whole batch.
    const cloned = ops.map((op) => ({ ...op, value: op.value === undefined ? undefined : structuredClone(op.value) }));
    for (const op of cloned) {
      if (op.value === undefined) {
        this.bucket(op.bucket).delete(op.key);
      } else {
        this.bucket(op.bucket).set(op.key, op.value);
      }
    }
  }

  async clear(): Promise<void> {
    for (const bucket of this.buckets.values()) {
      bucket.clear();
    }
  }

  private bucket(name: Bucket): Map<string, unknown> {
    const bucket = this.buckets.get(name);
    if (!bucket) {
      throw new Error(`unknown bucket ${name}`);
    }
    return bucket;
  }
}
