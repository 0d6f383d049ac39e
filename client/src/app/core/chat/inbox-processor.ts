import type { HandleRecord, StoredMessage } from '@kez/protocol';

import { type Identity, type OpenedMessage, openEnvelope } from '@kez/crypto';

import type { ChatBook } from './chat-book';
import type { ChatRepository } from './chat-repository';
import { type ChatMessage, type Conversation, newConversation } from './model';
import type { OrderClock } from './order-clock';
import type { PeerDirectory } from './peer-directory';

/**
 * The receive path. Stream and poll both feed `accept`; messages are handled one at a
 * time in arrival order, so deduplication by seq (what the server already gave us)
 * and by (sender, id) (what a sender sent twice, e.g. a retry) both hold.
 * Envelopes that do not open, do not verify or are not for us are skipped, but their
 * seq is still recorded so they are not fetched again.
 */
export class InboxProcessor {
  private lastSeq = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly identity: Identity,
    private readonly book: ChatBook,
    private readonly repository: ChatRepository,
    private readonly directory: PeerDirectory,
    private readonly clock: OrderClock,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {}

  /** The last seq handled: where the stream resumes and the poll starts. */
  get since(): number {
    return this.lastSeq;
  }

  resumeFrom(seq: number): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  accept(stored: StoredMessage): void {
    this.queue = this.queue.then(() => this.handle(stored)).catch(() => undefined);
  }

  /** Resolves once everything accepted so far has been handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  private async handle(stored: StoredMessage): Promise<void> {
    if (stored.seq <= this.lastSeq) {
      return;
    }
    this.lastSeq = stored.seq;
    const opened = this.open(stored.envelope);
    if (opened === null || this.book.has(opened.from, opened.id)) {
      await this.repository.saveReceived(stored.seq);
      return;
    }
    await this.ensureConversation(opened.from);
    const message: ChatMessage = {
      id: opened.id,
      peer: opened.from,
      direction: 'in',
      body: opened.body,
      sentAt: opened.sent_at,
      order: this.clock.next(),
      status: 'received',
    };
    const conversation = this.book.add(message);
    await this.repository.saveReceived(stored.seq, message, conversation ?? undefined);
  }

  private open(envelope: unknown): OpenedMessage | null {
    try {
      const opened = openEnvelope(this.identity, envelope, this.nowSeconds());
      // Our own key writing to us would make a thread with ourselves; nothing sends that.
      return opened.from === this.identity.primary ? null : opened;
    } catch {
      return null;
    }
  }

  /** A first message from someone starts a conversation, named through the registry. */
  private async ensureConversation(peer: string): Promise<Conversation> {
    const existing = this.book.conversation(peer);
    if (existing !== undefined) {
      return existing;
    }
    let record: HandleRecord | null = null;
    try {
      record = await this.directory.handleOf(peer);
    } catch {
      // The server is unreachable; the name is looked up again later (ChatEngine.resolveNames).
    }
    const conversation = newConversation(peer, record?.handle ?? null, record?.server ?? null, this.clock.next());
    this.book.upsert(conversation);
    return conversation;
  }
}
