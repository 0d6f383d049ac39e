import { authString, type Identity, signAuth } from '@kez/crypto';

import type { HomeServer } from '../api/home-server';
import { InboxPoller } from '../transport/inbox-poller';
import { type EventSourceFactory, InboxStream } from '../transport/inbox-stream';
import type { Timers } from '../transport/timers';
import { ChatBook } from './chat-book';
import type { ChatRepository } from './chat-repository';
import { InboxProcessor } from './inbox-processor';
import { newConversation, type Conversation } from './model';
import { OrderClock } from './order-clock';
import { Outbox } from './outbox';
import { type FindResult, PeerDirectory, type Self } from './peer-directory';

export interface ChatEngineOptions {
  readonly identity: Identity;
  readonly self: Self;
  readonly api: HomeServer;
  readonly repository: ChatRepository;
  readonly connect: EventSourceFactory;
  readonly timers?: Timers;
  /** The safety-net poll under the stream. */
  readonly pollIntervalMs?: number;
}

export type StartChatResult = { readonly ok: true; readonly conversation: Conversation } | Exclude<FindResult, { ok: true }>;

/**
 * One signed-in person's chat: restores what the browser kept, keeps the inbox
 * stream (and its safety-net poll) running, and routes sends and receives.
 * Framework-free; the Angular `Chat` service mirrors `book` into signals.
 */
export class ChatEngine {
  readonly book = new ChatBook();
  private readonly clock = new OrderClock();
  private readonly directory: PeerDirectory;
  private readonly inbox: InboxProcessor;
  private readonly outbox: Outbox;
  private readonly stream: InboxStream;
  private readonly poller: InboxPoller;
  private stopped = false;
  private outboxResumed: Promise<void> = Promise.resolve();

  constructor(private readonly options: ChatEngineOptions) {
    const { identity, self, api, repository } = options;
    this.directory = new PeerDirectory(api, self);
    this.inbox = new InboxProcessor(identity, this.book, repository, this.directory, this.clock);
    this.outbox = new Outbox({ identity, selfHandle: self.handle, api, book: this.book, repository, clock: this.clock, timers: options.timers });
    const accept = this.inbox.accept.bind(this.inbox);
    const since = () => this.inbox.since;
    this.stream = new InboxStream({
      url: (from) => api.streamUrl(self.handle, from, this.sign((ts) => authString.openStream(self.handle, String(from), ts))),
      since,
      onMessage: accept,
      onStatus: (status) => {
        this.book.setLink(status);
        if (status === 'live') {
          // A path is back: queued sends go out now, not when their backoff says.
          void this.outbox.wake();
          void this.resolveNames();
        }
      },
      connect: options.connect,
      timers: options.timers,
    });
    this.poller = new InboxPoller({
      fetchPage: (from) =>
        api.inbox(self.handle, from, this.sign((ts) => authString.pollInbox(self.handle, String(from), ts))),
      since,
      onMessage: accept,
      intervalMs: options.pollIntervalMs ?? 30_000,
      timers: options.timers,
    });
  }

  /** Loads the stored conversations, then goes live. */
  async start(): Promise<void> {
    const { repository } = this.options;
    const [conversations, messages, lastSeq] = await Promise.all([
      repository.conversations(),
      repository.messages(),
      repository.lastSeq(),
    ]);
    if (this.stopped) {
      return;
    }
    for (const item of [...conversations, ...messages]) {
      this.clock.seen('order' in item ? item.order : item.lastOrder);
    }
    this.book.load(conversations, messages);
    this.inbox.resumeFrom(lastSeq);
    this.stream.start();
    this.poller.start();
    // Not awaited: a server that does not answer must not keep the stored chats off screen.
    this.outboxResumed = this.outbox.resume();
  }

  stop(): void {
    this.stopped = true;
    this.stream.stop();
    this.poller.stop();
    this.outbox.stop();
  }

  /** The browser went offline: show the link as down now rather than when the stream notices. */
  networkLost(): void {
    this.stream.lost();
  }

  /** The browser is back online (or the person asked): skip the backoff waits, catch up, send what is queued. */
  reconnectNow(): void {
    this.stream.reconnectNow();
    void this.poller.pollNow();
    void this.outbox.wake();
  }

  /** Finds "bob" or "bob@server" and opens (or reuses) the one conversation with that key. */
  async startChat(input: string): Promise<StartChatResult> {
    const found = await this.directory.find(input);
    if (!found.ok) {
      return found;
    }
    const { primary, handle, server } = found.record;
    const existing = this.book.conversation(primary);
    const conversation = existing
      ? { ...existing, handle, server }
      : newConversation(primary, handle, server, this.clock.next());
    this.book.upsert(conversation);
    await this.options.repository.saveConversation(conversation);
    return { ok: true, conversation };
  }

  send(peer: string, text: string): Promise<void> {
    return this.outbox.send(peer, text);
  }

  retry(peer: string, id: string): Promise<void> {
    return this.outbox.retry(peer, id);
  }

  /** The thread on screen (null: none); its unread count resets. */
  async setActive(peer: string | null): Promise<void> {
    const cleared = this.book.setActive(peer);
    if (cleared !== null) {
      await this.options.repository.saveConversation(cleared);
    }
  }

  /** Everything accepted so far is handled, and the queue resumed after start has done what it could (tests and shutdown). */
  async idle(): Promise<void> {
    await this.outboxResumed;
    await this.inbox.idle();
  }

  /** Names senders whose handle could not be looked up when they first wrote. */
  private async resolveNames(): Promise<void> {
    for (const conversation of this.book.state.conversations.filter((candidate) => candidate.handle === null)) {
      try {
        const record = await this.directory.handleOf(conversation.peer);
        const current = this.book.conversation(conversation.peer);
        if (record !== null && current !== undefined) {
          const named = { ...current, handle: record.handle, server: record.server };
          this.book.upsert(named);
          await this.options.repository.saveConversation(named);
        }
      } catch {
        return;
      }
    }
  }

  private sign(row: (ts: number) => string): string {
    return signAuth(row, this.options.identity.edSecret);
  }
}
