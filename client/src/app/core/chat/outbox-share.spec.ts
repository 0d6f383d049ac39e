import { ChatBook } from './chat-book';
import { type ChatMessage, newConversation } from './model';
import { adoptQueued, adoptStored, showSettled } from './outbox-share';

const BOB = 'ed25519:bob';
const bobChat = newConversation(BOB, 'bob', 'chat.test', 1);

function outgoing(id: string, status: ChatMessage['status'], more: Partial<ChatMessage> = {}): ChatMessage {
  return { id, peer: BOB, direction: 'out', body: `text ${id}`, sentAt: 100, order: 10, status, ...more };
}

function bookWith(...messages: ChatMessage[]): ChatBook {
  const book = new ChatBook();
  book.load([bobChat], messages);
  return book;
}

describe('outbox sharing between tabs', () => {
  describe(adoptQueued.name, () => {
    it('adds a message another tab queued, with its conversation when this tab lacks it', () => {
      const book = new ChatBook();
      expect(adoptQueued(book, outgoing('m1', 'queued'), bobChat)).toBe(true);
      expect(book.conversation(BOB)?.handle).toBe('bob');
      expect(book.message(BOB, 'm1')?.status).toBe('queued');
    });

    it('puts a failed message back in the queue for a retry asked in another tab', () => {
      const book = bookWith(outgoing('m1', 'failed', { error: 'Not sent: refused' }));
      expect(adoptQueued(book, outgoing('m1', 'queued'), bobChat)).toBe(true);
      expect(book.message(BOB, 'm1')).toEqual(outgoing('m1', 'queued'));
    });

    it('leaves a message that moved on here as it is', () => {
      const book = bookWith(outgoing('m1', 'sent', { via: 'home' }));
      adoptQueued(book, outgoing('m1', 'queued'), bobChat);
      expect(book.message(BOB, 'm1')?.status).toBe('sent');
    });
  });

  describe(showSettled.name, () => {
    it('moves a message on with what the leader says, and adds one written in another tab', () => {
      const book = bookWith(outgoing('m1', 'queued'));
      showSettled(book, outgoing('m1', 'sent', { via: 'ws://relay.test/', copyPending: true }), bobChat);
      showSettled(book, outgoing('m2', 'sending', { order: 11 }), bobChat);
      expect(book.message(BOB, 'm1')).toEqual(outgoing('m1', 'sent', { via: 'ws://relay.test/', copyPending: true }));
      expect(book.state.threads.get(BOB)?.map((message) => [message.id, message.status])).toEqual([
        ['m1', 'sent'],
        ['m2', 'sending'],
      ]);
    });

    it('never takes a delivered tick back, and keeps the reason a message waits', () => {
      const book = bookWith(outgoing('m1', 'delivered'), outgoing('m2', 'sending', { order: 11 }));
      showSettled(book, outgoing('m1', 'sent'), bobChat);
      showSettled(book, outgoing('m2', 'queued', { order: 11, error: 'Waiting for connection' }), bobChat);
      expect(book.message(BOB, 'm1')?.status).toBe('delivered');
      expect(book.message(BOB, 'm2')).toMatchObject({ status: 'queued', error: 'Waiting for connection' });
    });
  });

  describe(adoptStored.name, () => {
    it('takes over what other tabs queued while no tab led, and what moved on unseen', () => {
      const book = bookWith(outgoing('m1', 'sending'), outgoing('m3', 'failed', { order: 12 }));
      const stored = [
        outgoing('m1', 'sent', { copyPending: true }),
        outgoing('m2', 'queued', { order: 11 }),
        outgoing('m3', 'queued', { order: 12 }),
        outgoing('m4', 'sent', { order: 13 }),
        { ...outgoing('m5', 'received', { order: 14 }), direction: 'in' as const },
      ];
      adoptStored(book, [bobChat], stored);
      expect(book.state.threads.get(BOB)?.map((message) => [message.id, message.status])).toEqual([
        ['m1', 'sent'],
        ['m2', 'queued'],
        ['m3', 'queued'],
      ]);
      expect(book.message(BOB, 'm1')?.copyPending).toBe(true);
    });
  });
});
