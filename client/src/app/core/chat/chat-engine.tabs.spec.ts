import { deriveIdentity, generateSeed } from '@kez/crypto';

import { MemoryStore } from '../storage/memory-store';
import { LeaderRepository } from '../tabs/leader-repository';
import { SharedStream } from '../tabs/shared-stream';
import { FakeHomeServer } from '../testing/fake-home-server';
import { FakeLocks, FakeTabHub } from '../testing/fake-tabs';
import { FakeTimers } from '../testing/fake-timers';
import { ChatEngine } from './chat-engine';

// One person in several tabs of one browser (one IndexedDB, Web Locks and a
// BroadcastChannel, here in memory): only the leading tab sends, so a message is
// posted once whichever tab wrote it, and after a reload no two tabs send the same
// queued message.

const alice = deriveIdentity(generateSeed());
const bob = deriveIdentity(generateSeed());
const carol = deriveIdentity(generateSeed());

const settled = async () => {
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
};

/** A home server knowing alice and bob, and alice's browser: its storage, locks and channel. */
function world() {
  const server = new FakeHomeServer();
  server.add('alice', alice.primary);
  server.add('bob', bob.primary);
  server.add('carol', carol.primary);
  return { server, timers: new FakeTimers(), store: new MemoryStore(), hub: new FakeTabHub(), locks: new FakeLocks() };
}

type World = ReturnType<typeof world>;

/** One tab of alice's, wired as core/chat.ts wires it; resolves once it knows whether it leads. */
async function aliceTab({ server, timers, store, hub, locks }: World) {
  const shared = new SharedStream(server.connect, hub.join(), locks, `kez-stream:${alice.primary}`);
  await shared.decided;
  const engine = new ChatEngine({
    identity: alice,
    self: { primary: alice.primary, handle: 'alice', server: server.name },
    api: server,
    repository: new LeaderRepository(store, () => shared.isLeader),
    connect: shared.connect,
    timers,
    pollIntervalMs: 30_000,
    leads: () => shared.isLeader,
    leading: shared.leading,
    tabs: shared,
  });
  await engine.start();
  return {
    engine,
    shared,
    close: () => {
      engine.stop();
      shared.stop();
    },
  };
}

/** What alice posted to bob that would wake him (her messages; receipts and copies to self do not). */
const postsToBob = (server: FakeHomeServer) => server.pushes.filter((post) => post.to === 'bob' && post.push).length;
const statuses = (engine: ChatEngine) => (engine.book.state.threads.get(bob.primary) ?? []).map((message) => [message.body, message.status]);

describe(`${ChatEngine.name} in several tabs`, () => {
  it("sends a following tab's message once, from the leader, and both tabs show it sent", async () => {
    const browser = world();
    const first = await aliceTab(browser);
    const second = await aliceTab(browser);
    expect([first.shared.isLeader, second.shared.isLeader]).toEqual([true, false]);
    await second.engine.startChat('bob');
    await second.engine.send(bob.primary, 'from the second tab');
    await settled();
    await first.engine.idle();
    expect(postsToBob(browser.server)).toBe(1);
    expect(statuses(first.engine)).toEqual([['from the second tab', 'sent']]);
    expect(statuses(second.engine)).toEqual([['from the second tab', 'sent']]);
    // The leader stored the outcome: a reload shows it sent.
    expect((await browser.store.list<{ status: string }>('messages')).map((message) => message.status)).toEqual(['sent']);
    first.close();
    second.close();
  });

  it('sends a queued message once after a reload of both tabs', async () => {
    const browser = world();
    const first = await aliceTab(browser);
    await first.engine.startChat('bob');
    browser.server.goDown();
    await first.engine.send(bob.primary, 'written while the server was down');
    await settled();
    expect(statuses(first.engine)).toEqual([['written while the server was down', 'queued']]);
    first.close();

    // Both tabs reload and find the same queued message; then the server is back.
    const reloaded = [await aliceTab(browser), await aliceTab(browser)];
    await settled();
    expect(reloaded.map((tab) => statuses(tab.engine))).toEqual([
      [['written while the server was down', 'queued']],
      [['written while the server was down', 'queued']],
    ]);
    browser.server.goUp();
    for (const tab of reloaded) {
      tab.engine.reconnectNow();
    }
    browser.timers.advance(60_000);
    await settled();
    await reloaded[0]!.engine.idle();
    expect(postsToBob(browser.server)).toBe(1);
    expect(reloaded.map((tab) => statuses(tab.engine))).toEqual([
      [['written while the server was down', 'sent']],
      [['written while the server was down', 'sent']],
    ]);
    reloaded.forEach((tab) => tab.close());
  });

  it('hands what the closing leader left queued to the tab that leads next', async () => {
    const browser = world();
    const first = await aliceTab(browser);
    const second = await aliceTab(browser);
    await second.engine.startChat('bob');
    browser.server.goDown();
    // Written in the following tab; the leader takes it, cannot send it, and closes.
    await second.engine.send(bob.primary, 'left behind');
    await settled();
    expect(statuses(first.engine)).toEqual([['left behind', 'queued']]);
    expect(postsToBob(browser.server)).toBe(0);
    browser.server.goUp();
    first.close();
    await second.shared.leading;
    await settled();
    await second.engine.idle();
    expect(postsToBob(browser.server)).toBe(1);
    expect(statuses(second.engine)).toEqual([['left behind', 'sent']]);
    second.close();
  });

  it('shows a message queued in the leading tab in the others at once, while the queue waits', async () => {
    const browser = world();
    const first = await aliceTab(browser);
    const second = await aliceTab(browser);
    await first.engine.startChat('bob');
    browser.server.goDown();
    await first.engine.send(bob.primary, 'one');
    await settled();
    // The queue now waits out its backoff; a second message only joins it.
    await first.engine.send(bob.primary, 'two');
    await settled();
    expect(statuses(second.engine).map(([body]) => body)).toEqual(['one', 'two']);
    expect(second.engine.book.conversation(bob.primary)?.preview).toBe('two');
    first.close();
    second.close();
  });

  it('counts a thread read in every tab once one tab shows it, and stores that', async () => {
    const browser = world();
    const first = await aliceTab(browser);
    const second = await aliceTab(browser);
    // carol writes to alice (her own engine, on the same server).
    const writer = new ChatEngine({
      identity: carol,
      self: { primary: carol.primary, handle: 'carol', server: browser.server.name },
      api: browser.server,
      repository: new LeaderRepository(new MemoryStore(), () => true),
      connect: browser.server.connect,
      timers: browser.timers,
      pollIntervalMs: 30_000,
    });
    await writer.start();
    await writer.startChat('alice');
    await writer.send(alice.primary, 'one');
    await writer.send(alice.primary, 'two');
    await settled();
    const unread = () => [first, second].map((tab) => tab.engine.book.conversation(carol.primary)?.unread);
    expect(unread()).toEqual([2, 2]);
    // The following tab opens the thread: the leader's count clears too, and is stored.
    await second.engine.setActive(carol.primary);
    await settled();
    expect(unread()).toEqual([0, 0]);
    // A message that comes in while it is on screen there is read in both.
    await writer.send(alice.primary, 'three');
    await settled();
    await first.engine.idle();
    expect(unread()).toEqual([0, 0]);
    const stored = await browser.store.list<{ peer: string; unread: number }>('conversations');
    expect(stored.find((conversation) => conversation.peer === carol.primary)?.unread).toBe(0);
    writer.stop();
    first.close();
    second.close();
  });
});
