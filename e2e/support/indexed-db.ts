import type { Page } from 'playwright-core';

// The one reader of the page's IndexedDB ("kez-chat") for the browser tests: raw, as
// someone with a copy of the disk would read it (no app code, no keys; sealed entries
// stay sealed). Every probe (stored-history.ts, kez-app.ts, faces.ts) goes through it.
// Also the switches that make it refuse writes or deletes, for the failure paths.

/** What to read: one value, a bucket's entry count, or every key and value of some buckets. */
type Read = { kind: 'get'; bucket: string; key: string } | { kind: 'count'; bucket: string } | { kind: 'dump'; buckets: string[] };

/**
 * Bytes cross the page boundary as this (a string survives the serialisation; a
 * picture as an array of numbers takes Playwright seconds on a loaded machine), and
 * are rebuilt in Node.
 */
interface CarriedBytes {
  readonly carriedBase64: string;
}

function isCarried(value: unknown): value is CarriedBytes {
  return typeof value === 'object' && value !== null && typeof (value as CarriedBytes).carriedBase64 === 'string';
}

/** Rebuilds the Uint8Arrays of a value read in the page. */
function withBytes(value: unknown): unknown {
  if (isCarried(value)) {
    return new Uint8Array(Buffer.from(value.carriedBase64, 'base64'));
  }
  if (Array.isArray(value)) {
    return value.map(withBytes);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withBytes(inner)]));
  }
  return value;
}

async function read(page: Page, request: Read): Promise<unknown> {
  const carried = await page.evaluate(
    (what) =>
      new Promise<unknown>((resolve, reject) => {
        const carry = (value: unknown): unknown => {
          if (value instanceof Uint8Array) {
            let text = '';
            for (let i = 0; i < value.length; i += 0x8000) {
              text += String.fromCharCode(...value.subarray(i, i + 0x8000));
            }
            return { carriedBase64: btoa(text) };
          }
          if (Array.isArray(value)) {
            return value.map(carry);
          }
          if (typeof value === 'object' && value !== null) {
            return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, carry(inner)]));
          }
          return value;
        };
        const open = indexedDB.open('kez-chat');
        open.onerror = () => reject(open.error ?? new Error('IndexedDB open failed'));
        open.onsuccess = () => {
          const database = open.result;
          const buckets = what.kind === 'dump' ? what.buckets : [what.bucket];
          const transaction = database.transaction(buckets, 'readonly');
          let result: unknown;
          if (what.kind === 'get') {
            const get = transaction.objectStore(what.bucket).get(what.key);
            get.onsuccess = () => (result = carry(get.result));
          } else if (what.kind === 'count') {
            const count = transaction.objectStore(what.bucket).count();
            count.onsuccess = () => (result = count.result);
          } else {
            const dump: unknown[] = [];
            result = dump;
            for (const bucket of what.buckets) {
              const store = transaction.objectStore(bucket);
              const keys = store.getAllKeys();
              const values = store.getAll();
              values.onsuccess = () => dump.push([bucket, keys.result, carry(values.result)]);
            }
          }
          transaction.oncomplete = () => {
            database.close();
            resolve(result);
          };
          transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
        };
      }),
    request,
  );
  return withBytes(carried);
}

/** The value stored under `key` in `bucket`, as on disk (a sealed entry is `{ sealed, iv, ct }`); bytes are Uint8Arrays. */
export async function readStored<T>(page: Page, bucket: string, key: string): Promise<T | undefined> {
  return (await read(page, { kind: 'get', bucket, key })) as T | undefined;
}

/** How many entries `bucket` holds (sealed or not). */
export async function countStored(page: Page, bucket: string): Promise<number> {
  return (await read(page, { kind: 'count', bucket })) as number;
}

/** Every key and value of `buckets`, as `[bucket, keys, values]` rows. */
export async function dumpStored(page: Page, buckets: readonly string[]): Promise<[string, unknown[], unknown[]][]> {
  return (await read(page, { kind: 'dump', buckets: [...buckets] })) as [string, unknown[], unknown[]][];
}

/**
 * Makes the page's IndexedDB refuse (or again accept) every write and delete of an
 * entry, as a full disk or a locked-down browser does: `put` and `delete` throw a
 * QuotaExceededError. Reads still work.
 */
export async function refuseWrites(page: Page, refuse: boolean): Promise<void> {
  await page.evaluate((on) => {
    const holder = globalThis as { realPut?: typeof IDBObjectStore.prototype.put; realDelete?: typeof IDBObjectStore.prototype.delete };
    holder.realPut ??= IDBObjectStore.prototype.put;
    holder.realDelete ??= IDBObjectStore.prototype.delete;
    const refused = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    IDBObjectStore.prototype.put = on ? refused : holder.realPut;
    IDBObjectStore.prototype.delete = on ? refused : holder.realDelete;
  }, refuse);
}

/** Makes the page's IndexedDB refuse (or again accept) to delete a whole database: `deleteDatabase` throws. */
export async function refuseDatabaseDeletes(page: Page, refuse: boolean): Promise<void> {
  await page.evaluate((on) => {
    const holder = globalThis as { realDeleteDatabase?: typeof IDBFactory.prototype.deleteDatabase };
    holder.realDeleteDatabase ??= IDBFactory.prototype.deleteDatabase;
    IDBFactory.prototype.deleteDatabase = on
      ? () => {
          throw new DOMException('The database could not be deleted.', 'UnknownError');
        }
      : holder.realDeleteDatabase;
  }, refuse);
}

/** A DOMException as the page's IndexedDB or Web Crypto throws it. */
export interface Refusal {
  readonly name: string;
  readonly message: string;
}

/**
 * Makes the page's IndexedDB refuse (or, with null, again accept) writes of one entry,
 * `key` of `bucket`: its `put` throws `refusal`, every other write goes through. For a
 * browser that will not store one thing (a full disk at that moment, a CryptoKey it
 * cannot keep). Replaces `refuseWrites`' switch while on.
 */
export async function refuseWritesOf(page: Page, bucket: string, key: string, refusal: Refusal | null): Promise<void> {
  await page.evaluate(
    ([store, entry, how]) => {
      const holder = globalThis as { realPut?: typeof IDBObjectStore.prototype.put };
      const realPut = (holder.realPut ??= IDBObjectStore.prototype.put);
      IDBObjectStore.prototype.put =
        how === null
          ? realPut
          : function (this: IDBObjectStore, value: unknown, storeKey?: IDBValidKey) {
              if (this.name === store && storeKey === entry) {
                throw new DOMException(how.message, how.name);
              }
              return realPut.call(this, value, storeKey);
            };
    },
    [bucket, key, refusal] as const,
  );
}
