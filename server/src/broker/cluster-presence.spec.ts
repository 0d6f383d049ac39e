import type { Msg, NatsConnection } from 'nats';

import type { AppConfig } from '../config/app-config';
import type { NatsClient, NatsSetup } from '../nats/nats-client';
import { ClusterPresence, PRESENCE_SUBJECT_PREFIX, PRESENCE_SYNC_SUBJECT, relayReaderName } from './cluster-presence';

type Callback = (error: Error | null, msg: Msg) => void;

/** One NATS connection, in memory: what was published, and a way to deliver to its subscriptions. */
function fakeNats(): {
  client: NatsClient;
  published: { subject: string; data: unknown }[];
  deliver: (subject: string, data: string) => void;
  reconnect: () => void;
} {
  const subscriptions: { subject: string; callback: Callback }[] = [];
  const published: { subject: string; data: unknown }[] = [];
  const reconnectHooks: NatsSetup[] = [];
  const nc = {
    subscribe: (subject: string, options: { callback: Callback }) => subscriptions.push({ subject, callback: options.callback }),
    publish: (subject: string, data?: string) => published.push({ subject, data: data === undefined ? undefined : JSON.parse(data) }),
  } as unknown as NatsConnection;
  const matches = (pattern: string, subject: string) => (pattern.endsWith('*') ? subject.startsWith(pattern.slice(0, -1)) : pattern === subject);
  const client = {
    enabled: true,
    connection: nc,
    whenConnected: (setup: NatsSetup) => void setup(nc),
    whenReconnected: (hook: NatsSetup) => reconnectHooks.push(hook),
  } as unknown as NatsClient;
  return {
    client,
    published,
    deliver: (subject, data) =>
      subscriptions.filter((s) => matches(s.subject, subject)).forEach((s) => s.callback(null, { subject, data: new TextEncoder().encode(data) } as Msg)),
    reconnect: () => reconnectHooks.forEach((hook) => void hook(nc)),
  };
}

describe(ClusterPresence.name, () => {
  let presence: ClusterPresence;

  afterEach(() => presence?.onApplicationShutdown());

  it('announces its full list on connect and asks the others for theirs, then is in doubt for a moment', () => {
    jest.useFakeTimers();
    const nats = fakeNats();
    presence = new ClusterPresence(nats.client, { instanceId: 'me' } as AppConfig);
    expect(nats.published).toEqual([
      { subject: `${PRESENCE_SUBJECT_PREFIX}me`, data: { op: 'all', gen: 1, handles: [], last: true } },
      { subject: PRESENCE_SYNC_SUBJECT, data: undefined },
    ]);
    expect(presence.inDoubt()).toBe(true);
    jest.advanceTimersByTime(2_001);
    expect(presence.inDoubt()).toBe(false);
    jest.useRealTimers();
  });

  it('announces a first stream and a last close, and answers a sync with its list', () => {
    const nats = fakeNats();
    presence = new ClusterPresence(nats.client, { instanceId: 'me' } as AppConfig);
    nats.published.length = 0;
    presence.opened('bob');
    presence.opened('carol');
    presence.closed('bob');
    nats.deliver(PRESENCE_SYNC_SUBJECT, '');
    expect(nats.published.map((p) => p.data)).toEqual([
      { op: 'open', handles: ['bob'] },
      { op: 'open', handles: ['carol'] },
      { op: 'close', handles: ['bob'] },
      { op: 'all', gen: 2, handles: ['carol'], last: true },
    ]);
  });

  it('keeps the other instances’ streams from their announcements, ignoring its own and malformed ones', () => {
    const nats = fakeNats();
    presence = new ClusterPresence(nats.client, { instanceId: 'me' } as AppConfig);
    nats.deliver(`${PRESENCE_SUBJECT_PREFIX}i2`, '{"op":"open","handles":["bob"]}');
    nats.deliver(`${PRESENCE_SUBJECT_PREFIX}i3`, '{"op":"all","gen":4,"handles":["bob","carol"],"last":true}');
    nats.deliver(`${PRESENCE_SUBJECT_PREFIX}me`, '{"op":"open","handles":["dave"]}');
    nats.deliver(`${PRESENCE_SUBJECT_PREFIX}i4`, '{"op":"open","handles":[1]}');
    nats.deliver(`${PRESENCE_SUBJECT_PREFIX}i4`, 'not json');
    nats.deliver(`${PRESENCE_SUBJECT_PREFIX}i4`, '{"op":"all","handles":["erin"]}');
    expect(presence.holders('bob')).toEqual(['i2', 'i3']);
    expect(presence.holders('bob', ['i2'])).toEqual(['i3']);
    expect(presence.holders('carol')).toEqual(['i3']);
    expect(presence.holders('dave')).toEqual([]);
    expect(presence.holders('erin')).toEqual([]);
  });

  it('sends its list again and asks for the others’ after a reconnect', () => {
    const nats = fakeNats();
    presence = new ClusterPresence(nats.client, { instanceId: 'me' } as AppConfig);
    presence.opened('bob');
    nats.published.length = 0;
    nats.reconnect();
    expect(nats.published).toEqual([
      { subject: `${PRESENCE_SUBJECT_PREFIX}me`, data: { op: 'all', gen: 2, handles: ['bob'], last: true } },
      { subject: PRESENCE_SYNC_SUBJECT, data: undefined },
    ]);
    expect(presence.inDoubt()).toBe(true);
  });

  it('answers whether another instance holds a name from the table, and asks only while in doubt or says no without NATS', async () => {
    jest.useFakeTimers();
    try {
      const nats = fakeNats();
      presence = new ClusterPresence(nats.client, { instanceId: 'me' } as AppConfig);
      nats.deliver(`${PRESENCE_SUBJECT_PREFIX}i2`, `{"op":"open","handles":["${relayReaderName('ab12')}"]}`);
      const confirm = jest.fn(() => Promise.resolve(false));
      // Just connected: the confirmation decides, whatever the table says.
      expect(await presence.heldElsewhere(relayReaderName('ab12'), confirm)).toBe(false);
      expect(confirm).toHaveBeenCalledTimes(1);
      jest.advanceTimersByTime(2_001);
      expect(await presence.heldElsewhere(relayReaderName('ab12'), confirm)).toBe(true);
      expect(await presence.heldElsewhere(relayReaderName('cd34'), confirm)).toBe(false);
      // A handle and a relay reader never share a name.
      expect(await presence.heldElsewhere('ab12', confirm)).toBe(false);
      expect(confirm).toHaveBeenCalledTimes(1);
      const away = new ClusterPresence(
        { ...nats.client, connection: undefined, whenConnected: () => undefined, whenReconnected: () => undefined } as unknown as NatsClient,
        {
          instanceId: 'me',
        } as AppConfig,
      );
      expect(await away.heldElsewhere(relayReaderName('ab12'), confirm)).toBe(false);
      expect(confirm).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
