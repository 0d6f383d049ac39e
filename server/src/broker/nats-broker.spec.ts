import { ErrorCode, type Msg, type NatsConnection, NatsError } from 'nats';

import type { NatsClient, NatsSetup } from '../nats/nats-client';
import type { InboxEvent } from './broker';
import { LocalBroker } from './local-broker';
import { inboxSubject, NatsBroker } from './nats-broker';

type Callback = (error: NatsError | null, msg: Msg) => void;

/** A NATS server and the connections of several instances, in memory: enough to exercise the broker. */
class FakeNats {
  readonly subscriptions = new Set<{ owner: object; subject: string; callback: Callback }>();
  up = true;

  connect(): NatsConnection {
    const owner = {};
    const nc = {
      subscribe: (subject: string, options: { callback: Callback }) => {
        const sub = { owner, subject, callback: options.callback };
        this.subscriptions.add(sub);
        return { unsubscribe: () => this.subscriptions.delete(sub) };
      },
      flush: () => Promise.resolve(),
      // noEcho: a request never reaches its own connection's subscriptions.
      request: (subject: string, data: Uint8Array) => {
        const replies: Uint8Array[] = [];
        const targets = [...this.subscriptions].filter((s) => s.subject === subject && s.owner !== owner);
        if (targets.length === 0) {
          return Promise.reject(NatsError.errorForCode(ErrorCode.NoResponders));
        }
        for (const target of targets) {
          target.callback(null, { data, reply: '_INBOX.x', respond: (answer: Uint8Array) => replies.push(answer) } as unknown as Msg);
        }
        return Promise.resolve({ data: replies[0] });
      },
    };
    return nc as unknown as NatsConnection;
  }

  instance(): { broker: NatsBroker; client: NatsClient } {
    const nc = this.connect();
    const isUp = () => this.up;
    const client = {
      get connection() {
        return isUp() ? nc : undefined;
      },
      whenConnected: (setup: NatsSetup) => void setup(nc),
    } as unknown as NatsClient;
    return { broker: new NatsBroker(client, new LocalBroker()), client };
  }

  count(subject: string): number {
    return [...this.subscriptions].filter((s) => s.subject === subject).length;
  }
}

const event = (seq: number, prev = seq - 1): InboxEvent => ({ seq, prev, envelope: { v: 2, ct: 'x' }, created_at: 1_764_000_000 });

describe(NatsBroker.name, () => {
  it('reaches streams on another instance and says one took it', async () => {
    const nats = new FakeNats();
    const a = nats.instance().broker;
    const b = nats.instance().broker;
    const received: number[] = [];
    await b.subscribe('bob', (e) => received.push(e.seq));
    expect(await a.publish('bob', event(1))).toBe(true);
    expect(received).toEqual([1]);
  });

  it('answers false when no stream anywhere took it (no responders)', async () => {
    const nats = new FakeNats();
    const a = nats.instance().broker;
    nats.instance();
    expect(await a.publish('bob', event(1))).toBe(false);
  });

  it('serves its own streams directly, with or without NATS', async () => {
    const nats = new FakeNats();
    const a = nats.instance().broker;
    const received: number[] = [];
    await a.subscribe('bob', (e) => received.push(e.seq));
    expect(await a.publish('bob', event(1))).toBe(true);
    nats.up = false;
    expect(await a.publish('bob', event(2))).toBe(true);
    expect(received).toEqual([1, 2]);
  });

  it('counts as not delivered elsewhere while NATS is away, so a push goes out', async () => {
    const nats = new FakeNats();
    const a = nats.instance().broker;
    await nats.instance().broker.subscribe('bob', () => undefined);
    nats.up = false;
    expect(await a.publish('bob', event(1))).toBe(false);
  });

  it('holds one NATS subscription per handle while any stream for it is open', async () => {
    const nats = new FakeNats();
    const b = nats.instance().broker;
    const first = await b.subscribe('bob', () => undefined);
    const second = await b.subscribe('bob', () => undefined);
    expect(nats.count(inboxSubject('bob'))).toBe(1);
    first();
    first();
    expect(nats.count(inboxSubject('bob'))).toBe(1);
    second();
    expect(nats.count(inboxSubject('bob'))).toBe(0);
  });

  it('drops a malformed event and answers that nobody took it', async () => {
    const nats = new FakeNats();
    const received: number[] = [];
    await nats.instance().broker.subscribe('bob', (e) => received.push(e.seq));
    const sender = nats.connect();
    const reply = await sender.request(inboxSubject('bob'), new TextEncoder().encode('{"seq":"1"}'));
    expect(new TextDecoder().decode(reply.data)).toBe('0');
    expect(received).toEqual([]);
  });
});
