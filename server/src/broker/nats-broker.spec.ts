import { ErrorCode, type Msg, type NatsConnection, NatsError } from 'nats';

import type { NatsClient, NatsSetup } from '../nats/nats-client';
import type { InboxEvent } from './broker';
import type { ClusterPresence } from './cluster-presence';
import { LocalBroker } from './local-broker';
import { inboxSubject, NatsBroker } from './nats-broker';

type Callback = (error: NatsError | null, msg: Msg) => void;

/** A NATS server and the connections of several instances, in memory: enough to exercise the broker. */
class FakeNats {
  readonly subscriptions = new Set<{ owner: object; subject: string; callback: Callback }>();
  up = true;
  /** Every instance's presence table says this, at once (tests make it stale on purpose). */
  readonly held = new Map<string, Set<string>>();
  doubt = false;
  requests = 0;
  private instances = 0;

  connect(): NatsConnection {
    const owner = {};
    const nc = {
      subscribe: (subject: string, options: { callback: Callback }) => {
        const sub = { owner, subject, callback: options.callback };
        this.subscriptions.add(sub);
        return { unsubscribe: () => this.subscriptions.delete(sub) };
      },
      flush: () => Promise.resolve(),
      publish: (subject: string, data: Uint8Array) => {
        for (const target of [...this.subscriptions].filter((s) => s.subject === subject && s.owner !== owner)) {
          target.callback(null, { data, subject } as unknown as Msg);
        }
      },
      // noEcho: a request never reaches its own connection's subscriptions.
      request: (subject: string, data: Uint8Array) => {
        this.requests++;
        const replies: Uint8Array[] = [];
        const targets = [...this.subscriptions].filter((s) => s.subject === subject && s.owner !== owner);
        if (targets.length === 0) {
          return Promise.reject(NatsError.errorForCode(ErrorCode.NoResponders));
        }
        for (const target of targets) {
          target.callback(null, { data, reply: '_INBOX.x', respond: (answer: Uint8Array) => replies.push(answer) } as unknown as Msg);
        }
        return replies.length > 0 ? Promise.resolve({ data: replies[0] }) : Promise.reject(NatsError.errorForCode(ErrorCode.Timeout));
      },
    };
    return nc as unknown as NatsConnection;
  }

  instance(lingerMs = 60_000): { broker: NatsBroker; client: NatsClient; id: string } {
    const nc = this.connect();
    const isUp = () => this.up;
    const id = `i${++this.instances}`;
    const client = {
      get connection() {
        return isUp() ? nc : undefined;
      },
      whenConnected: (setup: NatsSetup) => void setup(nc),
    } as unknown as NatsClient;
    const presence = {
      instanceId: id,
      inDoubt: () => this.doubt,
      holders: (handle: string, except: string[] = []) => [...(this.held.get(handle) ?? [])].filter((i) => i !== id && !except.includes(i)),
      opened: (handle: string) => this.held.set(handle, new Set([...(this.held.get(handle) ?? []), id])),
      closed: (handle: string) => this.held.get(handle)?.delete(id),
    } as unknown as ClusterPresence;
    return { broker: new NatsBroker(client, new LocalBroker(), presence, lingerMs), client, id };
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

  it('holds one NATS subscription per handle while any stream for it is open, and a while after', async () => {
    const nats = new FakeNats();
    const b = nats.instance(20).broker;
    const first = await b.subscribe('bob', () => undefined);
    const second = await b.subscribe('bob', () => undefined);
    expect(nats.count(inboxSubject('bob'))).toBe(1);
    first();
    first();
    expect(nats.count(inboxSubject('bob'))).toBe(1);
    second();
    expect(nats.count(inboxSubject('bob'))).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(nats.count(inboxSubject('bob'))).toBe(0);
  });

  it('publishes without waiting for an answer when presence is known', async () => {
    const nats = new FakeNats();
    const a = nats.instance().broker;
    const b = nats.instance().broker;
    const received: number[] = [];
    await b.subscribe('bob', (e) => received.push(e.seq));
    expect(await a.publish('bob', event(1))).toBe(true);
    expect(received).toEqual([1]);
    expect(nats.requests).toBe(0);
  });

  it('has the holder wake the recipient when its stream closed before an event sent on stale presence', async () => {
    const nats = new FakeNats();
    const a = nats.instance().broker;
    const holder = nats.instance();
    const missed: string[] = [];
    holder.broker.onMissed((handle) => missed.push(handle));
    const unsubscribe = await holder.broker.subscribe('bob', () => undefined);
    unsubscribe();
    // The close has not reached the publisher's table yet.
    nats.held.set('bob', new Set([holder.id]));
    expect(await a.publish('bob', event(1))).toBe(true);
    expect(missed).toEqual(['bob']);
  });

  it('hands no push decision on for an event that must wake nobody ("push": false)', async () => {
    const nats = new FakeNats();
    const a = nats.instance().broker;
    const holder = nats.instance();
    const missed: string[] = [];
    holder.broker.onMissed((handle) => missed.push(handle));
    (await holder.broker.subscribe('bob', () => undefined))();
    nats.held.set('bob', new Set([holder.id]));
    await a.publish('bob', event(1), { wake: false });
    expect(missed).toEqual([]);
  });

  it('does not wake from a lingering subscription while another instance still holds a stream', async () => {
    const nats = new FakeNats();
    const a = nats.instance().broker;
    const lingering = nats.instance();
    const other = nats.instance().broker;
    const missed: string[] = [];
    lingering.broker.onMissed((handle) => missed.push(handle));
    const received: number[] = [];
    await other.subscribe('bob', (e) => received.push(e.seq));
    (await lingering.broker.subscribe('bob', () => undefined))();
    nats.held.get('bob')!.add(lingering.id);
    expect(await a.publish('bob', event(1))).toBe(true);
    expect(received).toEqual([1]);
    expect(missed).toEqual([]);
  });

  it('asks and waits for the answer while presence is in doubt; a lingering subscription stays silent', async () => {
    const nats = new FakeNats();
    const a = nats.instance().broker;
    const b = nats.instance().broker;
    nats.doubt = true;
    const received: number[] = [];
    const unsubscribe = await b.subscribe('bob', (e) => received.push(e.seq));
    nats.held.clear();
    expect(await a.publish('bob', event(1))).toBe(true);
    expect(received).toEqual([1]);
    unsubscribe();
    // Subscribed but silent: with no answer the request counts as not delivered.
    await expect(a.publish('bob', event(2))).resolves.toBe(false);
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
