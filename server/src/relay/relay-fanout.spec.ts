import type { NatsConnection } from 'nats';

import type { ClusterPresence } from '../broker/cluster-presence';
import { relayReaderName } from '../broker/cluster-presence';
import type { NatsClient } from '../nats/nats-client';
import type { LiveSubscriptions } from './live-subscriptions';
import { RELAY_READER_PREFIX, RelayFanout } from './relay-fanout';

/** A fanout over stubs: which keys read here, what the presence table holds, and what a request in doubt would answer. */
function fanoutWith(options: { readingHere?: string[]; inTable?: string[]; inDoubt?: boolean; answers?: boolean }) {
  const readers = new Set(options.readingHere ?? []);
  const announced: string[] = [];
  const requested: string[] = [];
  const subscribed: string[] = [];
  const nc = {
    subscribe: (subject: string) => (subscribed.push(subject), { unsubscribe: () => subscribed.splice(subscribed.indexOf(subject), 1) }),
    request: (subject: string) => (requested.push(subject), options.answers ? Promise.resolve({}) : Promise.reject(new Error('503'))),
  } as unknown as NatsConnection;
  const nats = { connection: nc, whenConnected: (setup: (c: NatsConnection) => void) => setup(nc) } as unknown as NatsClient;
  const live = { isReading: (pubkey: string) => readers.has(pubkey), readers: () => new Set(readers) } as unknown as LiveSubscriptions;
  // The table's side of ClusterPresence: its own logic is tested in cluster-presence.spec.ts.
  const presence = {
    opened: (name: string) => announced.push(`open ${name}`),
    closed: (name: string) => announced.push(`close ${name}`),
    heldElsewhere: (name: string, confirm: (c: NatsConnection) => Promise<boolean>) =>
      options.inDoubt ? confirm(nc) : Promise.resolve((options.inTable ?? []).includes(name)),
  } as unknown as ClusterPresence;
  return { fanout: new RelayFanout(nats, live, presence), readers, announced, requested, subscribed };
}

describe(RelayFanout.name, () => {
  it('answers from this instance and the presence table without a request per event', async () => {
    const { fanout, requested } = fanoutWith({ readingHere: ['aa'], inTable: [relayReaderName('bb')] });
    expect(await fanout.isReading('aa')).toBe(true);
    expect(await fanout.isReading('bb')).toBe(true);
    expect(await fanout.isReading('cc')).toBe(false);
    expect(requested).toEqual([]);
  });

  it('asks the reader subject while the table is in doubt: an answer means reading, none means not', async () => {
    expect(await fanoutWith({ inDoubt: true, answers: true }).fanout.isReading('bb')).toBe(true);
    const silent = fanoutWith({ inDoubt: true, answers: false });
    expect(await silent.fanout.isReading('bb')).toBe(false);
    expect(silent.requested).toEqual([`${RELAY_READER_PREFIX}bb`]);
  });

  it('announces a key once when it starts reading here and once when it stops, and holds its reader subject meanwhile', () => {
    const { fanout, readers, announced, subscribed } = fanoutWith({});
    readers.add('aa');
    fanout.syncReaders();
    fanout.syncReaders();
    expect(subscribed).toContain(`${RELAY_READER_PREFIX}aa`);
    readers.delete('aa');
    fanout.syncReaders();
    expect(announced).toEqual([`open ${relayReaderName('aa')}`, `close ${relayReaderName('aa')}`]);
    expect(subscribed).not.toContain(`${RELAY_READER_PREFIX}aa`);
  });
});
