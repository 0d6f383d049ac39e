import { deriveIdentity, generateSeed, type Identity, newMessageId, sealV2 } from '@kez/crypto';
import { buildKezEvent, unwrapDirectMessage } from '@kez/nostr';
import * as nip17 from 'nostr-tools/nip17';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import * as nip19 from 'nostr-tools/nip19';
import { npubEncode } from 'nostr-tools/nip19';
import { NOSTR_KIND_ACK, NOSTR_KIND_DM, receiptContent } from '@kez/protocol';

import { NostrTransport } from '../nostr/nostr-transport';
import { ReceiptTracker, TRACKING_MAX_AGE_SECONDS } from '../nostr/receipt-tracker';
import { MemoryStore } from '../storage/memory-store';
import { failure, FakeHomeServer } from '../testing/fake-home-server';
import { FakeRelayNetwork } from '../testing/fake-relay-network';
import { FakeTimers } from '../testing/fake-timers';
import { ChatEngine, type ChatEngineOptions } from './chat-engine';
import { ChatRepository } from './chat-repository';

// Two people's engines on an in-memory home server and in-memory relays (real
// NostrTransport): both paths at once, each failing alone, and the receipts.

const alice = deriveIdentity(generateSeed());
const bob = deriveIdentity(generateSeed());
const mallory = deriveIdentity(generateSeed());

const settled = async () => {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
};

interface Side {
  engine: ChatEngine;
  store: MemoryStore;
  transport: NostrTransport;
}

function side(
  identity: Identity,
  handle: string,
  server: FakeHomeServer,
  network: FakeRelayNetwork,
  timers: FakeTimers,
  options: { store?: MemoryStore; leads?: boolean; resolveNostr?: ChatEngineOptions['resolveNostr'] } = {},
): Side {
  const store = options.store ?? new MemoryStore();
  const engine = new ChatEngine({
    identity,
    self: { primary: identity.primary, handle, server: server.name },
    api: server,
    repository: new ChatRepository(store),
    connect: server.connect,
    timers,
    pollIntervalMs: 30_000,
    leads: () => options.leads ?? true,
    receipts: new ReceiptTracker(store),
    ...(options.resolveNostr ? { resolveNostr: options.resolveNostr } : {}),
  });
  const transport = new NostrTransport({ identity, relays: network.pool(), store, timers });
  return { engine, store, transport };
}

/** A home server knowing alice and bob, a relay network and a clock: the parts every side shares. */
function world() {
  const server = new FakeHomeServer();
  server.add('alice', alice.primary, alice.addr);
  server.add('bob', bob.primary, bob.addr);
  return { server, network: new FakeRelayNetwork(), timers: new FakeTimers() };
}

async function setup() {
  const { server, network, timers } = world();
  const a = side(alice, 'alice', server, network, timers);
  const b = side(bob, 'bob', server, network, timers);
  for (const { engine, transport } of [a, b]) {
    await engine.start();
    await engine.useRelays(transport);
  }
  await settled();
  return { server, network, timers, a, b };
}

const thread = (engine: ChatEngine, peer: string) => engine.book.state.threads.get(peer) ?? [];

