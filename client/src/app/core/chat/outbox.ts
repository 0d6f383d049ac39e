import { type Identity, newMessageId, nowSeconds, sealV2 } from '@kez/crypto';

import { failureText } from '../api/failure-text';
import type { HomeServer } from '../api/home-server';
import type { ChatBook } from './chat-book';
import type { ChatRepository } from './chat-repository';
import type { ChatMessage } from './model';
import type { OrderClock } from './order-clock';

/** Longest message the composer takes; far below the envelope limit once sealed. */
export const MAX_MESSAGE_LENGTH = 10_000;

/**
 * The send path: a message is on screen as `sending` at once, sealed (envelope v2)
 * and posted, then `sent` on 201 or `failed` with the reason. The server stores only
 * messages *to* us, so our own side of each conversation lives here, in the browser.
 * A retry keeps the message id, so if an earlier attempt did arrive after all the
 * recipient drops the second copy.
 */
export class Outbox {
  constructor(
    private readonly identity: Identity,
    private readonly api: HomeServer,
    private readonly book: ChatBook,
    private readonly repository: ChatRepository,
    private readonly clock: OrderClock,
    private readonly now: () => number = nowSeconds,
  ) {}

  async send(peer: string, text: string): Promise<void> {
    const body = text.trim();
    if (body === '' || body.length > MAX_MESSAGE_LENGTH) {
      return;
    }
    const message: ChatMessage = {
      id: newMessageId(),
      peer,
      direction: 'out',
      body,
      sentAt: this.now(),
      order: this.clock.next(),
      status: 'sending',
    };
    const conversation = this.book.add(message);
    if (conversation === null) {
      throw new Error('no conversation with this peer');
    }
    await this.repository.saveMessage(message, conversation);
    await this.deliver(message);
  }

  async retry(peer: string, id: string): Promise<void> {
    const message = this.book.message(peer, id);
    if (message?.status !== 'failed') {
      return;
    }
    // Resealed with a fresh time: the recipient refuses messages older than 7 days.
    const retried = this.book.update(peer, id, { status: 'sending', sentAt: this.now() });
    if (retried !== null) {
      await this.deliver(retried);
    }
  }

  /** Messages still `sending` when the page closed never got an answer: offer a retry. */
  async failInterrupted(): Promise<void> {
    for (const thread of this.book.state.threads.values()) {
      for (const message of thread.filter((candidate) => candidate.status === 'sending')) {
        await this.settle(message, { status: 'failed', error: 'Not sent: the page closed before the server answered.' });
      }
    }
  }

  private async deliver(message: ChatMessage): Promise<void> {
    const handle = this.book.conversation(message.peer)?.handle;
    if (!handle) {
      await this.settle(message, { status: 'failed', error: 'This person has no handle on the server.' });
      return;
    }
    try {
      const envelope = sealV2(this.identity, message.peer, { id: message.id, body: message.body, sent_at: message.sentAt });
      await this.api.postMessage(handle, envelope);
      await this.settle(message, { status: 'sent' });
    } catch (error) {
      await this.settle(message, { status: 'failed', error: failureText(error, 'send') });
    }
  }

  private async settle(message: ChatMessage, change: Pick<ChatMessage, 'status' | 'error'>): Promise<void> {
    const updated = this.book.update(message.peer, message.id, change);
    const conversation = this.book.conversation(message.peer);
    if (updated !== null && conversation !== undefined) {
      await this.repository.saveMessage(updated, conversation);
    }
  }
}
