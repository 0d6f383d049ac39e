import { Registry } from 'prom-client';
import { Logger } from '@nestjs/common';

import type { SendOutcome } from './delivery-policy';
import { PushMetrics } from './push-metrics';
import { PushNotifier } from './push-notifier';
import type { PushSender } from './push-sender';
import type { PushSubscriptionStore, SubscriptionSnapshot } from './push-subscription-store';

/** Subscriptions in memory, recording conditional deletes. */
class FakeStore {
  rows: SubscriptionSnapshot[] = [];
  removed: SubscriptionSnapshot[] = [];

  add(handle: string, endpoint: string, id = this.rows.length + 1): SubscriptionSnapshot {
    const row = { id, handle, endpoint, p256dh: `key-${id}`, auth: `auth-${id}` };
    this.rows.push(row);
    return row;
  }

  async listForHandle(handle: string) {
    return this.rows.filter((row) => row.handle === handle);
  }

  async removeIfUnchanged(snapshot: SubscriptionSnapshot) {
    const index = this.rows.findIndex((row) => row.id === snapshot.id && row.p256dh === snapshot.p256dh && row.auth === snapshot.auth);
    if (index < 0) {
      return false;
    }
    this.removed.push(...this.rows.splice(index, 1));
    return true;
  }
}

/** Answers each endpoint from a script (then 201), holding every request open for `delayMs`. */
class FakeSender {
  sent: string[] = [];
  inFlight = 0;
  peak = 0;
  private readonly scripts = new Map<string, SendOutcome[]>();

  constructor(private readonly delayMs = 0) {}

  script(endpoint: string, ...outcomes: SendOutcome[]) {
    this.scripts.set(endpoint, outcomes);
  }

  async send(endpoint: string): Promise<SendOutcome> {
    this.sent.push(endpoint);
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.inFlight--;
    return this.scripts.get(endpoint)?.shift() ?? { kind: 'response', status: 201 };
  }
}

// The notifier needs the store's class only as a DI token; the real one loads TypeORM, which this spec never touches.
jest.mock('./push-subscription-store', () => ({ PushSubscriptionStore: class {} }));

const status = (code: number, retryAfter?: string): SendOutcome => ({ kind: 'response', status: code, retryAfter });

/** Moves the fake clock on in 5 ms steps until `condition` holds; `timeoutMs` is fake time too. */
async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  for (let waited = 0; !(await condition()); waited += 5) {
    if (waited > timeoutMs) {
      throw new Error(`no ${what} after ${timeoutMs} ms`);
    }
    await jest.advanceTimersByTimeAsync(5);
  }
}

