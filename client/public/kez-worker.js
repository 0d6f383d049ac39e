/*
 * KEZ chat's service worker. Angular's worker (ngsw-worker.js) precaches the app and
 * serves it offline; it shows nothing for a push without a payload, and KEZ pushes are
 * always empty (the server knows nothing worth saying). So this script adds:
 *
 * - push: a "New message" notification with one tag, so several collapse into one.
 *   When a visible, focused window of the app exists, that window is told instead:
 *   the person is already looking. Safari revokes subscriptions whose pushes show
 *   nothing, so one of the two always happens.
 * - notificationclick: focuses an open window and routes it to the chats, or opens one.
 * - pushsubscriptionchange: subscribes again with the same server key and tells every
 *   open window, which registers the new endpoint with the home server (only a window
 *   holds the unlocked key that signs X-KEZ-Auth); the next start's self-heal check
 *   covers the case where none is open.
 *
 * - fetch, for the API (`/v1/…`) and the relay: left to the browser, before Angular's
 *   worker sees it. Angular's worker would fetch it itself and turn a network failure
 *   into a made-up 504, so the app could not tell "no connection" from "server
 *   trouble", and a stream would run through the worker. The API is never cached.
 *
 * Messages to windows are `{ kez: 'push' }`, `{ kez: 'open-chats' }` and
 * `{ kez: 'subscription-changed' }` (see client/src/app/core/pwa/app-worker.ts).
 */
// Registered before Angular's worker, so this listener runs first: stopping the event
// here leaves the request to the browser as if no worker were installed.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin === self.location.origin && (url.pathname.startsWith('/v1/') || url.pathname === '/relay')) {
    event.stopImmediatePropagation();
  }
});

importScripts('./ngsw-worker.js');

const NOTIFICATION_TAG = 'kez-new-message';

async function appWindows() {
  return self.clients.matchAll({ type: 'window', includeUncontrolled: true });
}

async function onPush() {
  const windows = await appWindows();
  const watching = windows.find((client) => client.visibilityState === 'visible' && client.focused);
  if (watching) {
    watching.postMessage({ kez: 'push' });
    return;
  }
  await self.registration.showNotification('New message', {
    body: 'Open KEZ chat to read it.',
    icon: 'icons/icon-192.png',
    badge: 'icons/icon-192.png',
    tag: NOTIFICATION_TAG,
    renotify: true,
    data: { kez: 'new-message' },
  });
}

/** Routes an open window to the chats (without reloading it: its keys live in memory), or opens one. */
async function openChats() {
  const windows = await appWindows();
  const target = windows.find((client) => client.focused) ?? windows[0];
  if (target) {
    target.postMessage({ kez: 'open-chats' });
    // Browsers allow focus() only during a click; routing has happened either way.
    await target.focus().catch(() => undefined);
    return;
  }
  await self.clients.openWindow('chats');
}

async function onSubscriptionChange(event) {
  const old = event.oldSubscription;
  const applicationServerKey = old?.options?.applicationServerKey;
  if (applicationServerKey && !event.newSubscription) {
    await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
  }
  for (const client of await appWindows()) {
    client.postMessage({ kez: 'subscription-changed' });
  }
}

self.addEventListener('push', (event) => {
  event.waitUntil(onPush());
});

self.addEventListener('notificationclick', (event) => {
  if (event.notification.data?.kez !== 'new-message') {
    return;
  }
  event.notification.close();
  event.waitUntil(openChats());
});

self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(onSubscriptionChange(event));
});

// For the browser tests, which can neither click a system notification nor make the
// browser rotate a subscription: the same paths those events take.
self.kezOpenChats = openChats;
self.kezSubscriptionChanged = onSubscriptionChange;
