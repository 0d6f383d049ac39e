import { deriveIdentity, generateSeed, openV2 } from '@kez/crypto';

import { ApiError } from '../api/api-error';
import { MemoryStore } from '../storage/memory-store';
import { failure, FakeHomeServer } from '../testing/fake-home-server';
import { FakeTimers } from '../testing/fake-timers';
import { ChatBook } from './chat-book';
import { ChatRepository } from './chat-repository';
import { type MessageStatus, newConversation } from './model';
import { OrderClock } from './order-clock';
import { HOME_VERDICT_MS, MAX_MESSAGE_LENGTH, Outbox } from './outbox';

const alice = deriveIdentity(generateSeed());
const bob = deriveIdentity(generateSeed());
const carol = deriveIdentity(generateSeed());

/** Alice's outbox towards bob (and carol, who has no handle), on one fake server. */
function setup(store = new MemoryStore(), server = new FakeHomeServer()) {
  server.add('alice', alice.primary);
  server.add('bob', bob.primary);
  const timers = new FakeTimers();
  const book = new ChatBook();
  book.upsert(newConversation(bob.primary, 'bob', 'chat.test', 1));
  book.upsert(newConversation(carol.primary, null, null, 2));
  const repository = new ChatRepository(store);
  const outbox = new Outbox({ identity: alice, selfHandle: 'alice', api: server, book, repository, clock: new OrderClock(), timers });
  const thread = () => book.state.threads.get(bob.primary) ?? [];
  const toBob = () => (server.inboxes.get('bob') ?? []).map((stored) => openV2(bob, stored.envelope, stored.created_at));
  const toSelf = () => (server.inboxes.get('alice') ?? []).map((stored) => openV2(alice, stored.envelope, stored.created_at));
  return { server, timers, book, repository, outbox, thread, toBob, toSelf, store };
}

