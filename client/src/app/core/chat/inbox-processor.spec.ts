import { deriveIdentity, encryptV2, generateSeed, sealV2, signInnerV2 } from '@kez/crypto';

import { MemoryStore } from '../storage/memory-store';
import { FakeHomeServer } from '../testing/fake-home-server';
import { ChatBook } from './chat-book';
import { ChatRepository } from './chat-repository';
import { InboxProcessor } from './inbox-processor';
import { newConversation } from './model';
import { OrderClock } from './order-clock';
import { PeerDirectory } from './peer-directory';
import { sealSelfCopy } from './self-copy';

const alice = deriveIdentity(generateSeed());
const bob = deriveIdentity(generateSeed());
const carol = deriveIdentity(generateSeed());

function setup() {
  const server = new FakeHomeServer();
  server.add('alice', alice.primary);
  server.add('bob', bob.primary);
  const book = new ChatBook();
  const repository = new ChatRepository(new MemoryStore());
  const directory = new PeerDirectory(server, { primary: bob.primary, handle: 'bob', server: 'chat.test' });
  const processor = new InboxProcessor(bob, book, repository, directory, new OrderClock());
  /** Hands `envelope` to bob's processor as inbox message `seq` and waits until it is handled. */
  const deliver = async (seq: number, envelope: object, createdAt = Math.floor(Date.now() / 1000)) => {
    processor.accept({ seq, envelope: envelope as Record<string, unknown>, created_at: createdAt });
    await processor.idle();
  };
  return { server, book, repository, processor, deliver };
}

