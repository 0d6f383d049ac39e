/**
 * Erases everything this origin keeps in the browser: its push subscription (so the
 * push service stops delivering here), every IndexedDB database (the
 * identity, conversations, history, and any store another part of the app opened),
 * localStorage and sessionStorage. The service worker's app cache stays: it holds only
 * the public app. A database still open elsewhere is deleted once that page closes
 * (IndexedDB "blocked"), so callers reload right after. Rejects when the browser
 * refuses to list or delete a database (the rest may be erased by then).
 */
export async function wipeDevice(factory: IDBFactory = indexedDB): Promise<void> {
  try {
    const registration = await globalThis.navigator?.serviceWorker?.getRegistration();
    await (await registration?.pushManager.getSubscription())?.unsubscribe();
  } catch {
    // No worker or no push here: nothing to drop.
  }
  const names = (await factory.databases()).map((info) => info.name).filter((name): name is string => !!name);
  await Promise.all(
    names.map(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const request = factory.deleteDatabase(name);
          request.onsuccess = () => resolve();
          // Refused: said, never passed over, or "forget this device" would claim an erase that did not happen.
          request.onerror = () => reject(request.error ?? new Error(`the browser did not delete the database ${name}`));
          // Another connection is still open: the deletion completes when it closes.
          request.onblocked = () => resolve();
        }),
    ),
  );
  for (const storage of [globalThis.localStorage, globalThis.sessionStorage]) {
    storage?.clear();
  }
}
