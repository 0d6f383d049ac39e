import type { Page } from 'playwright-core';

// What the page's IndexedDB holds, read raw as someone with a copy of the disk would:
// no app code, no keys, just the database the browser keeps.

/** Every key and value of the history buckets, as one text (bytes as latin-1) to search for secrets. */
export async function rawHistoryText(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('kez-chat');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const buckets = ['conversations', 'messages', 'meta'];
          const transaction = open.result.transaction(buckets, 'readonly');
          const dump: unknown[] = [];
          for (const bucket of buckets) {
            const store = transaction.objectStore(bucket);
            const keys = store.getAllKeys();
            const values = store.getAll();
            values.onsuccess = () => dump.push([bucket, keys.result, values.result]);
          }
          transaction.oncomplete = () =>
            resolve(JSON.stringify(dump, (_key, value: unknown) => (value instanceof Uint8Array ? String.fromCharCode(...value) : value)));
          transaction.onerror = () => reject(transaction.error);
        };
      }),
  );
}

/** How many entries the history's message bucket holds (sealed or not). */
export async function storedMessageCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('kez-chat');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('messages').objectStore('messages').count();
          count.onerror = () => reject(count.error);
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
}

/** Writes entries into the page's IndexedDB directly, as an earlier version of the app stored them (in clear). */
export async function writeRaw(page: Page, entries: { bucket: string; key: string; value: unknown }[]): Promise<void> {
  await page.evaluate(
    (rows) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('kez-chat');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const transaction = open.result.transaction([...new Set(rows.map((row) => row.bucket))], 'readwrite');
          for (const row of rows) {
            transaction.objectStore(row.bucket).put(row.value, row.key);
          }
          transaction.oncomplete = () => {
            open.result.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    entries,
  );
}
