// The app's persistent state behind one small interface: IndexedDB in the browser
// (indexeddb-store.ts), a Map in unit tests (memory-store.ts). Values are plain data
// (structured-cloneable), keys are strings, and each bucket is one object store.

/** The object stores the client keeps. */
/**
 * `private` holds the identity's other state that must be sealed at rest like the
 * history (profile pictures, peers' faces): see storage/history-store.ts.
 */
export const BUCKETS = ['account', 'conversations', 'messages', 'meta', 'private'] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface WriteOp {
  readonly bucket: Bucket;
  readonly key: string;
  /** `undefined` deletes the key. */
  readonly value: unknown;
}

export interface Store {
  get<T>(bucket: Bucket, key: string): Promise<T | undefined>;
  /** Values whose keys start with `prefix` (all when omitted), in key order. */
  list<T>(bucket: Bucket, prefix?: string): Promise<T[]>;
  /** Every [key, value] of a bucket, in key order (migrations need the keys). */
  entries<T>(bucket: Bucket): Promise<[string, T][]>;
  /** Applies every operation or none (one transaction). */
  write(ops: readonly WriteOp[]): Promise<void>;
  /** Deletes everything this client stored. */
  clear(): Promise<void>;
}

export function put(store: Store, bucket: Bucket, key: string, value: unknown): Promise<void> {
  return store.write([{ bucket, key, value }]);
}

/** The upper bound of a prefix scan: every key that starts with `prefix` sorts below it. */
export function prefixEnd(prefix: string): string {
  return `${prefix}\uffff`;
}
