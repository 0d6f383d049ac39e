import { authString, type Identity, signAuth } from '@kez/crypto';

import type { HomeServer } from '../api/home-server';
import type { NostrTransport } from '../nostr/nostr-transport';
import type { NostrPeer } from '../nostr/nostr-peer';
import type { ReceiptTracker } from '../nostr/receipt-tracker';
import { type Arrival, MergedTransport, type MessageTransport } from '../nostr/transport';
import { InboxPoller } from '../transport/inbox-poller';
import { type EventSourceFactory, InboxStream } from '../transport/inbox-stream';
import type { Timers } from '../transport/timers';
import { ChatBook } from './chat-book';
import type { ChatRepository } from './chat-repository';
import { HomeTransport } from './home-transport';
import { InboxProcessor } from './inbox-processor';
import { newConversation, type Conversation } from './model';
import { NostrChats } from './nostr-chats';
import { ReceiptFlow } from './receipt-flow';
import { OrderClock } from './order-clock';
import { Outbox, type RelayRoute } from './outbox';
import { adoptStored, type ChatTabs, showSettled } from './outbox-share';
import { PeerDirectory, type Self, type StartChatResult } from './peer-directory';

export type { StartChatResult } from './peer-directory';

export interface ChatEngineOptions {
  readonly identity: Identity;
  readonly self: Self;
  readonly api: HomeServer;
  readonly repository: ChatRepository;
  readonly connect: EventSourceFactory;
  readonly timers?: Timers;
  /** The safety-net poll under the stream. */
  readonly pollIntervalMs?: number;
  /**
   * Whether this tab leads: it alone sends (the queue and receipts; others would send
   * the same ones again). Default: always.
   */
  readonly leads?: () => boolean;
  /** Resolves when this tab leads: a tab that started following takes the queue over then. */
  readonly leading?: Promise<void>;
  /** The other tabs of this browser (absent: this tab is alone). */
  readonly tabs?: ChatTabs;
  /** Receipts no path took yet, kept across restarts (leading tab only). */
  readonly receipts?: ReceiptTracker;
  /** Resolves an npub, nprofile or NIP-05 name (default: `resolveNostrPeer` over the browser's fetch). */
  readonly resolveNostr?: (input: string) => Promise<NostrPeer>;
}