describe(InboxProcessor.name, () => {
  it('opens, verifies and files a message under the sender, named by the registry', async () => {
    const { book, repository, deliver } = setup();
    await deliver(1, sealV2(alice, bob.primary, { id: 'm1', body: 'hi bob' }));
    expect(book.conversation(alice.primary)).toMatchObject({ handle: 'alice', server: 'chat.test', unread: 1 });
    expect(book.state.threads.get(alice.primary)).toEqual([expect.objectContaining({ id: 'm1', direction: 'in', body: 'hi bob', status: 'received' })]);
    expect(await repository.lastSeq()).toBe(1);
    expect(await repository.messages()).toHaveLength(1);
    expect(await repository.conversations()).toEqual([expect.objectContaining({ peer: alice.primary, unread: 1 })]);
  });

  it('files a message into the existing conversation with that key', async () => {
    const { book, deliver } = setup();
    book.upsert(newConversation(alice.primary, 'alice', 'chat.test', 1));
    await deliver(1, sealV2(alice, bob.primary, { body: 'one' }));
    await deliver(2, sealV2(alice, bob.primary, { body: 'two' }));
    expect(book.state.conversations).toHaveLength(1);
    expect(book.state.threads.get(alice.primary)!.map((m) => m.body)).toEqual(['one', 'two']);
  });

  it('drops what it has seen: the same seq twice (stream and poll) and the same id twice (a retry)', async () => {
    const { book, deliver } = setup();
    const envelope = sealV2(alice, bob.primary, { id: 'same', body: 'once' });
    await deliver(1, envelope);
    await deliver(1, envelope);
    await deliver(2, sealV2(alice, bob.primary, { id: 'same', body: 'once, resealed' }));
    expect(book.state.threads.get(alice.primary)).toHaveLength(1);
    expect(book.conversation(alice.primary)!.unread).toBe(1);
  });

  it('skips envelopes that do not open, do not verify or are for someone else, but moves past them', async () => {
    const { book, repository, deliver } = setup();
    const forged = { ...signInnerV2(alice, bob.primary, { body: 'forged' }), body: 'changed after signing' };
    await deliver(1, { v: 2, enc: 'x', ct: 'y' });
    await deliver(2, encryptV2(bob.primary, forged));
    await deliver(3, sealV2(alice, carol.primary, { body: 'for carol' }));
    await deliver(4, { v: 9 });
    expect(book.state.conversations).toEqual([]);
    expect(await repository.lastSeq()).toBe(4);
  });

  it('judges freshness by when the message reached the inbox: a 10-day-old inbox row is shown', async () => {
    const { book, deliver } = setup();
    const tenDaysAgo = Math.floor(Date.now() / 1000) - 10 * 24 * 3600;
    await deliver(1, sealV2(alice, bob.primary, { id: 'old', body: 'waited ten days', sent_at: tenDaysAgo }), tenDaysAgo + 60);
    expect(book.state.threads.get(alice.primary)).toEqual([expect.objectContaining({ body: 'waited ten days', sentAt: tenDaysAgo })]);
  });

  it('drops a message dated more than 7 days before, or more than 5 minutes after, its inbox row', async () => {
    const { book, repository, deliver } = setup();
    const now = Math.floor(Date.now() / 1000);
    await deliver(1, sealV2(alice, bob.primary, { body: 'replayed', sent_at: now - 8 * 24 * 3600 }), now);
    await deliver(2, sealV2(alice, bob.primary, { body: 'from the future', sent_at: now + 6 * 60 }), now);
    expect(book.state.conversations).toEqual([]);
    expect(await repository.lastSeq()).toBe(2);
  });

  it('files a copy to self as our own sent message in the conversation it names', async () => {
    const { book, deliver } = setup();
    await deliver(1, sealSelfCopy(bob, { id: 'mine', peer: alice.primary, body: 'sent from my phone', sentAt: Math.floor(Date.now() / 1000) }));
    expect(book.conversation(alice.primary)).toMatchObject({ handle: 'alice', unread: 0, previewDirection: 'out' });
    expect(book.state.threads.get(alice.primary)).toEqual([
      expect.objectContaining({ id: 'mine', direction: 'out', status: 'sent', body: 'sent from my phone' }),
    ]);
    // The same message seen again (this device sent it, or a second copy) is not shown twice.
    await deliver(2, sealSelfCopy(bob, { id: 'mine', peer: alice.primary, body: 'sent from my phone', sentAt: Math.floor(Date.now() / 1000) }));
    expect(book.state.threads.get(alice.primary)).toHaveLength(1);
  });

  it('skips a message from ourselves that names no valid peer, or ourselves', async () => {
    const { book, deliver } = setup();
    await deliver(1, sealV2(bob, bob.primary, { body: 'no peer' }));
    await deliver(2, sealV2(bob, bob.primary, { body: 'bad peer', peer: 'ed25519:00' }));
    await deliver(3, sealV2(bob, bob.primary, { body: 'self peer', peer: bob.primary }));
    expect(book.state.conversations).toEqual([]);
  });

  it('shows a sender with no handle as unknown, and one it could not look up yet the same way', async () => {
    const { book, server, deliver } = setup();
    await deliver(1, sealV2(carol, bob.primary, { body: 'who am I' }));
    expect(book.conversation(carol.primary)).toMatchObject({ handle: null });
    server.failWith = 'network';
    await deliver(2, sealV2(alice, bob.primary, { body: 'while the registry is away' }));
    expect(book.conversation(alice.primary)).toMatchObject({ handle: null, unread: 1 });
  });

  it('does not count messages as unread in the thread on screen', async () => {
    const { book, deliver } = setup();
    book.upsert(newConversation(alice.primary, 'alice', 'chat.test', 1));
    book.setActive(alice.primary);
    await deliver(1, sealV2(alice, bob.primary, { body: 'seen at once' }));
    expect(book.conversation(alice.primary)!.unread).toBe(0);
  });

  it('resumes after the position storage held', async () => {
    const { book, processor, deliver } = setup();
    processor.resumeFrom(7);
    await deliver(7, sealV2(alice, bob.primary, { body: 'already handled' }));
    expect(book.state.conversations).toEqual([]);
    expect(processor.since).toBe(7);
  });
});
