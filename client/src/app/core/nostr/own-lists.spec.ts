import { deriveIdentity, generateSeed } from '@kez/crypto';
import { readDmRelayList } from '@kez/nostr';

import { MemoryStore } from '../storage/memory-store';
import { FakeRelayNetwork } from '../testing/fake-relay-network';
import { FakeTimers } from '../testing/fake-timers';
import { NostrTransport } from './nostr-transport';
import { buildProfile, publishOwnLists } from './own-lists';

const alice = deriveIdentity(generateSeed());

describe(publishOwnLists.name, () => {
  it('publishes 10002 and 10050 with the NIP-06 key once, never a kind 0, and again when the relays change', async () => {
    const network = new FakeRelayNetwork();
    const store = new MemoryStore();
    const transport = new NostrTransport({ identity: alice, relays: network.pool(), store, timers: new FakeTimers() });
    const report = await publishOwnLists(transport, store, ['wss://relay.test/']);
    expect(report?.relayList.accepted).toEqual(['wss://relay.test/']);
    expect(report?.profile).toBeUndefined();
    expect(network.events.map((event) => event.kind).sort((a, b) => a - b)).toEqual([10002, 10050]);
    expect(network.events.every((event) => event.pubkey === alice.addr)).toBe(true);
    expect(readDmRelayList(network.events.find((event) => event.kind === 10050)!)).toEqual(['wss://relay.test/']);

    expect(await publishOwnLists(transport, store, ['wss://relay.test/'])).toBeNull();
    expect(network.events).toHaveLength(2);
    await publishOwnLists(transport, store, ['wss://relay.test/', 'wss://other.test/']);
    expect(network.events).toHaveLength(4);
  });

  it('tries again at the next start when no relay took the lists', async () => {
    const network = new FakeRelayNetwork();
    const store = new MemoryStore();
    const transport = new NostrTransport({ identity: alice, relays: network.pool(), store, timers: new FakeTimers() });
    network.refuse = 'blocked: not now';
    await publishOwnLists(transport, store, ['wss://relay.test/']);
    network.refuse = undefined;
    expect(await publishOwnLists(transport, store, ['wss://relay.test/'])).not.toBeNull();
  });
});

describe(buildProfile.name, () => {
  it('keeps extra fields but never lets them replace the name or NIP-05', () => {
    expect(buildProfile({ handle: 'bob', server: 'chat.test' }, { picture: 'https://p.test/a.png', name: 'mallory' })).toEqual({
      picture: 'https://p.test/a.png',
      name: 'bob',
      nip05: 'bob@chat.test',
    });
  });
});