/** The relay path as the engine uses it: a `NostrTransport` (or a fake), with its re-read of recent events and NIP-17. */
export type RelayTransport = MessageTransport & Partial<Pick<NostrTransport, 'catchUp' | 'sendDirectMessage' | 'profileOf'>>;

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
  private readonly nostrChats: NostrChats;
  private readonly receiptFlow: ReceiptFlow;
  private readonly stream: InboxStream;
  private readonly poller: InboxPoller;
  private readonly home: HomeTransport;
  private relays: RelayTransport | null = null;
  private detachRelays: (() => void) | null = null;
  private stopped = false;
  private outboxResumed: Promise<void> = Promise.resolve();
  /** Resolves once this tab runs the queue (it leads and took over what was left): other tabs' requests wait for it. */
  private outboxTaken: Promise<void> = new Promise(() => undefined);
  private detachTabs: (() => void)[] = [];
  private directQueue: Promise<void> = Promise.resolve();

  constructor(private readonly options: ChatEngineOptions) {
    const { identity, self, api, repository } = options;
    this.directory = new PeerDirectory(api, self);
    this.home = new HomeTransport({ identity, api, handleOf: (primary) => this.book.conversation(primary)?.handle ?? null });
    this.inbox = new InboxProcessor(identity, this.book, repository, this.directory, this.clock, {
      receipt: (from, ids) => this.receiptFlow.apply(from, ids),
      received: (message) => {
        this.receiptFlow.acknowledge(message);
        if (message.peer === this.book.state.active) {
          this.options.tabs?.shareRead(message.peer);
        }
      },
    });
    this.outbox = new Outbox({
      identity,
      selfHandle: self.handle,
      api,
      book: this.book,
      repository,
      clock: this.clock,
      timers: options.timers,
      relays: () => this.relayRoute(),
      leads: () => this.leads,
      ...(options.tabs ? { sharing: options.tabs } : {}),
    });
    this.receiptFlow = new ReceiptFlow({
      book: this.book,
      repository,
      paths: () => new MergedTransport(this.relays === null ? [this.home] : [this.home, this.relays]),
      leads: () => this.leads,
      ...(options.receipts ? { tracker: options.receipts } : {}),
    });
    this.nostrChats = new NostrChats({
      identity,
      server: self.server,
      book: this.book,
      repository,
      clock: this.clock,
      profileOf: async (pubkey) => this.relays?.profileOf?.(pubkey).catch(() => undefined),
      ...(options.resolveNostr ? { resolveNostr: options.resolveNostr } : {}),
    });
    const accept = this.inbox.accept.bind(this.inbox);
    const since = () => this.inbox.since;
    this.stream = new InboxStream({
      url: (from) =>
        api.streamUrl(
          self.handle,
          from,
          this.sign((ts) => authString.openStream(self.handle, String(from), ts)),
        ),
      since,
      onMessage: accept,
      onStatus: (status) => {
        this.book.setLink(status);
        if (status === 'live') {
          // A path is back: queued sends and owed receipts go out now, not when their backoff says.
          this.wakeOutbox();
          void this.resolveNames();
          this.receiptFlow.retryOwed();
        }
      },
      connect: options.connect,
      timers: options.timers,
    });
    this.poller = new InboxPoller({
      fetchPage: (from) =>
        api.inbox(
          self.handle,
          from,
          this.sign((ts) => authString.pollInbox(self.handle, String(from), ts)),
        ),
      since,
      onMessage: accept,
      intervalMs: options.pollIntervalMs ?? 30_000,
      timers: options.timers,
    });
  }

  /** Loads the stored conversations, then goes live. */
  async start(): Promise<void> {
    const { repository } = this.options;
    const [conversations, messages, lastSeq] = await Promise.all([repository.conversations(), repository.messages(), repository.lastSeq()]);
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
    this.runOutbox();
    this.followReads();
    this.receiptFlow.retryOwed();
    this.receiptFlow.pruneTracked();
  }

  /**
   * Adds the relays as a second path (the leading tab only: two tabs would publish
   * and acknowledge everything twice). Arrivals are filed like the inbox's, deduplicated
   * by sender + id; receipts move ticks; queued sends and owed receipts are tried now.
   * A relay path that fails to start only shows in its status: the home path goes on.
   */
  async useRelays(relays: RelayTransport): Promise<void> {
    if (this.stopped) {
      relays.stop(); // locked meanwhile: its connections must not outlive the engine
      return;
    }
    this.detachRelays?.();
    this.relays = relays;
    this.detachRelays = relays.onArrival((arrival) => this.arrive(arrival));
    try {
      await relays.start();
    } catch {
      // Each path fails alone; the relays' own status says why.
    }
    this.wakeOutbox();
    this.receiptFlow.retryOwed();
  }

  stop(): void {
    this.stopped = true;
    this.detachTabs.forEach((detach) => detach());
    this.detachTabs = [];
    this.detachRelays?.();
    this.relays?.stop();
    this.relays = null;
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
    this.wakeOutbox();
  }

  /**
   * Finds "bob" or "bob@server" and opens (or reuses) the one conversation with that
   * key. A peer already known with its addr needs no lookup (server independence:
   * it works while the home server is down); a new one does, and when the server
   * cannot be asked the answer says so, and that known chats still work.
   */
  async startChat(input: string): Promise<StartChatResult> {
    const known = this.knownConversation(input);
    if (known !== undefined) {
      return { ok: true, conversation: known };
    }
    if (this.nostrChats.isNostrInput(input)) {
      return this.nostrChats.start(input);
    }
    const found = await this.directory.find(input);
    if (!found.ok) {
      return found.problem === 'failed'
        ? {
            ...found,
            // While the stream is down the server is out of reach (not the person's connection: the relays may be live).
            message:
              this.book.state.link === 'live'
                ? `${found.message} A new chat needs the home server to find this person; chats you already have keep working over the nostr relays.`
                : 'Your home server can’t be reached, and a new chat needs it to find this person. Chats you already have keep working over the nostr relays.',
          }
        : found;
    }
    const { primary, handle, server, addr } = found.record;
    const existing = this.book.conversation(primary);
    const conversation = existing ? { ...existing, handle, server, addr } : newConversation(primary, handle, server, this.clock.next(), addr);
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

  /**
   * The thread on screen (null: none); its unread count resets. Messages in it still
   * only "sent" start a catch-up on every path: a receipt may be waiting there.
   */
  async setActive(peer: string | null): Promise<void> {
    const cleared = this.book.setActive(peer);
    if (peer !== null) {
      this.options.tabs?.shareRead(peer);
    }
    if (peer !== null && this.book.state.threads.get(peer)?.some((message) => message.direction === 'out' && message.status === 'sent')) {
      void this.poller.pollNow();
      void this.relays?.catchUp?.().catch(() => 0);
    }
    if (cleared !== null) {
      await this.options.repository.saveConversation(cleared);
    }
  }

  /** Everything accepted so far is handled, and the queue resumed after start has done what it could (tests and shutdown). */
  async idle(): Promise<void> {
    await this.outboxResumed;
    await this.inbox.idle();
    await this.receiptFlow.idle();
    await this.directQueue;
  }

  private get leads(): boolean {
    return this.options.leads?.() ?? true;
  }

  /**
   * One queue per browser: the leading tab runs it from the start; a following tab
   * hands what it queues to the leader and shows what the leader settled, until it
   * leads itself and takes over what was left (`adoptStored`). Not awaited: a server
   * that does not answer must not keep the stored chats off screen.
   */
  private runOutbox(): void {
    const tabs = this.options.tabs;
    if (this.leads) {
      this.outboxTaken = this.outbox.requeueInterrupted();
      this.outboxResumed = this.outboxTaken.then(() => this.outbox.wake());
    } else if (this.options.leading !== undefined) {
      this.outboxTaken = this.options.leading.then(() => this.takeOverOutbox());
    }
    this.outboxTaken.catch(() => undefined);
    if (tabs !== undefined) {
      this.detachTabs.push(
        tabs.onOutboxRequest((request) => void this.outboxTaken.then(() => this.outbox.take(request)).catch(() => undefined)),
        tabs.onSettled((message, conversation) => {
          this.clock.seen(message.order);
          showSettled(this.book, message, conversation);
        }),
      );
    }
  }

  /** A thread read in another tab: once what this tab was still filing is in, its count clears here too (stored by the leader). */
  private followReads(): void {
    const tabs = this.options.tabs;
    if (tabs === undefined) {
      return;
    }
    this.detachTabs.push(
      tabs.onRead((peer) => {
        void this.inbox
          .idle()
          .then(async () => {
            const cleared = this.book.markRead(peer);
            if (cleared !== null && this.leads) {
              await this.options.repository.saveConversation(cleared);
            }
          })
          .catch(() => undefined);
      }),
    );
  }

  /** A path may be back: the queue tries now (once this tab took it over), or, in a following tab, the leader's does. */
  private wakeOutbox(): void {
    if (this.leads) {
      void this.outboxTaken.then(() => this.outbox.wake()).catch(() => undefined);
    } else {
      void this.outbox.wake();
    }
  }

  /** This tab leads now: it takes the queue over from the stored state, then runs it. */
  private async takeOverOutbox(): Promise<void> {
    if (this.stopped) {
      return;
    }
    const [conversations, messages] = await Promise.all([this.options.repository.conversations(), this.options.repository.messages()]);
    for (const message of messages) {
      this.clock.seen(message.order);
    }
    adoptStored(this.book, conversations, messages);
    await this.outbox.requeueInterrupted();
    this.outboxResumed = this.outbox.wake();
  }

  /** The conversation with "bob", "@bob" or "bob@<this server>" when its peer's primary and addr are already cached. */
  private knownConversation(input: string): Conversation | undefined {
    const [typed, server] = input.trim().replace(/^@/, '').toLowerCase().split('@');
    if (!typed || (server !== undefined && server !== this.options.self.server.toLowerCase())) {
      return undefined;
    }
    return this.book.state.conversations.find((conversation) => conversation.handle === typed && !!conversation.addr);
  }

  /**
   * A relay arrival the leading tab received, filed, stored and shared
   * (core/tabs/shared-stream.ts): shown here too, stored by the leader alone. A tab
   * that runs relays itself got it directly and ignores the copy.
   */
  fileShared(arrival: Arrival): void {
    if (this.relays === null && !this.stopped) {
      this.arrive(arrival, true);
    }
  }

  /**
   * One arrival from the relays: a KEZ message, a receipt, or a NIP-17 DM (filed one at
   * a time); `storedElsewhere` when the leading tab stores it and this one only shows it.
   */
  private arrive(arrival: Arrival, storedElsewhere = false): void {
    if (arrival.kind === 'message') {
      this.inbox.acceptOpened(arrival.message, { storedElsewhere });
      if (arrival.path.includes('://') && !storedElsewhere) {
        void this.inbox
          .idle()
          .then(() => this.rememberRelay(arrival.message.from, arrival.path))
          .catch(() => undefined);
      }
    } else if (arrival.kind === 'receipt') {
      void this.receiptFlow.apply(arrival.from, arrival.ids, storedElsewhere);
    } else {
      this.directQueue = this.directQueue.then(() => this.nostrChats.file(arrival.dm, storedElsewhere)).catch(() => undefined);
    }
  }

  /** The relays as the outbox's second path, trying this conversation's last accepting relay first. */
  private relayRoute(): RelayRoute | null {
    const relays = this.relays;
    if (relays === null) {
      return null;
    }
    return {
      send: async (peer, content, onAccepted) => {
        const preferredPath = this.book.conversation(peer.primary)?.relay;
        const report = await relays.sendMessage(peer, content, { ...(preferredPath ? { preferredPath } : {}), onAccepted });
        if (report.first !== undefined) {
          await this.rememberRelay(peer.primary, report.first);
        }
        return report;
      },
      sendDirect: async (pubkey, text, createdAt, onAccepted) => {
        if (relays.sendDirectMessage === undefined) {
          return { accepted: [], refused: [{ path: relays.name, reason: 'this path cannot send NIP-17 messages' }] };
        }
        return relays.sendDirectMessage(pubkey, text, { createdAt, onAccepted });
      },
    };
  }

  /** Keeps `relay` as the one to try first with `peer`; stored with the conversation, so sealed at rest. */
  private async rememberRelay(peer: string, relay: string): Promise<void> {
    const conversation = this.book.conversation(peer);
    if (conversation === undefined || conversation.relay === relay) {
      return;
    }
    const updated = { ...conversation, relay };
    this.book.upsert(updated);
    await this.options.repository.saveConversation(updated);
  }

  /** Names senders whose handle could not be looked up when they first wrote, and learns the addr of peers stored without one. */
  private async resolveNames(): Promise<void> {
    for (const conversation of this.book.state.conversations.filter((candidate) => candidate.handle === null || !candidate.addr)) {
      try {
        const record = await this.directory.handleOf(conversation.peer);
        const current = this.book.conversation(conversation.peer);
        if (record !== null && current !== undefined) {
          const named = { ...current, handle: record.handle, server: record.server, addr: record.addr };
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
