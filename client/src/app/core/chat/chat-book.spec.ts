import { ChatBook, type ChatSnapshot } from './chat-book';
import { type ChatMessage, newConversation } from './model';

const BOB = 'ed25519:' + 'b'.repeat(64);
const CAROL = 'ed25519:' + 'c'.repeat(64);

function incoming(id: string, order: number, peer = BOB): ChatMessage {
  return { id, peer, direction: 'in', body: `hello ${id}`, sentAt: 1_764_000_000, order, status: 'received' };
}

function bookWithBobAndCarol(): ChatBook {
  const book = new ChatBook();
  book.upsert(newConversation(BOB, 'bob', 'chat.test', 1));
  book.upsert(newConversation(CAROL, 'carol', 'chat.test', 2));
  return book;
}

describe(ChatBook.name, () => {
  it('keeps one conversation per peer key, whatever the handle', () => {
    const book = bookWithBobAndCarol();
    book.upsert({ ...newConversation(BOB, 'robert', 'chat.test', 3) });
    expect(book.state.conversations.map((c) => c.handle)).toEqual(['robert', 'carol']);
    expect(book.findByHandle('robert')?.peer).toBe(BOB);
  });

  it('lists the most recent conversation first', () => {
    const book = bookWithBobAndCarol();
    expect(book.state.conversations.map((c) => c.handle)).toEqual(['carol', 'bob']);
    book.add(incoming('m1', 10));
    expect(book.state.conversations.map((c) => c.handle)).toEqual(['bob', 'carol']);
    expect(book.conversation(BOB)).toMatchObject({ preview: 'hello m1', previewDirection: 'in', lastAt: 1_764_000_000 });
  });

  it('drops a message it already has (same peer and id)', () => {
    const book = bookWithBobAndCarol();
    expect(book.add(incoming('m1', 10))).not.toBeNull();
    expect(book.add(incoming('m1', 11))).toBeNull();
    expect(book.state.threads.get(BOB)).toHaveLength(1);
    // The same id from someone else is another message.
    expect(book.add(incoming('m1', 12, CAROL))).not.toBeNull();
  });

  it('refuses a message for a conversation it does not know', () => {
    expect(new ChatBook().add(incoming('m1', 1))).toBeNull();
  });

  it('keeps a thread in order even when a message arrives with an earlier order', () => {
    const book = bookWithBobAndCarol();
    book.add(incoming('late', 30));
    book.add(incoming('early', 20));
    expect(book.state.threads.get(BOB)!.map((m) => m.id)).toEqual(['early', 'late']);
  });

  it('counts unread messages only for threads not on screen, and clears them when one opens', () => {
    const book = bookWithBobAndCarol();
    book.setActive(CAROL);
    book.add(incoming('b1', 10));
    book.add(incoming('b2', 11));
    book.add(incoming('c1', 12, CAROL));
    expect(book.conversation(BOB)!.unread).toBe(2);
    expect(book.conversation(CAROL)!.unread).toBe(0);
    expect(book.setActive(BOB)).toMatchObject({ peer: BOB, unread: 0 });
    expect(book.conversation(BOB)!.unread).toBe(0);
    expect(book.setActive(BOB)).toBeNull();
  });

  it('takes our own newest message (sent here, or a copy to self from another device or a restore) as having read the thread', () => {
    const book = bookWithBobAndCarol();
    book.add(incoming('b1', 10));
    book.add(incoming('b2', 11));
    // An older message of ours filed late (a copy that came after) reads nothing.
    book.add({ ...incoming('old', 5), direction: 'out', status: 'sent' });
    expect(book.conversation(BOB)).toMatchObject({ unread: 2, preview: 'hello b2', previewDirection: 'in' });
    book.add({ ...incoming('reply', 12), direction: 'out', status: 'sent' });
    expect(book.conversation(BOB)!.unread).toBe(0);
    book.add(incoming('b3', 13));
    expect(book.conversation(BOB)!.unread).toBe(1);
  });

  it('updates a message in place and forgets an old error', () => {
    const book = bookWithBobAndCarol();
    book.add({ ...incoming('m1', 10), direction: 'out', status: 'failed', error: 'offline' });
    expect(book.update(BOB, 'm1', { status: 'sending' })).not.toHaveProperty('error');
    expect(book.message(BOB, 'm1')?.status).toBe('sending');
    expect(book.update(BOB, 'nope', { status: 'sent' })).toBeNull();
  });

  it('loads what storage held, sorted, without duplicates', () => {
    const book = new ChatBook();
    book.load([newConversation(BOB, 'bob', 'chat.test', 5)], [incoming('b', 20), incoming('a', 10), incoming('a', 10)]);
    expect(book.state.threads.get(BOB)!.map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('publishes a new snapshot on each change and leaves old ones untouched', () => {
    const book = bookWithBobAndCarol();
    const seen: ChatSnapshot[] = [];
    book.subscribe((snapshot) => seen.push(snapshot));
    const before = book.state;
    book.add(incoming('m1', 10));
    book.setLink('live');
    book.setLink('live');
    book.setActive(CAROL);
    book.setActive(CAROL);
    expect(seen).toHaveLength(3);
    expect(before.threads.get(BOB)).toBeUndefined();
    expect(seen[1]!.link).toBe('live');
  });
});