/** Lets the queue's promise work finish after a timer fired it. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe(Outbox.name, () => {
  it('shows the message at once, sends it, then posts a copy to self without push', async () => {
    const { server, book, outbox, thread, repository, toBob, toSelf } = setup();
    const statuses: MessageStatus[] = [];
    book.subscribe((snapshot) => {
      const status = snapshot.threads.get(bob.primary)?.[0]?.status;
      if (status !== undefined && status !== statuses.at(-1)) {
        statuses.push(status);
      }
    });
    await outbox.send(bob.primary, '  hello bob \n');
    expect(statuses).toEqual(['queued', 'sending', 'sent']);
    expect(thread()[0]).toMatchObject({ direction: 'out', body: 'hello bob', status: 'sent' });
    expect(thread()[0]).not.toHaveProperty('copyPending');
    expect(book.conversation(bob.primary)).toMatchObject({ preview: 'hello bob', previewDirection: 'out', unread: 0 });
    expect(await repository.messages()).toEqual([expect.objectContaining({ status: 'sent' })]);

    const id = thread()[0]!.id;
    expect(toBob()).toEqual([expect.objectContaining({ from: alice.primary, to: bob.primary, id, body: 'hello bob' })]);
    expect(toSelf()).toEqual([expect.objectContaining({ from: alice.primary, to: alice.primary, id, body: 'hello bob', extra: { peer: bob.primary } })]);
    expect(server.pushes).toEqual([
      { to: 'bob', push: true },
      { to: 'alice', push: false },
    ]);
  });

  it('queues a send while the server is down, says so, and sends it once by itself when it is back', async () => {
    const { server, timers, outbox, thread, toBob } = setup();
    server.failWith = 'network';
    await outbox.send(bob.primary, 'are you there?');
    expect(thread()[0]).toMatchObject({ status: 'queued', error: expect.stringContaining('Waiting for connection') });
    // It keeps trying on its own, backing off, without ever turning "failed".
    timers.advance(1_000);
    await settled();
    expect(thread()[0]!.status).toBe('queued');
    expect(timers.delays()).toHaveLength(1);

    server.goUp();
    timers.advance(60_000);
    await settled();
    expect(thread()[0]).toMatchObject({ status: 'sent' });
    expect(thread()[0]).not.toHaveProperty('error');
    expect(toBob().map((message) => message.body)).toEqual(['are you there?']);
    timers.advance(60_000);
    await settled();
    expect(toBob()).toHaveLength(1);
    expect(timers.delays()).toEqual([]);
  });

  it('sends at once when woken (the link is live again), without waiting out the backoff', async () => {
    const { server, outbox, thread, toBob } = setup();
    server.failWith = 'unavailable';
    await outbox.send(bob.primary, 'one');
    await outbox.send(bob.primary, 'two');
    expect(thread().map((message) => message.status)).toEqual(['queued', 'queued']);
    expect(thread()[0]!.error).toContain('recover');
    server.goUp();
    await outbox.wake();
    expect(thread().map((message) => message.status)).toEqual(['sent', 'sent']);
    expect(toBob().map((message) => message.body)).toEqual(['one', 'two']);
  });

  it('waits out Retry-After after a rate limit, then sends, never showing a stale "try again"', async () => {
    const { server, timers, outbox, thread, toBob } = setup();
    server.refuseNext.push(new ApiError('rate_limited', 429, 'slow down', 7));
    await outbox.send(bob.primary, 'fast');
    expect(thread()[0]).toMatchObject({ status: 'queued', error: expect.stringContaining('slow down') });
    expect(timers.delays()).toEqual([7_000]);
    timers.advance(6_999);
    await settled();
    expect(toBob()).toEqual([]);
    timers.advance(1);
    await settled();
    expect(thread()[0]!.status).toBe('sent');
    expect(toBob()).toHaveLength(1);
  });

  it('fails for good what can never be sent, with the reason, and goes on with the next', async () => {
    const { server, book, outbox, thread, toBob } = setup();
    server.refuseNext.push(failure('not_found'));
    await outbox.send(bob.primary, 'to a handle that is gone');
    await outbox.send(carol.primary, 'to someone without a handle');
    await outbox.send(bob.primary, 'next');
    expect(thread()[0]).toMatchObject({ status: 'failed', error: 'This person’s handle no longer exists on the server.' });
    expect(book.state.threads.get(carol.primary)![0]).toMatchObject({ status: 'failed', error: expect.stringContaining('no handle') });
    expect(thread()[1]!.status).toBe('sent');
    expect(toBob().map((message) => message.body)).toEqual(['next']);
  });

  it('sends a failed message again on Retry, with the same id', async () => {
    const { server, outbox, thread, toBob } = setup();
    server.refuseNext.push(failure('payload_too_large'));
    await outbox.send(bob.primary, 'retry me');
    expect(thread()[0]!.status).toBe('failed');
    await outbox.retry(bob.primary, thread()[0]!.id);
    expect(thread()[0]!.status).toBe('sent');
    expect(toBob().map((message) => message.id)).toEqual([thread()[0]!.id]);
  });

  it('keeps the queue across a reload and sends what was waiting or in flight, once each', async () => {
    const first = setup();
    first.server.failWith = 'network';
    await first.outbox.send(bob.primary, 'queued before the reload');
    first.outbox.stop();
    // Another message was in flight when the page closed.
    const conversation = first.book.conversation(bob.primary)!;
    await first.repository.saveMessage(
      { id: 'inflight', peer: bob.primary, direction: 'out', body: 'in flight', sentAt: 1, order: first.thread()[0]!.order + 1, status: 'sending' },
      conversation,
    );

    first.server.goUp();
    const reloaded = setup(first.store, first.server);
    reloaded.book.load(await reloaded.repository.conversations(), await reloaded.repository.messages());
    await reloaded.outbox.resume();
    expect(reloaded.thread().map((message) => [message.body, message.status])).toEqual([
      ['queued before the reload', 'sent'],
      ['in flight', 'sent'],
    ]);
    expect(reloaded.toBob().map((message) => message.body)).toEqual(['queued before the reload', 'in flight']);
  });

  it('reseals a message that waited longer than 6 days with the current time', async () => {
    const { book, outbox, thread, toBob } = setup();
    const old = Math.floor(Date.now() / 1000) - 8 * 24 * 3600;
    book.add({ id: 'old', peer: bob.primary, direction: 'out', body: 'old', sentAt: old, order: 10, status: 'queued' });
    await outbox.wake();
    expect(thread()[0]!.sentAt).toBeGreaterThan(old + 7 * 24 * 3600);
    expect(toBob()).toHaveLength(1);
  });

  it('posts a copy to self that failed later, without showing the message as unsent', async () => {
    const { server, timers, outbox, thread, toBob, toSelf, repository } = setup();
    const post = server.postMessage.bind(server);
    server.postMessage = (to, envelope, options) => (to === 'alice' ? Promise.reject(failure('network')) : post(to, envelope, options));
    await outbox.send(bob.primary, 'mine');
    expect(thread()[0]).toMatchObject({ status: 'sent', copyPending: true });
    expect(await repository.messages()).toEqual([expect.objectContaining({ copyPending: true })]);
    server.postMessage = post;
    timers.advance(60_000);
    await settled();
    expect(thread()[0]).not.toHaveProperty('copyPending');
    expect(toBob()).toHaveLength(1);
    expect(toSelf().map((message) => message.body)).toEqual(['mine']);
  });

  it('gives the relays a message once the home server kept silent for HOME_VERDICT_MS, and never before', async () => {
    // The home server takes the post and never answers.
    class SilentServer extends FakeHomeServer {
      override postMessage(): Promise<{ seq: number; created_at: number }> {
        return new Promise(() => undefined);
      }
    }
    const silent = new SilentServer();
    const timers = new FakeTimers();
    const book = new ChatBook();
    book.upsert({ ...newConversation(bob.primary, 'bob', 'chat.test', 1), addr: bob.addr });
    const relayed: string[] = [];
    const route = {
      send: (_peer: unknown, content: { body: string }, onAccepted: (path: string) => void) => {
        relayed.push(content.body);
        onAccepted('ws://relay.test/');
        return Promise.resolve({ first: 'ws://relay.test/', accepted: ['ws://relay.test/'], refused: [] });
      },
      sendDirect: () => Promise.reject(new Error('not used')),
    };
    const outbox = new Outbox({
      identity: alice,
      selfHandle: 'alice',
      api: silent,
      book,
      repository: new ChatRepository(new MemoryStore()),
      clock: new OrderClock(),
      timers,
      relays: () => route,
    });
    void outbox.send(bob.primary, 'server is silent');
    await settled();
    expect(relayed).toEqual([]);
    timers.advance(HOME_VERDICT_MS - 1);
    await settled();
    expect(relayed).toEqual([]);
    timers.advance(1);
    await settled();
    expect(relayed).toEqual(['server is silent']);
    outbox.stop();
  });

  it('sends nothing for blank or overlong text', async () => {
    const { server, outbox, thread } = setup();
    await outbox.send(bob.primary, '  \n ');
    await outbox.send(bob.primary, 'x'.repeat(MAX_MESSAGE_LENGTH + 1));
    expect(thread()).toEqual([]);
    expect(server.inboxes.size).toBe(0);
  });

  it('makes no attempt once stopped (locked); the queue stays stored', async () => {
    const { server, timers, outbox, repository } = setup();
    server.failWith = 'network';
    await outbox.send(bob.primary, 'later');
    outbox.stop();
    server.goUp();
    timers.advance(60_000);
    await outbox.wake();
    expect(server.inboxes.size).toBe(0);
    expect(await repository.messages()).toEqual([expect.objectContaining({ status: 'queued' })]);
  });
});
