import { authString, base64urlDecode, signAuth } from '@kez/crypto';

import type { PushServer, PushSubscriptionRecord } from './push-server';

/**
 * Where notifications stand in this browser:
 * - `unsupported`: no service worker or Push API here (or iOS outside the Home Screen app);
 * - `blocked`: the person refused the permission; only the browser's site settings undo that;
 * - `off`: allowed or not asked yet, but no subscription;
 * - `on`: subscribed.
 */
export type PushStatus = 'unsupported' | 'blocked' | 'off' | 'on';

/** What the browser's `PushSubscription` offers that this module uses. */
export interface BrowserPushSubscription {
  readonly endpoint: string;
  toJSON(): { endpoint?: string; keys?: Record<string, string> };
  unsubscribe(): Promise<boolean>;
}

/** The browser's permission and PushManager, behind an interface so the logic runs in Node tests. */
export interface PushBrowser {
  readonly supported: boolean;
  permission(): NotificationPermission;
  /** Must be called while the page has a user gesture (a click). */
  requestPermission(): Promise<NotificationPermission>;
  current(): Promise<BrowserPushSubscription | null>;
  subscribe(applicationServerKey: Uint8Array): Promise<BrowserPushSubscription>;
}

/** The unlocked identity as push needs it: its handle and its ed25519 signing key. */
export interface PushIdentity {
  readonly handle: string;
  readonly edSecret: Uint8Array;
}

/** Why notifications could not be turned on; `message` is shown as it is. */
export class PushError extends Error {
  constructor(
    readonly code: 'unsupported' | 'blocked' | 'dismissed' | 'subscribe_failed',
    message: string,
  ) {
    super(message);
    this.name = 'PushError';
  }
}

/** What the start-up check found: nothing to do, a subscription the server had lost and got back, or push off. */
export type HealResult = 'ok' | 'restored' | 'off';

function toRecord(subscription: BrowserPushSubscription): PushSubscriptionRecord {
  const json = subscription.toJSON();
  const p256dh = json.keys?.['p256dh'];
  const auth = json.keys?.['auth'];
  if (typeof p256dh !== 'string' || typeof auth !== 'string') {
    throw new PushError('subscribe_failed', 'The browser gave a push subscription without its keys.');
  }
  return { endpoint: subscription.endpoint, keys: { p256dh, auth } };
}

/**
 * Web Push for one browser and one home server: subscribe with the server's VAPID
 * key and register the subscription (signed `X-KEZ-Auth`, contract section 2),
 * unsubscribe on both sides, and the start-up self-heal that re-registers a
 * subscription the server lost (it drops them when a push service answers 404/410).
 */
export class WebPush {
  constructor(
    private readonly browser: PushBrowser,
    private readonly server: PushServer,
  ) {}

  async status(): Promise<PushStatus> {
    if (!this.browser.supported) {
      return 'unsupported';
    }
    const permission = this.browser.permission();
    if (permission === 'denied') {
      return 'blocked';
    }
    return permission === 'granted' && (await this.browser.current()) !== null ? 'on' : 'off';
  }

  /**
   * Asks for the permission when it was never asked (call it from a click), subscribes
   * and registers the subscription. Throws PushError, or the server's ApiError; a
   * subscription made here that the server did not take is dropped again, so "on"
   * always means the server has it.
   */
  async enable(identity: PushIdentity): Promise<void> {
    if (!this.browser.supported) {
      throw new PushError('unsupported', 'This browser cannot receive push notifications.');
    }
    let permission = this.browser.permission();
    if (permission === 'default') {
      permission = await this.browser.requestPermission();
    }
    if (permission === 'denied') {
      throw new PushError('blocked', 'Notifications are blocked for this site. Allow them in the browser’s site settings, then try again.');
    }
    if (permission !== 'granted') {
      throw new PushError('dismissed', 'The browser did not allow notifications. Try again and choose “Allow”.');
    }
    const existing = await this.browser.current();
    if (existing !== null) {
      await this.register(identity, existing);
      return;
    }
    const key = base64urlDecode(await this.server.vapidPublicKey());
    let subscription: BrowserPushSubscription;
    try {
      subscription = await this.browser.subscribe(key);
    } catch (error) {
      throw new PushError('subscribe_failed', `The browser’s push service refused to subscribe (${error instanceof Error ? error.message : String(error)}).`);
    }
    try {
      await this.register(identity, subscription);
    } catch (error) {
      await subscription.unsubscribe().catch(() => false);
      throw error;
    }
  }

  /** Forgets the subscription on the server, then in the browser. Throws the server's ApiError (the browser keeps it then). */
  async disable(identity: PushIdentity): Promise<void> {
    const subscription = await this.browser.current();
    if (subscription === null) {
      return;
    }
    const auth = signAuth((ts) => authString.pushUnsubscribe(identity.handle, subscription.endpoint, ts), identity.edSecret);
    await this.server.pushUnsubscribe(identity.handle, subscription.endpoint, auth);
    await subscription.unsubscribe();
  }

  /**
   * The start-up check: when this browser is subscribed, asks the server whether it
   * still has the subscription and registers it again if not.
   */
  async heal(identity: PushIdentity): Promise<HealResult> {
    if (!this.browser.supported || this.browser.permission() !== 'granted') {
      return 'off';
    }
    const subscription = await this.browser.current();
    if (subscription === null) {
      return 'off';
    }
    const auth = signAuth((ts) => authString.pushCheck(identity.handle, subscription.endpoint, ts), identity.edSecret);
    if (await this.server.pushSubscribed(identity.handle, subscription.endpoint, auth)) {
      return 'ok';
    }
    await this.register(identity, subscription);
    return 'restored';
  }

  private async register(identity: PushIdentity, subscription: BrowserPushSubscription): Promise<void> {
    const record = toRecord(subscription);
    const auth = signAuth((ts) => authString.pushSubscribe(identity.handle, record.endpoint, ts), identity.edSecret);
    await this.server.pushSubscribe(identity.handle, record, auth);
  }
}
