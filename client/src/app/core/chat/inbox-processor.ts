import { type HandleRecord, isReceiptContent, readReceiptIds, type StoredMessage } from '@kez/protocol';

import { type Identity, type OpenedMessage, openEnvelope } from '@kez/crypto';

import { peerOfSelfCopy } from './self-copy';
import type { ChatBook } from './chat-book';
import type { ChatRepository } from './chat-repository';
import { type ChatMessage, type Conversation, newConversation } from './model';
import type { OrderClock } from './order-clock';
import type { PeerDirectory } from './peer-directory';

/** What the engine does with what the receive path finds besides messages to show. */
export interface InboxHooks {
  /** A receipt signed inside by `from` for `ids` (not yet checked against what was sent to `from`). */
  receipt(from: string, ids: readonly string[]): Promise<void>;
  /** A new incoming message was filed (a receipt is owed for it). */
  received(message: ChatMessage): void;
}

/**
 * The receive path. Stream and poll both feed `accept`, relays feed `acceptOpened`; messages are handled one at a
 * time in arrival order, so deduplication by seq (what the server already gave us)
 * and by (sender, id) (what a sender sent twice, e.g. a retry) both hold.
 * Envelopes that do not open, do not verify or are not for us are skipped, but their
 * seq is still recorded so they are not fetched again.
 *
 * Freshness is measured against the inbox row's `created_at` (contract §5), never
 * this browser's clock: a message that waited weeks in the inbox is still shown.
 * Copies to self (our own sent messages, sealed to ourselves by this or another of
 * our devices) are filed as outgoing messages of the conversation they name.
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
    private readonly hooks?: InboxHooks,
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

  /**
   * A message a relay carried, already opened, verified and judged fresh by the
   * nostr transport; filed like one from the inbox (deduplicated by sender + id).
   */
  acceptOpened(opened: OpenedMessage, options: { storedElsewhere?: boolean } = {}): void {
    this.queue = this.queue.then(() => this.file(opened, undefined, options.storedElsewhere === true)).catch(() => undefined);
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
    const opened = this.open(stored);
    if (opened === null) {
      await this.repository.saveReceived(stored.seq);
      return;
    }
    await this.file(opened, stored.seq);
  }

  /**
   * Files one opened message (or applies a receipt); `seq` is the inbox row it came in,
   * absent over relays; `storedElsewhere`: the leading tab stores it, this one only shows it.
   */
  private async file(opened: OpenedMessage, seq?: number, storedElsewhere = false): Promise<void> {
    const done = (message?: ChatMessage, conversation?: Conversation): Promise<void> =>
      storedElsewhere
        ? Promise.resolve()
        : seq !== undefined
          ? this.repository.saveReceived(seq, message, conversation)
          : message && conversation
            ? this.repository.saveMessage(message, conversation)
            : Promise.resolve();
    if (isReceiptContent(opened.extra)) {
      // A receipt is never shown; a malformed one, or our own, changes nothing.
      const ids = readReceiptIds(opened.extra);
      if (ids !== undefined && opened.from !== this.identity.primary) {
        await this.hooks?.receipt(opened.from, ids);
      }
      await done();
      return;
    }
    // Our own key writing to us is a copy to self, filed under the peer it names;
    // without a valid peer it would make a thread with ourselves, so it is skipped.
    const peer = opened.from === this.identity.primary ? peerOfSelfCopy(opened) : opened.from;
    if (peer === null || this.book.has(peer, opened.id)) {
      await done();
      return;
    }
    await this.ensureConversation(peer);
    const own = peer !== opened.from;
    const message: ChatMessage = {
      id: opened.id,
      peer,
      direction: own ? 'out' : 'in',
      body: opened.body,
      sentAt: opened.sent_at,
      order: this.clock.next(),
      status: own ? 'sent' : 'received',
    };
    const conversation = this.book.add(message);
    await done(message, conversation ?? undefined);
    if (!own) {
      this.hooks?.received(message);
    }
  }

  /** The opened message, or null when it does not open, verify, name us, or was not fresh when it reached the inbox. */
  private open(stored: StoredMessage): OpenedMessage | null {
    try {
      return openEnvelope(this.identity, stored.envelope, stored.created_at);
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
    const conversation = newConversation(peer, record?.handle ?? null, record?.server ?? null, this.clock.next(), record?.addr ?? null);
    this.book.upsert(conversation);
    return conversation;
  }
}
