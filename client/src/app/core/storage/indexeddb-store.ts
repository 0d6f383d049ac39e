import { BUCKETS, type Bucket, prefixEnd, type Store, type WriteOp } from './store';

const DB_NAME = 'kez-chat';
/** Raise with an upgrade step whenever BUCKETS changes. */
const DB_VERSION = 2;

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function completed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
  });
}

/** The Store contract on IndexedDB: one database, one object store per bucket, out-of-line string keys. */
export class IndexedDbStore implements Store {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(factory: IDBFactory = indexedDB, name = DB_NAME): Promise<IndexedDbStore> {
    const request = factory.open(name, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const bucket of BUCKETS) {
        if (!db.objectStoreNames.contains(bucket)) {
          db.createObjectStore(bucket);
        }
      }
    };
    const db = await promised(request);
    // Another tab upgrading the schema must not be blocked by this one.
    db.onversionchange = () => db.close();
    return new IndexedDbStore(db);
  }

  async get<T>(bucket: Bucket, key: string): Promise<T | undefined> {
    const store = this.db.transaction(bucket, 'readonly').objectStore(bucket);
    return (await promised(store.get(key))) as T | undefined;
  }

  async list<T>(bucket: Bucket, prefix = ''): Promise<T[]> {
    const store = this.db.transaction(bucket, 'readonly').objectStore(bucket);
    const range = IDBKeyRange.bound(prefix, prefixEnd(prefix), false, true);
    return (await promised(store.getAll(range))) as T[];
  }

  async entries<T>(bucket: Bucket): Promise<[string, T][]> {
    // Keys and values read in one transaction come in the same (key) order.
    const store = this.db.transaction(bucket, 'readonly').objectStore(bucket);
    const [keys, values] = await Promise.all([promised(store.getAllKeys()), promised(store.getAll())]);
    // Every key this store writes is a string (WriteOp.key).
    return keys.map((key, i) => [key as string, values[i] as T]);
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length === 0) {
      return;
    }
    const buckets = [...new Set(ops.map((op) => op.bucket))];
    const transaction = this.db.transaction(buckets, 'readwrite');
    const done = completed(transaction);
    for (const op of ops) {
      const store = transaction.objectStore(op.bucket);
      if (op.value === undefined) {
        store.delete(op.key);
      } else {
        store.put(op.value, op.key);
      }
    }
    await done;
  }

  async clear(): Promise<void> {
    const transaction = this.db.transaction([...BUCKETS], 'readwrite');
    const done = completed(transaction);
    for (const bucket of BUCKETS) {
      transaction.objectStore(bucket).clear();
    }
    await done;
  }
}
