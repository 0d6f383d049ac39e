import type { BrowserContext, Page } from 'playwright-core';

import type { PushReceiver } from '../../server/test/support/push-receiver';

// Chromium's own push service cannot be reached here, so PushManager.subscribe would
// fail. This stand-in replaces it (and getSubscription) in every page of a context with
// a subscription shaped like a real PushSubscription: the endpoint is on the local
// push receiver, p256dh and auth are a real P-256 key pair and 16 random bytes made in
// the page, and the receiver learns the private key (so it could decrypt a payload).
// Everything from the home server on is real; delivery into the worker goes over CDP.

const STORAGE_KEY = 'kez-e2e-push-subscription';

interface StoredSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  serverKey: string;
}

/** Runs in the page before the app's scripts. */
function standIn({ origin, storageKey }: { origin: string; storageKey: string }): void {
  const encode = (bytes: ArrayBuffer | Uint8Array): string =>
    btoa(String.fromCharCode(...new Uint8Array(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const decode = (text: string): ArrayBuffer => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0)).buffer;
  const wrap = (stored: StoredSubscription) => ({
    endpoint: stored.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: decode(stored.serverKey) },
    getKey: (name: 'p256dh' | 'auth') => decode(stored.keys[name]),
    toJSON: () => ({ endpoint: stored.endpoint, expirationTime: null, keys: stored.keys }),
    unsubscribe: async () => {
      localStorage.removeItem(storageKey);
      await (window as unknown as { kezPushStandInUnsubscribed(endpoint: string): Promise<void> }).kezPushStandInUnsubscribed(stored.endpoint);
      return true;
    },
  });
  const load = (): StoredSubscription | null => {
    const text = localStorage.getItem(storageKey);
    return text ? (JSON.parse(text) as StoredSubscription) : null;
  };
  PushManager.prototype.getSubscription = async function getSubscription() {
    const stored = load();
    return stored ? wrap(stored) : null;
  };
  PushManager.prototype.subscribe = async function subscribe(options?: PushSubscriptionOptionsInit) {
    const existing = load();
    if (existing) {
      return wrap(existing);
    }
    const key = options?.applicationServerKey;
    if (!(key instanceof Uint8Array || key instanceof ArrayBuffer)) {
      throw new DOMException('applicationServerKey must be bytes', 'InvalidAccessError');
    }
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const p256dh = encode(await crypto.subtle.exportKey('raw', pair.publicKey));
    const { d } = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const auth = encode(crypto.getRandomValues(new Uint8Array(16)));
    const id = [...crypto.getRandomValues(new Uint8Array(12))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    const stored: StoredSubscription = { endpoint: `${origin}/push/${id}`, keys: { p256dh, auth }, serverKey: encode(key) };
    await (window as unknown as { kezPushReceiverAdopt(json: unknown, d: string): Promise<void> }).kezPushReceiverAdopt(
      { endpoint: stored.endpoint, keys: stored.keys },
      d!,
    );
    localStorage.setItem(storageKey, JSON.stringify(stored));
    return wrap(stored);
  };
}

/** What the stand-in saw, on the test's side. */
export interface PushStandIn {
  /** Endpoints the page unsubscribed, in order. */
  readonly unsubscribed: string[];
}

/** Installs the stand-in in every page of `context`, subscriptions landing on `receiver`. */
export async function installPushStandIn(context: BrowserContext, receiver: PushReceiver): Promise<PushStandIn> {
  const standInState: PushStandIn = { unsubscribed: [] };
  await context.exposeFunction('kezPushStandInUnsubscribed', (endpoint: string) => {
    standInState.unsubscribed.push(endpoint);
  });
  await context.exposeFunction('kezPushReceiverAdopt', (json: { endpoint: string; keys: { p256dh: string; auth: string } }, d: string) =>
    receiver.adopt(json, d),
  );
  await context.addInitScript(standIn, { origin: receiver.origin, storageKey: STORAGE_KEY });
  return standInState;
}

/** The endpoint of the subscription the stand-in keeps for the app's origin, or null (read in an open page of the app). */
export async function standInEndpoint(page: Page): Promise<string | null> {
  return page.evaluate((key) => (JSON.parse(localStorage.getItem(key) ?? 'null') as { endpoint: string } | null)?.endpoint ?? null, STORAGE_KEY);
}

/**
 * What a push service does when it rotates a subscription: the page's subscription is
 * replaced by a new one (new endpoint, new keys) behind the app's back. Resolves with
 * the new endpoint.
 */
export async function rotateStandIn(page: Page): Promise<string> {
  return page.evaluate(async (key) => {
    const old = JSON.parse(localStorage.getItem(key)!) as { serverKey: string };
    localStorage.removeItem(key);
    const serverKey = Uint8Array.from(atob(old.serverKey.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
    const registration = await navigator.serviceWorker.ready;
    return (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKey })).endpoint;
  }, STORAGE_KEY);
}

/** What the stand-in for the browser's permission prompt saw; `answer` may be changed between prompts. */
export interface PermissionPrompts {
  /** Each prompt, in order, and whether the page still had the user activation (the click's gesture) when it asked. */
  readonly asked: { userActivation: boolean }[];
  /** "unanswered": the prompt stays open (or ignored) for as long as the test runs. */
  answer: NotificationPermission | 'unanswered';
}

/**
 * Stands in for the person at the browser's notification prompt, in every page of
 * `context`: `Notification.requestPermission` records the call and answers `answer`
 * ("granted" allows, "denied" blocks, "default" closes the prompt), setting the
 * browser's real permission for `origin` to match, so `Notification.permission` and
 * everything after it are the browser's own. An answer resets the origin's other
 * permissions (Chromium's override grants only what it lists).
 */
export async function answerPermissionPrompts(context: BrowserContext, origin: string, answer: PermissionPrompts['answer']): Promise<PermissionPrompts> {
  const prompts: PermissionPrompts = { asked: [], answer };
  await context.exposeFunction('kezAnswerPermissionPrompt', async (userActivation: boolean) => {
    prompts.asked.push({ userActivation });
    if (prompts.answer === 'unanswered') {
      return new Promise<never>(() => undefined);
    }
    if (prompts.answer !== 'default') {
      // Chromium grants what is listed for the origin and denies every other permission.
      await context.grantPermissions(prompts.answer === 'granted' ? ['notifications'] : [], { origin });
    }
    return prompts.answer;
  });
  await context.addInitScript(() => {
    const page = window as unknown as { kezAnswerPermissionPrompt(userActivation: boolean): Promise<NotificationPermission> };
    Notification.requestPermission = () => page.kezAnswerPermissionPrompt(navigator.userActivation.isActive);
  });
  return prompts;
}
