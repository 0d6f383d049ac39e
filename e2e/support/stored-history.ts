import type { Page } from 'playwright-core';

import { countStored, dumpStored } from './indexed-db';

// What the page's IndexedDB holds, read raw as someone with a copy of the disk would
// (indexed-db.ts): no app code, no keys, just the database the browser keeps. Also
// writes entries as an earlier version of the app kept them.

/** Every key and value of the history buckets, as one text (bytes as latin-1) to search for secrets. */
export async function rawHistoryText(page: Page): Promise<string> {
  const dump = await dumpStored(page, ['conversations', 'messages', 'meta']);
  return JSON.stringify(dump, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value));
}

/** How many entries the history's message bucket holds (sealed or not). */
export function storedMessageCount(page: Page): Promise<number> {
  return countStored(page, 'messages');
}

/** Writes entries into the page's IndexedDB directly, as an earlier version of the app stored them (in clear). */
export async function writeRaw(page: Page, entries: { bucket: string; key: string; value: unknown }[]): Promise<void> {
  await page.evaluate(
    (rows) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('kez-chat');
        open.onerror = () => reject(open.error ?? new Error('IndexedDB open failed'));
        open.onsuccess = () => {
          const transaction = open.result.transaction([...new Set(rows.map((row) => row.bucket))], 'readwrite');
          for (const row of rows) {
            transaction.objectStore(row.bucket).put(row.value, row.key);
          }
          transaction.oncomplete = () => {
            open.result.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
        };
      }),
    entries,
  );
}
