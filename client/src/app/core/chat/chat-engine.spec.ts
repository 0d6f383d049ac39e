import { deriveIdentity, generateSeed, type Identity } from '@kez/crypto';

import { MemoryStore } from '../storage/memory-store';
import { FakeHomeServer } from '../testing/fake-home-server';
import { FakeTimers } from '../testing/fake-timers';
import { ChatEngine } from './chat-engine';
import { ChatRepository } from './chat-repository';

// Two people's engines on one in-memory home server: the whole client logic between
// typing a message and seeing it on the other side, without a browser.

const alice = deriveIdentity(generateSeed());
const bob = deriveIdentity(generateSeed());

/** Lets queued promise work (stream delivery, processing, storage) finish. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

function engineFor(identity: Identity, handle: string, server: FakeHomeServer, timers: FakeTimers, store = new MemoryStore()) {
  const engine = new ChatEngine({
    identity,
    self: { primary: identity.primary, handle, server: server.name },
    api: server,
    repository: new ChatRepository(store),
    connect: server.connect,
    timers,
    pollIntervalMs: 30_000,
  });
  return { engine, store };
}

async function setup() {
  const server = new FakeHomeServer();
  server.add('alice', alice.primary);
  server.add('bob', bob.primary);
  const timers = new FakeTimers();
  const a = engineFor(alice, 'alice', server, timers);
  const b = engineFor(bob, 'bob', server, timers);
  await Promise.all([a.engine.start(), b.engine.start()]);
  await settled();
  return { server, timers, a, b };
}

const bodies = (engine: ChatEngine, peer: string) => (engine.book.state.threads.get(peer) ?? []).map((m) => m.body);

describe(ChatEngine.name, () => {
  it('goes live on a stream signed for its own handle', async () => {
    const { server, a, b } = await setup();
    expect(a.engine.book.state.link).toBe('live');
    expect(b.engine.book.state.link).toBe('live');
    // The fake server refuses a stream whose auth does not verify for the handle.
    expect(server.sources.every((source) => !source.closed)).toBe(true);
    a.engine.stop();
    b.engine.stop();
  });

  it('carries messages both ways in one thread per person', async () => {
    const { a, b } = await setup();
    const started = await a.engine.startChat('bob@chat.test');
    expect(started).toMatchObject({ ok: true, conversation: { peer: bob.primary, handle: 'bob' } });
    await a.engine.send(bob.primary, 'hi bob');
    await settled();
    await b.engine.idle();
    expect(bodies(b.engine, alice.primary)).toEqual(['hi bob']);
    expect(b.engine.book.conversation(alice.primary)).toMatchObject({ handle: 'alice', unread: 1 });

    await b.engine.setActive(alice.primary);
    await b.engine.send(alice.primary, 'hi alice');
    await settled();
    await a.engine.idle();
    expect(bodies(a.engine, bob.primary)).toEqual(['hi bob', 'hi alice']);
    expect(a.engine.book.state.conversations).toHaveLength(1);
    expect(b.engine.book.conversation(alice.primary)!.unread).toBe(0);
    a.engine.stop();
    b.engine.stop();
  });

  it('reports the outage, queues sends, and sends them by itself once the link is back, missing nothing', async () => {
    const { server, timers, a, b } = await setup();
    await a.engine.startChat('bob');
    server.goDown();
    expect(b.engine.book.state.link).toBe('reconnecting');
    await a.engine.send(bob.primary, 'lost?');
    expect(a.engine.book.state.threads.get(bob.primary)![0]).toMatchObject({ status: 'queued', error: expect.stringContaining('Waiting for connection') });

    server.goUp();
    await a.engine.send(bob.primary, 'after the restart');
    timers.advance(15_000);
    await settled();
    await b.engine.idle();
    expect(b.engine.book.state.link).toBe('live');
    // Bob's client acknowledged both over the home server.
    expect(a.engine.book.state.threads.get(bob.primary)!.map((m) => m.status)).toEqual(['delivered', 'delivered']);
    expect(bodies(b.engine, alice.primary)).toEqual(['lost?', 'after the restart']);
    a.engine.stop();
    b.engine.stop();
  });

  it('sends the queue as soon as the link is live again, not when the backoff says', async () => {
    const { server, a, b } = await setup();
    await a.engine.startChat('bob');
    server.goDown();
    await a.engine.send(bob.primary, 'queued');
    server.goUp();
    // The browser says it is online again: the stream reopens and the queue goes with it.
    a.engine.reconnectNow();
    await settled();
    await settled();
    await b.engine.idle();
    expect(a.engine.book.state.threads.get(bob.primary)![0]!.status).toBe('sent');
    a.engine.stop();
    b.engine.stop();
  });

  it("shows what one device sends on the same person's other device, as sent by them", async () => {
    const { server, timers, a, b } = await setup();
    const phone = engineFor(alice, 'alice', server, timers);
    await phone.engine.start();
    await settled();
    await a.engine.startChat('bob');
    await a.engine.send(bob.primary, 'from the laptop');
    await settled();
    await phone.engine.idle();
    expect(phone.engine.book.state.threads.get(bob.primary)).toEqual([
      // Bob's receipt reaches every device of alice's.
      expect.objectContaining({ direction: 'out', body: 'from the laptop', status: 'delivered' }),
    ]);
    expect(phone.engine.book.conversation(bob.primary)).toMatchObject({ handle: 'bob', unread: 0 });
    // The sending device does not show its own copy twice.
    await a.engine.idle();
    expect(bodies(a.engine, bob.primary)).toEqual(['from the laptop']);
    for (const engine of [a.engine, b.engine, phone.engine]) {
      engine.stop();
    }
  });

  it('brings back both sides of a conversation after a restore into an empty browser', async () => {
    const { server, timers, a, b } = await setup();
    await a.engine.startChat('bob');
    await a.engine.send(bob.primary, 'hi bob');
    await settled();
    await b.engine.idle();
    await b.engine.send(alice.primary, 'hi alice');
    await settled();
    await a.engine.send(bob.primary, 'bye');
    a.engine.stop();

    const restored = engineFor(alice, 'alice', server, timers);
    await restored.engine.start();
    await settled();
    await restored.engine.idle();
    expect(restored.engine.book.state.threads.get(bob.primary)!.map((m) => [m.direction, m.body])).toEqual([
      ['out', 'hi bob'],
      ['in', 'hi alice'],
      ['out', 'bye'],
    ]);
    restored.engine.stop();
    b.engine.stop();
  });

  it('catches up through the heartbeat poll when the stream went quiet without an error', async () => {
    const { server, timers, a, b } = await setup();
    await a.engine.startChat('bob');
    // A proxy dropped the stream silently: the server no longer reaches it, the browser never hears.
    for (const source of server.sources) {
      source.closed = true;
    }
    await a.engine.send(bob.primary, 'via the poll');
    await settled();
    expect(bodies(b.engine, alice.primary)).toEqual([]);
    timers.advance(30_000);
    await settled();
    await b.engine.idle();
    expect(bodies(b.engine, alice.primary)).toEqual(['via the poll']);
    a.engine.stop();
    b.engine.stop();
  });

  it('restores conversations, history and the inbox position from storage', async () => {
    const { server, timers, a, b } = await setup();
    await a.engine.startChat('bob');
    await a.engine.send(bob.primary, 'one');
    await settled();
    await b.engine.idle();
    b.engine.stop();
    await a.engine.send(bob.primary, 'two, while bob is away');

    const again = engineFor(bob, 'bob', server, timers, b.store);
    await again.engine.start();
    expect(bodies(again.engine, alice.primary)).toEqual(['one']);
    await settled();
    await again.engine.idle();
    expect(bodies(again.engine, alice.primary)).toEqual(['one', 'two, while bob is away']);
    // It resumed after seq 1 rather than reading the inbox from the start.
    expect(server.sources.at(-1)!.url).toMatch(/since=1$/);
    a.engine.stop();
    again.engine.stop();
  });

  it('names a sender once the registry answers again', async () => {
    const { server, a, b, timers } = await setup();
    await a.engine.startChat('bob');
    server.goDown();
    server.goUp();
    // Registry lookups fail while the message is handled...
    const lookup = server.byPrimary.bind(server);
    server.byPrimary = () => Promise.reject(new Error('registry away'));
    await a.engine.send(bob.primary, 'who is this?');
    timers.advance(15_000);
    await settled();
    await b.engine.idle();
    expect(b.engine.book.conversation(alice.primary)?.handle).toBeNull();
    // ...and the next time the stream goes live the name is looked up again.
    server.byPrimary = lookup;
    server.goDown();
    timers.advance(15_000);
    server.goUp();
    timers.advance(15_000);
    await settled();
    expect(b.engine.book.conversation(alice.primary)?.handle).toBe('alice');
    a.engine.stop();
    b.engine.stop();
  });
});
