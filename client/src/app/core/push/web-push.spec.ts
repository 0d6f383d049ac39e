import { authString, base64urlEncode, checkAuth, deriveIdentity, generateSeed, type Identity } from '@kez/crypto';

import type { PushServer, PushSubscriptionRecord } from './push-server';
import { type BrowserPushSubscription, type PushBrowser, PushError, WebPush } from './web-push';

const VAPID = base64urlEncode(new Uint8Array(65).fill(4));

/** The server's push endpoints in memory, checking every X-KEZ-Auth like the real one. */
class FakePushServer implements PushServer {
  readonly subscriptions = new Map<string, PushSubscriptionRecord>();
  constructor(private readonly primary: string) {}

  async vapidPublicKey(): Promise<string> {
    return VAPID;
  }
  async pushSubscribe(handle: string, subscription: PushSubscriptionRecord, auth: string): Promise<void> {
    this.verify(auth, (ts) => authString.pushSubscribe(handle, subscription.endpoint, ts));
    this.subscriptions.set(subscription.endpoint, subscription);
  }
  async pushUnsubscribe(handle: string, endpoint: string, auth: string): Promise<void> {
    this.verify(auth, (ts) => authString.pushUnsubscribe(handle, endpoint, ts));
    this.subscriptions.delete(endpoint);
  }
  async pushSubscribed(handle: string, endpoint: string, auth: string): Promise<boolean> {
    this.verify(auth, (ts) => authString.pushCheck(handle, endpoint, ts));
    return this.subscriptions.has(endpoint);
  }
  private verify(auth: string, row: (ts: number) => string): void {
    const verdict = checkAuth(auth, row, this.primary);
    if (verdict !== 'ok') {
      throw new Error(`auth ${verdict}`);
    }
  }
}

class FakeBrowser implements PushBrowser {
  supported = true;
  granted: NotificationPermission = 'default';
  answer: NotificationPermission = 'granted';
  prompts = 0;
  subscription: BrowserPushSubscription | null = null;
  subscribedWith: Uint8Array | null = null;

  permission(): NotificationPermission {
    return this.granted;
  }
  async requestPermission(): Promise<NotificationPermission> {
    this.prompts++;
    this.granted = this.answer;
    return this.answer;
  }
  async current(): Promise<BrowserPushSubscription | null> {
    return this.subscription;
  }
  async subscribe(key: Uint8Array): Promise<BrowserPushSubscription> {
    this.subscribedWith = key;
    const subscription: BrowserPushSubscription = {
      endpoint: 'https://push.example/abc',
      toJSON: () => ({ endpoint: 'https://push.example/abc', expirationTime: null, keys: { p256dh: 'p', auth: 'a' } }) as never,
      unsubscribe: async () => {
        this.subscription = null;
        return true;
      },
    };
    this.subscription = subscription;
    return subscription;
  }
}

describe('WebPush', () => {
  let identity: Identity;
  let browser: FakeBrowser;
  let server: FakePushServer;
  let push: WebPush;
  const me = () => ({ handle: 'bob', edSecret: identity.edSecret });

  beforeEach(() => {
    identity = deriveIdentity(generateSeed());
    browser = new FakeBrowser();
    server = new FakePushServer(identity.primary);
    push = new WebPush(browser, server);
  });

  it('asks once, subscribes with the server key and registers the subscription signed', async () => {
    expect(await push.status()).toBe('off');
    await push.enable(me());
    expect(browser.prompts).toBe(1);
    expect(base64urlEncode(browser.subscribedWith!)).toBe(VAPID);
    expect([...server.subscriptions.values()]).toEqual([{ endpoint: 'https://push.example/abc', keys: { p256dh: 'p', auth: 'a' } }]);
    expect(await push.status()).toBe('on');
  });

  it('never asks again after a refusal and says how to undo it', async () => {
    browser.answer = 'denied';
    await expect(push.enable(me())).rejects.toMatchObject({ code: 'blocked' });
    await expect(push.enable(me())).rejects.toBeInstanceOf(PushError);
    expect(browser.prompts).toBe(1);
    expect(await push.status()).toBe('blocked');
    expect(server.subscriptions.size).toBe(0);
  });

  it('reports a dismissed prompt apart from a refusal', async () => {
    browser.answer = 'default';
    await expect(push.enable(me())).rejects.toMatchObject({ code: 'dismissed' });
    expect(await push.status()).toBe('off');
  });

  it('drops a new subscription the server refused, so it never shows as on', async () => {
    server.pushSubscribe = () => Promise.reject(new Error('503'));
    await expect(push.enable(me())).rejects.toThrow('503');
    expect(browser.subscription).toBeNull();
    expect(await push.status()).toBe('off');
  });

  it('turns off on the server and in the browser', async () => {
    await push.enable(me());
    await push.disable(me());
    expect(server.subscriptions.size).toBe(0);
    expect(browser.subscription).toBeNull();
    expect(await push.status()).toBe('off');
  });

  it('self-heals: registers again a subscription the server lost, and leaves a kept one alone', async () => {
    await push.enable(me());
    expect(await push.heal(me())).toBe('ok');
    server.subscriptions.clear();
    expect(await push.heal(me())).toBe('restored');
    expect(server.subscriptions.has('https://push.example/abc')).toBe(true);
  });

  it('heals nothing while push is off', async () => {
    expect(await push.heal(me())).toBe('off');
    expect(server.subscriptions.size).toBe(0);
    expect(browser.prompts).toBe(0);
  });

  it('says when this browser has no push at all', async () => {
    browser.supported = false;
    expect(await push.status()).toBe('unsupported');
    await expect(push.enable(me())).rejects.toMatchObject({ code: 'unsupported' });
  });
});
