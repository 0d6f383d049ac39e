import { deriveIdentity, generateSeed, openV2 } from '@kez/crypto';

import { MemoryStore } from '../storage/memory-store';
import { FakeHomeServer } from '../testing/fake-home-server';
import { ChatBook } from './chat-book';
import { ChatRepository } from './chat-repository';
import { type MessageStatus, newConversation } from './model';
import { OrderClock } from './order-clock';
import { MAX_MESSAGE_LENGTH, Outbox } from './outbox';

const alice = deriveIdentity(generateSeed());
const bob = deriveIdentity(generateSeed());

function setup() {
  const server = new FakeHomeServer();
  server.add('bob', bob.primary);
  const book = new ChatBook();
  book.upsert(newConversation(bob.primary, 'bob', 'chat.test', 1));
  const repository = new ChatRepository(new MemoryStore());
  const outbox = new Outbox(alice, server, book, repository, new OrderClock());
  const thread = () => book.state.threads.get(bob.primary) ?? [];
  return { server, book, repository, outbox, thread };
}

describe(Outbox.name, () => {
  it('shows the message as sending at once, then sent once the server stored it', async () => {
    const { server, book, outbox, thread, repository } = setup();
    const statuses: MessageStatus[] = [];
    book.subscribe((snapshot) => {
      const status = snapshot.threads.get(bob.primary)?.[0]?.status;
      if (status !== undefined && status !== statuses.at(-1)) {
        statuses.push(status);
      }
    });
    await outbox.send(bob.primary, '  hello bob \n');
    expect(statuses).toEqual(['sending', 'sent']);
    expect(thread()[0]).toMatchObject({ direction: 'out', body: 'hello bob', status: 'sent' });
    expect(book.conversation(bob.primary)).toMatchObject({ preview: 'hello bob', previewDirection: 'out', unread: 0 });
    expect(await repository.messages()).toEqual([expect.objectContaining({ status: 'sent' })]);

    const opened = openV2(bob, server.inboxes.get('bob')![0]!.envelope);
    expect(opened).toMatchObject({ from: alice.primary, id: thread()[0]!.id, body: 'hello bob' });
  });

  it('marks a message failed with the reason, and a retry sends it with the same id', async () => {
    const { server, outbox, thread } = setup();
    server.failWith = 'network';
    await outbox.send(bob.primary, 'are you there?');
    expect(thread()[0]).toMatchObject({ status: 'failed', error: 'Can’t reach the server. Check your connection and try again.' });
    server.goUp();
    await outbox.retry(bob.primary, thread()[0]!.id);
    expect(thread()[0]).toMatchObject({ status: 'sent' });
    expect(thread()[0]).not.toHaveProperty('error');
    expect(openV2(bob, server.inboxes.get('bob')![0]!.envelope).id).toBe(thread()[0]!.id);
  });

  it('sends nothing for blank or overlong text', async () => {
    const { server, outbox, thread } = setup();
    await outbox.send(bob.primary, '  \n ');
    await outbox.send(bob.primary, 'x'.repeat(MAX_MESSAGE_LENGTH + 1));
    expect(thread()).toEqual([]);
    expect(server.inboxes.size).toBe(0);
  });

  it('only retries failed messages', async () => {
    const { server, outbox, thread } = setup();
    await outbox.send(bob.primary, 'once');
    await outbox.retry(bob.primary, thread()[0]!.id);
    expect(server.inboxes.get('bob')).toHaveLength(1);
  });

  it('offers a retry for messages the page closed on', async () => {
    const { book, outbox, thread } = setup();
    book.add({ id: 'x', peer: bob.primary, direction: 'out', body: 'hm', sentAt: 1, order: 5, status: 'sending' });
    await outbox.failInterrupted();
    expect(thread()[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('page closed') });
  });
});
