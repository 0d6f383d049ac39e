import { Registry } from 'prom-client';

import { MAX_ENVELOPE_BYTES } from '@kez/protocol';

import type { KezAuth } from '../auth/kez-auth.service';
import type { InboxEvent } from '../broker/broker';
import { LocalBroker } from '../broker/local-broker';
import { ApiError } from '../common/errors/api-error';
import type { AppConfig } from '../config/app-config';
import type { PushNotifier } from '../push/push-notifier';
import { InboxMetrics } from './inbox-metrics';
import { InboxService } from './inbox.service';
import { type InsertedMessage, MessageStore, type NewMessage, type StoredRow } from './message-store';

// These pull in @nestjs/typeorm, which Jest's CommonJS cannot load; the tests pass their own.
jest.mock('../registry/handle-store', () => ({ HandleStore: class {} }));
jest.mock('../push/push-notifier', () => ({ PushNotifier: class {} }));

/** An in-memory table for the handles in `known`. */
class MemoryStore extends MessageStore {
  readonly rows: (NewMessage & { seq: number })[] = [];
  readonly batches: number[] = [];
  private seq = 100;

  constructor(private readonly known: string[]) {
    super();
  }

  insertBatch(rows: readonly NewMessage[]): Promise<(InsertedMessage | null)[]> {
    this.batches.push(rows.length);
    return Promise.resolve(
      rows.map((row) => {
        if (!this.known.includes(row.recipient)) {
          return null;
        }
        const prev = this.latest(row.recipient);
        this.rows.push({ ...row, seq: ++this.seq });
        return { seq: this.seq, prev };
      }),
    );
  }

  page(recipient: string, since: number, limit: number): Promise<StoredRow[]> {
    return Promise.resolve(this.rows.filter((r) => r.recipient === recipient && r.seq > since).slice(0, limit));
  }

  latestSeq(recipient: string): Promise<number> {
    return Promise.resolve(this.latest(recipient));
  }

  deleteOlderThan(): Promise<number> {
    return Promise.resolve(0);
  }

  private latest(recipient: string): number {
    return this.rows.filter((r) => r.recipient === recipient).reduce((max, r) => Math.max(max, r.seq), 0);
  }
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof ApiError ? error.code : String(error)),
  );

describe(InboxService.name, () => {
  let store: MemoryStore;
  let broker: LocalBroker;
  let inbox: InboxService;
  const authorize = jest.fn((handle: string) => Promise.resolve({ handle, primary: 'ed25519:x' }));
  let notify: jest.Mock;

  beforeEach(() => {
    store = new MemoryStore(['bob', 'carol']);
    broker = new LocalBroker();
    notify = jest.fn(() => Promise.resolve());
    inbox = new InboxService({ server: 'chat.test' } as AppConfig, store, broker, { authorize } as unknown as KezAuth, new InboxMetrics(new Registry()), {
      notify,
    } as unknown as PushNotifier);
  });

  it('stores messages posted together in one batch and publishes each after it is stored', async () => {
    const live: InboxEvent[] = [];
    await broker.subscribe('bob', (event) => {
      expect(store.rows.map((r) => r.seq)).toContain(event.seq);
      live.push(event);
    });
    const results = await Promise.all([inbox.post({ to: 'bob', envelope: { n: 1 } }), inbox.post({ to: 'Bob@Chat.Test', envelope: { n: 2 } })]);
    expect(store.batches).toEqual([2]);
    expect(results.map((r) => r.seq)).toEqual([101, 102]);
    expect(live).toEqual([
      { seq: 101, prev: 0, envelope: { n: 1 }, created_at: results[0].created_at },
      { seq: 102, prev: 101, envelope: { n: 2 }, created_at: results[1].created_at },
    ]);
    expect(store.rows.map((r) => [r.envelope, r.size])).toEqual([
      ['{"n":1}', 7],
      ['{"n":2}', 7],
    ]);
  });

  it('asks for Web Push only when no live stream took the message', async () => {
    await broker.subscribe('bob', () => undefined);
    await inbox.post({ to: 'bob', envelope: {} });
    await inbox.post({ to: 'carol', envelope: {} });
    await new Promise((resolve) => setImmediate(resolve));
    expect(notify.mock.calls).toEqual([['carol']]);
  });

  it('never asks for Web Push for a message posted with push false, and still streams it', async () => {
    const live: InboxEvent[] = [];
    await broker.subscribe('bob', (event) => live.push(event));
    await inbox.post({ to: 'bob', envelope: { n: 1 }, push: false });
    await inbox.post({ to: 'carol', envelope: { n: 2 }, push: false });
    await inbox.post({ to: 'carol', envelope: { n: 3 }, push: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(live.map((event) => event.envelope)).toEqual([{ n: 1 }]);
    expect(store.rows.map((r) => r.envelope)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(notify.mock.calls).toEqual([['carol']]);
  });

  it('refuses an envelope over 262,144 bytes before storing anything', async () => {
    const envelope = { p: 'x'.repeat(MAX_ENVELOPE_BYTES - 7) };
    expect(await code(inbox.post({ to: 'bob', envelope }))).toBe('payload_too_large');
    expect(store.batches).toEqual([]);
  });

  it('answers not_found for unknown and reserved handles and other servers, invalid_handle for bad ones', async () => {
    expect(await code(inbox.post({ to: 'dave', envelope: {} }))).toBe('not_found');
    expect(await code(inbox.post({ to: 'admin', envelope: {} }))).toBe('not_found');
    expect(await code(inbox.post({ to: 'bob@elsewhere.example', envelope: {} }))).toBe('not_found');
    expect(await code(inbox.post({ to: 'b b', envelope: {} }))).toBe('invalid_handle');
  });

  it('answers unavailable when the database fails', async () => {
    jest.spyOn(store, 'insertBatch').mockRejectedValueOnce(new Error('SQLITE_IOERR'));
    expect(await code(inbox.post({ to: 'bob', envelope: {} }))).toBe('unavailable');
  });

  it('builds a page from the stored texts; next is the last seq or since', async () => {
    await inbox.post({ to: 'carol', envelope: { a: 1 } });
    await inbox.post({ to: 'carol', envelope: { a: 2 } });
    const page = JSON.parse(await inbox.page('carol', { since: '0', limit: '1' }, 'auth'));
    expect(page).toEqual({ messages: [{ seq: 101, envelope: { a: 1 }, created_at: expect.any(Number) }], next: 101 });
    expect(JSON.parse(await inbox.page('carol', { since: '500' }, 'auth'))).toEqual({ messages: [], next: 500 });
    expect(authorize).toHaveBeenCalledWith('carol', 'auth', expect.any(Function));
  });
});
