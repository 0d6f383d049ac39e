/** A browser push subscription as the home server stores it (`PushSubscription.toJSON()` without `expirationTime`). */
export interface PushSubscriptionRecord {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

/**
 * The home server's Web Push endpoints (contract section 4, "Web Push"). HomeApi
 * implements them over HTTP; every method rejects with an ApiError when the call fails.
 */
export interface PushServer {
  /** `GET /v1/push/vapid-public-key`: base64url, uncompressed P-256. */
  vapidPublicKey(): Promise<string>;
  /** `POST /v1/push/subscribe/:handle` with `X-KEZ-Auth: auth` (push-subscribe row). */
  pushSubscribe(handle: string, subscription: PushSubscriptionRecord, auth: string): Promise<void>;
  /** `POST /v1/push/unsubscribe/:handle` with `X-KEZ-Auth: auth` (push-unsubscribe row). */
  pushUnsubscribe(handle: string, endpoint: string, auth: string): Promise<void>;
  /** `GET /v1/push/subscriptions/:handle?endpoint=` with `X-KEZ-Auth: auth` (push-check row). */
  pushSubscribed(handle: string, endpoint: string, auth: string): Promise<boolean>;
}
