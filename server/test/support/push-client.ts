import { authString, signAuth } from '@kez/crypto';

import type { TestUser } from './inbox-client';
import { http, type HttpResult } from './kez-http';

export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  expirationTime?: number | null;
}

type Row = 'pushSubscribe' | 'pushUnsubscribe' | 'pushCheck';

/** `X-KEZ-Auth` for a push row, signed over `endpoint` (which may differ from the one sent, to test binding). */
export function pushAuth(user: TestUser, row: Row, endpoint: string, ts = Math.floor(Date.now() / 1000)): string {
  return signAuth((t) => authString[row](user.handle, endpoint, t), user.identity.edSecret, ts);
}

export function subscribePush(
  url: string,
  user: TestUser,
  subscription: BrowserSubscription,
  auth = pushAuth(user, 'pushSubscribe', subscription.endpoint),
): Promise<HttpResult> {
  return http(`${url}/v1/push/subscribe/${user.handle}`, { method: 'POST', json: subscription, headers: { 'x-kez-auth': auth } });
}

export function unsubscribePush(url: string, user: TestUser, endpoint: string, auth = pushAuth(user, 'pushUnsubscribe', endpoint)): Promise<HttpResult> {
  return http(`${url}/v1/push/unsubscribe/${user.handle}`, { method: 'POST', json: { endpoint }, headers: { 'x-kez-auth': auth } });
}

export function checkPush(url: string, user: TestUser, endpoint: string, auth = pushAuth(user, 'pushCheck', endpoint)): Promise<HttpResult> {
  return http(`${url}/v1/push/subscriptions/${user.handle}?endpoint=${encodeURIComponent(endpoint)}`, { headers: { 'x-kez-auth': auth } });
}

/** Subscribes and insists on 201. */
export async function subscribed(url: string, user: TestUser, subscription: BrowserSubscription): Promise<void> {
  const result = await subscribePush(url, user, subscription);
  if (result.status !== 201) {
    throw new Error(`subscribing ${user.handle} failed: ${result.status} ${result.text}`);
  }
}

export async function vapidPublicKey(url: string): Promise<string> {
  return (await http(`${url}/v1/push/vapid-public-key`)).body.publicKey;
}