describe(PushNotifier.name, () => {
  let store: FakeStore;
  let sender: FakeSender;
  let metrics: PushMetrics;
  let notifier: PushNotifier;

  function build(delayMs = 0) {
    store = new FakeStore();
    sender = new FakeSender(delayMs);
    metrics = new PushMetrics(new Registry());
    notifier = new PushNotifier(store as unknown as PushSubscriptionStore, sender as unknown as PushSender, metrics);
  }

  // Fake timers: the senders' delays, Retry-After and the backoff pass without waiting.
  beforeEach(() => {
    jest.useFakeTimers();
    build();
  });
  afterEach(() => {
    notifier.onModuleDestroy();
    jest.useRealTimers();
  });

  it('sends one push to each subscription of the handle only, and returns before any is sent', async () => {
    store.add('alice', 'https://push.example/a1');
    store.add('alice', 'https://push.example/a2');
    store.add('bob', 'https://push.example/b1');
    expect(notifier.notify('alice')).toBeUndefined();
    expect(sender.sent).toEqual([]);
    await until('two sends', async () => (await metrics.snapshot()).sent === 2);
    expect(sender.sent.sort()).toEqual(['https://push.example/a1', 'https://push.example/a2']);
  });

  it('keeps at most 32 requests in flight', async () => {
    build(5);
    for (let i = 0; i < 200; i++) {
      store.add('alice', `https://push.example/${i}`);
    }
    notifier.notify('alice');
    await until('200 sends', async () => (await metrics.snapshot()).sent === 200);
    expect(sender.peak).toBe(32);
  });

  it('deletes a subscription on 404 and 410, unless it was replaced meanwhile', async () => {
    build(50);
    const gone = store.add('alice', 'https://push.example/gone');
    const missing = store.add('alice', 'https://push.example/missing');
    const replaced = store.add('alice', 'https://push.example/replaced');
    sender.script(gone.endpoint, status(410));
    sender.script(missing.endpoint, status(404));
    sender.script(replaced.endpoint, status(410));
    notifier.notify('alice');
    await until('the push to be under way', () => sender.sent.includes(replaced.endpoint));
    // The browser re-subscribes with new keys while the push is under way.
    replaced.p256dh = 'new-key';
    await until('three answers', () => sender.sent.length === 3 && sender.inFlight === 0);
    await until('deletions', async () => (await metrics.snapshot()).expired === 2);
    expect(store.removed.map((row) => row.endpoint).sort()).toEqual([gone.endpoint, missing.endpoint].sort());
    expect(store.rows.map((row) => row.endpoint)).toEqual([replaced.endpoint]);
  });

  it('retries a 429 after its Retry-After, and 5xx with backoff, then succeeds', async () => {
    const limited = store.add('alice', 'https://push.example/limited');
    const flaky = store.add('alice', 'https://push.example/flaky');
    sender.script(limited.endpoint, status(429, '1'));
    sender.script(flaky.endpoint, status(503));
    const started = Date.now();
    notifier.notify('alice');
    await until('both delivered', async () => (await metrics.snapshot()).sent === 2, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(sender.sent.filter((e) => e === limited.endpoint)).toHaveLength(2);
    expect(sender.sent.filter((e) => e === flaky.endpoint)).toHaveLength(2);
    expect(await metrics.snapshot()).toMatchObject({ sent: 2, retried: 2, failed: 0 });
  });

  it('gives up after three attempts, and never retries a 413', async () => {
    const down = store.add('alice', 'https://push.example/down');
    const big = store.add('alice', 'https://push.example/big');
    sender.script(down.endpoint, status(500), status(500), status(500), status(500));
    sender.script(big.endpoint, status(413));
    notifier.notify('alice');
    await until('both failed', async () => (await metrics.snapshot()).failed === 2, 10_000);
    expect(sender.sent.filter((e) => e === down.endpoint)).toHaveLength(3);
    expect(sender.sent.filter((e) => e === big.endpoint)).toHaveLength(1);
  });

  it('logs a VAPID rejection (403) loudly once per push service and does not retry it', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 3; i++) {
        sender.script(store.add('alice', `https://web.push.apple.com/${i}`).endpoint, { kind: 'response', status: 403, reason: '{"reason":"BadJwtToken"}' });
      }
      notifier.notify('alice');
      await until('three failures', async () => (await metrics.snapshot()).failed === 3);
      expect(sender.sent).toHaveLength(3);
      const vapidLogs = errors.mock.calls.filter(([message]) => String(message).includes('VAPID'));
      expect(vapidLogs).toHaveLength(1);
      expect(String(vapidLogs[0][0])).toContain('web.push.apple.com');
      expect(String(vapidLogs[0][0])).toContain('BadJwtToken');
      expect(String(vapidLogs[0][0])).not.toContain('/0');
    } finally {
      errors.mockRestore();
    }
  });

  it('drops (and counts) pushes once the queue is full instead of growing', async () => {
    build(50);
    for (let i = 0; i < 20_100; i++) {
      store.add('crowd', `https://push.example/${i}`);
    }
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      notifier.notify('crowd');
      await until('the fanout to be queued', async () => (await metrics.snapshot()).dropped > 0);
      // 32 running, 20,000 waiting: the other 68 are dropped.
      expect((await metrics.snapshot()).dropped).toBe(68);
      expect(notifier.load()).toMatchObject({ inFlight: 32, queued: 20_000 });
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('never throws at the caller when the subscriptions cannot be read', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      store.listForHandle = () => Promise.reject(new Error('database down'));
      expect(() => notifier.notify('alice')).not.toThrow();
      await until('the error log', () => errors.mock.calls.length > 0);
      expect(String(errors.mock.calls[0][0])).not.toContain('alice');
    } finally {
      errors.mockRestore();
    }
  });
});
