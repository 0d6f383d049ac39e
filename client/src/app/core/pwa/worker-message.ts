// What the project's service worker (client/public/kez-worker.js) tells the app's
// windows. Framework-free so the parsing is unit-tested.

/**
 * - `push`: a push arrived while this window was visible and focused (no notification shown).
 * - `open-chats`: a notification was clicked; show the chats.
 * - `subscription-changed`: the browser replaced the push subscription; register the new one.
 */
export type WorkerMessage = 'push' | 'open-chats' | 'subscription-changed';

const KINDS: readonly WorkerMessage[] = ['push', 'open-chats', 'subscription-changed'];

/** The message's kind, or null for anything else (ngsw's own messages, other scripts). */
export function parseWorkerMessage(data: unknown): WorkerMessage | null {
  if (typeof data !== 'object' || data === null) {
    return null;
  }
  const kind = (data as { kez?: unknown }).kez;
  return KINDS.includes(kind as WorkerMessage) ? (kind as WorkerMessage) : null;
}