describe('ChatEngine over the home server and relays', () => {
  it('sends over both paths, shows each message once, and turns the tick to delivered', async () => {
    const { server, network, a, b } = await setup();
    const started = await a.engine.startChat('bob');
    expect(started.ok && started.conversation.addr).toBe(bob.addr);
    await a.engine.send(bob.primary, 'hi bob');
    await settled();
    await b.engine.idle();
    await a.engine.idle();
    expect(thread(b.engine, alice.primary).map((m) => m.body)).toEqual(['hi bob']);
    // It travelled both ways: a KEZ DM on the relay and a post to bob's inbox.
    expect(network.events.filter((event) => event.kind === 4243)).toHaveLength(1);
    expect(server.pushes.filter((post) => post.to === 'bob' && post.push)).toHaveLength(1);
    expect(thread(a.engine, bob.primary)[0]).toMatchObject({ status: 'delivered', via: expect.any(String) });
    // The receipt went over the relay (4244) and over the home server without push.
    expect(network.events.filter((event) => event.kind === NOSTR_KIND_ACK)).toHaveLength(1);
    expect(server.pushes.filter((post) => post.to === 'alice' && !post.push).length).toBeGreaterThanOrEqual(1);
    a.engine.stop();
    b.engine.stop();
  });

  it('keeps chatting over the relays while the home server is down, receipts included', async () => {
    const { server, network, a, b } = await setup();
    await a.engine.startChat('bob');
    await b.engine.startChat('alice');
    server.goDown();
    await a.engine.send(bob.primary, 'server is gone');
    await settled();
    await b.engine.idle();
    await a.engine.idle();
    expect(thread(b.engine, alice.primary).map((m) => m.body)).toEqual(['server is gone']);
    expect(thread(a.engine, bob.primary)[0]).toMatchObject({ status: 'delivered', via: network.url, copyPending: true });
    // Alice's first copy to self waits for the server; it must not hold back her next message.
    await a.engine.send(bob.primary, 'and another');
    await settled();
    await b.engine.idle();
    expect(thread(b.engine, alice.primary).map((m) => m.body)).toEqual(['server is gone', 'and another']);
    await b.engine.send(alice.primary, 'still here');
    await settled();
    await a.engine.idle();
    expect(thread(a.engine, bob.primary).map((m) => m.body)).toEqual(['server is gone', 'and another', 'still here']);
    // The server comes back: the copy to self goes out, and nothing shows twice.
    server.goUp();
    a.engine.reconnectNow();
    b.engine.reconnectNow();
    await settled();
    await a.engine.idle();
    expect(thread(a.engine, bob.primary).map((m) => m.body)).toEqual(['server is gone', 'and another', 'still here']);
    expect(thread(a.engine, bob.primary)[0]!.copyPending).toBeUndefined();
    a.engine.stop();
    b.engine.stop();
  });

  it('fails a message the home server refuses for good (no such handle) and never gives it to the relays', async () => {
    const { server, network, a, b } = await setup();
    await a.engine.startChat('bob');
    server.refuseNext.push(failure('not_found'));
    await a.engine.send(bob.primary, 'to nobody');
    await settled();
    await a.engine.idle();
    expect(thread(a.engine, bob.primary)[0]).toMatchObject({ status: 'failed', error: 'This person’s handle no longer exists on the server.' });
    expect(network.events.filter((event) => event.kind === 4243)).toHaveLength(0);
    await b.engine.idle();
    expect(thread(b.engine, alice.primary)).toEqual([]);
    a.engine.stop();
    b.engine.stop();
  });

  it('sends over the home server alone when every relay refuses', async () => {
    const { network, a, b } = await setup();
    await a.engine.startChat('bob');
    network.refuse = 'blocked: no';
    await a.engine.send(bob.primary, 'over the server');
    await settled();
    await b.engine.idle();
    await a.engine.idle();
    expect(thread(b.engine, alice.primary).map((m) => m.body)).toEqual(['over the server']);
    expect(thread(a.engine, bob.primary)[0]).toMatchObject({ status: 'delivered', via: 'home' });
    a.engine.stop();
    b.engine.stop();
  });

  it('keeps a receipt no path took and sends it at the next start', async () => {
    const { server, network, timers, a, b } = await setup();
    await a.engine.startChat('bob');
    await b.engine.startChat('alice');
    // Bob's paths both fail when his client owes the receipt.
    b.engine.stop();
    const bobStore = b.store;
    await a.engine.send(bob.primary, 'ack me later');
    await settled();
    // At bob's next start the server takes his post of the receipt badly, and the relay refuses it.
    server.refuseNext.push(failure('unavailable'));
    network.refuse = 'blocked: down';
    const again = side(bob, 'bob', server, network, timers, { store: bobStore });
    await again.engine.start();
    await again.engine.useRelays(again.transport);
    await settled();
    await again.engine.idle();
    expect(thread(again.engine, alice.primary).map((m) => m.body)).toEqual(['ack me later']);
    expect(await new ReceiptTracker(bobStore).pendingReceipts()).toHaveLength(1);
    again.engine.stop();
    // Next start with the paths back: the owed receipt goes out and alice sees delivered.
    network.refuse = undefined;
    const third = side(bob, 'bob', server, network, timers, { store: bobStore });
    await third.engine.start();
    await third.engine.useRelays(third.transport);
    await settled();
    await third.engine.idle();
    expect(await new ReceiptTracker(bobStore).pendingReceipts()).toEqual([]);
    a.engine.reconnectNow();
    await settled();
    await a.engine.idle();
    expect(thread(a.engine, bob.primary)[0]!.status).toBe('delivered');
    a.engine.stop();
    third.engine.stop();
  });

  it('ignores a receipt signed by anyone but the recipient, and a following tab sends none', async () => {
    const { server, network, timers } = world();
    const a = side(alice, 'alice', server, network, timers);
    const b = side(bob, 'bob', server, network, timers, { leads: false });
    await a.engine.start();
    await a.engine.useRelays(a.transport);
    await b.engine.start();
    await a.engine.startChat('bob');
    await a.engine.send(bob.primary, 'who acks?');
    await settled();
    await b.engine.idle();
    expect(thread(b.engine, alice.primary).map((m) => m.body)).toEqual(['who acks?']);
    const id = thread(a.engine, bob.primary)[0]!.id;
    // Mallory acknowledges alice's message to bob, over the relay.
    network.inject(buildKezEvent(NOSTR_KIND_ACK, sealV2(mallory, alice.primary, { ...receiptContent([id]) }), alice.addr, Math.floor(Date.now() / 1000)));
    await settled();
    await a.engine.idle();
    expect(thread(a.engine, bob.primary)[0]!.status).toBe('sent');
    expect(network.events.filter((event) => event.kind === NOSTR_KIND_ACK)).toHaveLength(1);
    a.engine.stop();
    b.engine.stop();
  });

  it('shows a relay arrival the leading tab shared in a following tab at once, and leaves storing it to the leader', async () => {
    const { server, network, timers } = world();
    const leader = side(bob, 'bob', server, network, timers);
    const follower = side(bob, 'bob', server, network, timers, { store: new MemoryStore(), leads: false });
    await leader.engine.start();
    await leader.engine.useRelays(leader.transport);
    await follower.engine.start();
    const shared: Parameters<ChatEngine['fileShared']>[0][] = [];
    leader.transport.onArrival((arrival) => shared.push(arrival));
    // Alice writes over the relays only (a KEZ DM as her client would publish it).
    const content = { id: newMessageId(), body: 'over a relay only', sent_at: Math.floor(Date.now() / 1000) };
    network.inject(buildKezEvent(NOSTR_KIND_DM, sealV2(alice, bob.primary, content), bob.addr));
    await settled();
    await leader.engine.idle();
    expect(thread(leader.engine, alice.primary).map((m) => m.body)).toEqual(['over a relay only']);
    expect(shared.map((arrival) => arrival.kind)).toEqual(['message']);
    for (const arrival of shared) {
      follower.engine.fileShared(structuredClone(arrival));
    }
    await settled();
    await follower.engine.idle();
    expect(thread(follower.engine, alice.primary).map((m) => m.body)).toEqual(['over a relay only']);
    expect(await follower.store.list('messages')).toEqual([]);
    // A tab that runs relays itself already has it: the shared copy changes nothing.
    leader.engine.fileShared(structuredClone(shared[0]!));
    await settled();
    expect(thread(leader.engine, alice.primary)).toHaveLength(1);
    leader.engine.stop();
    follower.engine.stop();
  });

  it('opens a known chat without the directory while the server is down, and says why a new one cannot start', async () => {
    const { server, a, b } = await setup();
    await a.engine.startChat('bob');
    server.add('carol', mallory.primary, mallory.addr);
    server.goDown();
    const again = await a.engine.startChat('@Bob');
    expect(again.ok && again.conversation.peer).toBe(bob.primary);
    const fresh = await a.engine.startChat('carol');
    expect(fresh).toMatchObject({
      ok: false,
      problem: 'failed',
      message: 'Your home server can’t be reached, and a new chat needs it to find this person. Chats you already have keep working over the nostr relays.',
    });
    await a.engine.send(bob.primary, 'no lookup needed');
    await settled();
    await b.engine.idle();
    expect(thread(b.engine, alice.primary).map((m) => m.body)).toEqual(['no lookup needed']);
    a.engine.stop();
    b.engine.stop();
  });

  it('chats with a nostr user over NIP-17: start by npub, read their DM, answer, no receipts', async () => {
    const { network, a } = await setup();
    const peerSecret = generateSecretKey();
    const peerKey = getPublicKey(peerSecret);
    const started = await a.engine.startChat(npubEncode(peerKey));
    expect(started).toMatchObject({ ok: true, conversation: { peer: `nostr:${peerKey}`, handle: null, nostr: { pubkey: peerKey } } });
    // The peer writes from another app (nostr-tools' own NIP-17).
    network.inject(nip17.wrapEvent(peerSecret, { publicKey: alice.addr }, 'hello from elsewhere'));
    await settled();
    await a.engine.idle();
    expect(thread(a.engine, `nostr:${peerKey}`)).toEqual([expect.objectContaining({ direction: 'in', body: 'hello from elsewhere', status: 'received' })]);
    await a.engine.send(`nostr:${peerKey}`, 'hello back');
    await settled();
    await a.engine.idle();
    const wraps = network.events.filter((event) => event.kind === 1059 && event.tags.some(([name, value]) => name === 'p' && value === peerKey));
    expect(wraps).toHaveLength(1);
    expect(nip17.unwrapEvent(wraps[0]!, peerSecret)).toMatchObject({ content: 'hello back', pubkey: alice.addr });
    // Our own copy came back through the relay and is the same message, shown once, and no receipt went out.
    expect(thread(a.engine, `nostr:${peerKey}`).map((m) => [m.body, m.status])).toEqual([
      ['hello from elsewhere', 'received'],
      ['hello back', 'sent'],
    ]);
    expect(unwrapDirectMessage(wraps[0]!, peerSecret).id).toBe(thread(a.engine, `nostr:${peerKey}`)[1]!.id);
    expect(network.events.filter((event) => event.kind === NOSTR_KIND_ACK)).toHaveLength(0);
    a.engine.stop();
  });

  it('says what the server waits for when no path takes a message, and sends it once a path is back', async () => {
    const { server, network, a, b } = await setup();
    await a.engine.startChat('bob');
    server.goDown();
    network.refuse = 'blocked: down';
    await a.engine.send(bob.primary, 'nobody takes it');
    await settled();
    expect(thread(a.engine, bob.primary)[0]).toMatchObject({
      status: 'queued',
      error: expect.stringMatching(
        /^Waiting for connection\. No relay took it either \(.*blocked: down.*\)\. It goes out by itself when the server or a relay takes it\.$/,
      ),
    });
    a.engine.stop();
    b.engine.stop();
  });

  it('forgets delivery states tracked longer than the retention when it starts', async () => {
    const { server, network, timers } = world();
    const store = new MemoryStore();
    const monthAgo = Math.floor(Date.now() / 1000) - TRACKING_MAX_AGE_SECONDS - 60;
    await new ReceiptTracker(store, () => monthAgo).sending('old', bob.primary);
    await new ReceiptTracker(store).sending('recent', bob.primary);
    const a = side(alice, 'alice', server, network, timers, { store });
    await a.engine.start();
    await settled();
    const tracker = new ReceiptTracker(store);
    expect(await tracker.get('old')).toBeUndefined();
    expect(await tracker.get('recent')).toBeDefined();
    a.engine.stop();
  });

  it('names a nostr contact from their kind 0, and shows the NIP-05 address it claims only once its domain confirms it', async () => {
    const { server, network, timers } = world();
    const impostor = generateSecretKey();
    const honest = generateSecretKey();
    // alice@chat.test is alice's; erin@example.org is honest's.
    const directory: Record<string, string> = { 'alice@chat.test': alice.addr, 'erin@example.org': getPublicKey(honest) };
    const resolveNostr = async (input: string) => {
      const found = directory[input] ?? (input.startsWith('npub') ? (nip19.decode(input).data as string) : undefined);
      if (found === undefined) {
        throw new Error(`nobody is ${input}`);
      }
      return { pubkey: found, relays: [] };
    };
    const b = side(bob, 'bob', server, network, timers, { resolveNostr });
    await b.engine.start();
    await b.engine.useRelays(b.transport);
    const now = Math.floor(Date.now() / 1000);
    network.inject(finalizeEvent({ kind: 0, created_at: now, tags: [], content: JSON.stringify({ name: 'Not Alice', nip05: 'alice@chat.test' }) }, impostor));
    network.inject(finalizeEvent({ kind: 0, created_at: now, tags: [], content: JSON.stringify({ name: 'Erin', nip05: 'erin@example.org' }) }, honest));
    await b.engine.startChat(npubEncode(getPublicKey(impostor)));
    await b.engine.startChat(npubEncode(getPublicKey(honest)));
    await settled();
    await settled();
    expect(b.engine.book.conversation(`nostr:${getPublicKey(impostor)}`)?.nostr).toEqual({ pubkey: getPublicKey(impostor), name: 'Not Alice' });
    expect(b.engine.book.conversation(`nostr:${getPublicKey(honest)}`)?.nostr).toEqual({
      pubkey: getPublicKey(honest),
      name: 'Erin',
      nip05: 'erin@example.org',
    });
    b.engine.stop();
  });
});
