import { deriveIdentity, generateSeed } from '@kez/crypto';
import { readDmRelayList, readProfile } from '@kez/nostr';

import { MemoryStore } from '../storage/memory-store';
import { FakeRelayNetwork } from '../testing/fake-relay-network';
import { FakeTimers } from '../testing/fake-timers';
import { NostrTransport } from './nostr-transport';
import { buildProfile, publishOwnLists } from './own-lists';

const alice = deriveIdentity(generateSeed());

describe(publishOwnLists.name, () => {
  it('publishes 10002, 10050 and kind 0 with the NIP-06 key once, and again when the relays change', async () => {
    const network = new FakeRelayNetwork();
    const store = new MemoryStore();
    const transport = new NostrTransport({ identity: alice, relays: network.pool(), store, timers: new FakeTimers() });
    const profile = buildProfile({ handle: 'alice', server: 'chat.test' });
    const report = await publishOwnLists(transport, store, ['wss://relay.test/'], profile);
    expect(report?.relayList.accepted).toEqual(['wss://relay.test/']);
    expect(network.events.map((event) => event.kind).sort((a, b) => a - b)).toEqual([0, 10002, 10050]);
    expect(network.events.every((event) => event.pubkey === alice.addr)).toBe(true);
    expect(readDmRelayList(network.events.find((event) => event.kind === 10050)!)).toEqual(['wss://relay.test/']);
    expect(readProfile(network.events.find((event) => event.kind === 0)!)).toMatchObject({ name: 'alice', nip05: 'alice@chat.test' });

    expect(await publishOwnLists(transport, store, ['wss://relay.test/'], profile)).toBeNull();
    expect(network.events).toHaveLength(3);
    await publishOwnLists(transport, store, ['wss://relay.test/', 'wss://other.test/'], profile);
    expect(network.events).toHaveLength(6);
  });

  it('publishes only the two relay lists when the profile is left to its own publisher', async () => {
    const network = new FakeRelayNetwork();
    const store = new MemoryStore();
    const transport = new NostrTransport({ identity: alice, relays: network.pool(), store, timers: new FakeTimers() });
    expect((await publishOwnLists(transport, store, ['wss://relay.test/']))?.profile).toBeUndefined();
    expect(network.events.map((event) => event.kind).sort((a, b) => a - b)).toEqual([10002, 10050]);
    expect(await publishOwnLists(transport, store, ['wss://relay.test/'])).toBeNull();
  });

  it('tries again at the next start when no relay took the lists', async () => {
    const network = new FakeRelayNetwork();
    const store = new MemoryStore();
    const transport = new NostrTransport({ identity: alice, relays: network.pool(), store, timers: new FakeTimers() });
    network.refuse = 'blocked: not now';
    await publishOwnLists(transport, store, ['wss://relay.test/'], buildProfile({ handle: 'alice', server: 'chat.test' }));
    network.refuse = undefined;
    expect(await publishOwnLists(transport, store, ['wss://relay.test/'], buildProfile({ handle: 'alice', server: 'chat.test' }))).not.toBeNull();
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
