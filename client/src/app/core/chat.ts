import { computed, DestroyRef, DOCUMENT, effect, inject, Injectable, Injector, signal } from '@angular/core';

import { finalizeEvent } from 'nostr-tools/pure';

import type { Identity } from '@kez/crypto';

import { Account } from './account';
import { ChatBook, type ChatSnapshot } from './chat/chat-book';
import { ChatEngine, type ChatEngineOptions, type StartChatResult } from './chat/chat-engine';
import type { ChatMessage } from './chat/model';
import { NostrTransport } from './nostr/nostr-transport';
import { publishOwnLists } from './nostr/own-lists';
import { ReceiptTracker } from './nostr/receipt-tracker';
import { type RelayChoice, RelayList } from './nostr/relay-list';
import { type PoolStatus, RelayPool } from './nostr/relay-pool';
import type { RelayPoolLease } from './nostr/shared-relay-pool';
import { EVENT_SOURCE, HOME_SERVER, STORE } from './platform';
import { RelayConnections } from './relay-connections';
import { openHistory } from './storage/history-store';
import { LeaderRepository } from './tabs/leader-repository';
import { type SharedStreamHandle, shareStream } from './tabs/shared-stream';

const EMPTY: ChatSnapshot = new ChatBook().state;
const NO_MESSAGES: readonly ChatMessage[] = [];

/**
 * The signed-in person's conversations as signals. Runs one ChatEngine while the
 * identity is unlocked and registered, and stops it (closing the stream) on lock.
 */
@Injectable({ providedIn: 'root' })
export class Chat {
  private readonly account = inject(Account);
  private readonly injector = inject(Injector);
  private readonly api = inject(HOME_SERVER);
  private readonly store = inject(STORE);
  private readonly connect = inject(EVENT_SOURCE);
  private readonly connections = inject(RelayConnections);
  private readonly snapshot = signal<ChatSnapshot>(EMPTY);
  private readonly loadedSignal = signal(false);
  private engine: ChatEngine | null = null;
  /** The primary the engine runs, or is being started, for. */
  private runningFor: string | null = null;
  private unsubscribe: (() => void) | null = null;
  /** One live stream per browser: the tabs share it (core/tabs/shared-stream.ts). */
  private shared: SharedStreamHandle | null = null;
  /** The relays of the leading tab (null in other tabs and while locked): its lease on the tab's one pool. */
  private relayPool: RelayPoolLease | null = null;
  /** Publishes the user's lists for a new relay list (set while relays run). */
  private publishLists: ((urls: readonly string[]) => Promise<unknown>) | null = null;
  private readonly relaySignal = signal<PoolStatus | null>(null);
  private readonly relayUrlsSignal = signal<readonly string[] | null>(null);

  readonly conversations = computed(() => this.snapshot().conversations);
  readonly link = computed(() => this.snapshot().link);
  readonly active = computed(() => this.snapshot().active);
  /** Every loaded thread by peer (for who counts as a contact, core/faces/contacts.ts). */
  readonly threads = computed(() => this.snapshot().threads);
  /** True once stored conversations are on screen. */
  readonly loaded = this.loadedSignal.asReadonly();
  /** The relays' states (null while this tab runs none: another tab leads, or locked). */
  readonly relays = this.relaySignal.asReadonly();

  /**
   * The one relay list in use, for the chat and for profiles (kind 0, pictures), in
   * every tab; null until known (locked, not registered, or still being read).
   */
  readonly relayUrls = this.relayUrlsSignal.asReadonly();

  /** Whether this tab leads the others of this browser (runs the stream, relays and sends); false while locked. */
  leads(): boolean {
    return this.shared?.leads() ?? false;
  }

  /** The relay list in use and where it comes from (the person's own, or the home server's defaults). */
  async relayChoice(): Promise<RelayChoice> {
    return new RelayList(await this.store, this.api).current();
  }

  /**
   * Keeps the person's relay list (null: back to the home server's defaults) and
   * switches the running relays to it at once. Publishing the user's lists and
   * profile there goes on after it resolves: a slow relay must not hold up Settings.
   */
  async saveRelays(urls: readonly string[] | null): Promise<RelayChoice> {
    const list = new RelayList(await this.store, this.api);
    await list.setCustom(urls);
    const choice = await list.current();
    this.relayPool?.setRelays(choice.urls);
    if (this.runningFor !== null) {
      this.relayUrlsSignal.set(choice.urls);
    }
    void this.publishLists?.(choice.urls).catch(() => null);
    return choice;
  }

  constructor() {
    effect(() => {
      const identity = this.account.identity();
      const profile = this.account.profile();
      if (identity !== null && profile?.handle && profile.server) {
        void this.run({ identity, self: { primary: profile.primary, handle: profile.handle, server: profile.server } });
      } else {
        this.halt();
      }
    });
    // Back online, or back in front of the person (phones drop connections in the
    // background): reconnect now rather than when the backoff says.
    const document = inject(DOCUMENT);
    const wake = () => {
      if (document.visibilityState === 'visible') {
        this.engine?.reconnectNow();
      }
    };
    const lost = () => this.engine?.networkLost();
    window.addEventListener('online', wake);
    window.addEventListener('offline', lost);
    document.addEventListener('visibilitychange', wake);
    inject(DestroyRef).onDestroy(() => {
      window.removeEventListener('online', wake);
      window.removeEventListener('offline', lost);
      document.removeEventListener('visibilitychange', wake);
      this.halt();
    });
  }

  /** The messages with `peer`, oldest first; reactive when read inside a computed or template. */
  messagesOf(peer: string): readonly ChatMessage[] {
    return this.snapshot().threads.get(peer) ?? NO_MESSAGES;
  }

  async startChat(input: string): Promise<StartChatResult> {
    return this.requireEngine().startChat(input);
  }

  send(peer: string, text: string): Promise<void> {
    return this.requireEngine().send(peer, text);
  }

  retry(peer: string, id: string): Promise<void> {
    return this.requireEngine().retry(peer, id);
  }

  /** Reconnects the stream, polls and sends what is queued now, skipping the backoff waits ("Reconnect now"). */
  reconnectNow(): void {
    this.engine?.reconnectNow();
  }

  setActive(peer: string | null): void {
    void this.engine?.setActive(peer);
  }

  private async run(options: Pick<ChatEngineOptions, 'identity' | 'self'>): Promise<void> {
    const primary = options.self.primary;
    if (this.runningFor === primary) {
      return;
    }
    this.halt();
    this.runningFor = primary;
    // History is sealed at rest under keys from the seed (storage/history-store.ts).
    const history = await openHistory(await this.store, options.identity.seed);
    if (this.runningFor !== primary) {
      return; // locked while the store opened
    }
    const shared = shareStream(this.connect, primary);
    this.shared = shared;
    // Leader or follower decides who stores what: settle it before anything arrives.
    await shared.decided;
    if (this.shared !== shared) {
      return; // locked meanwhile
    }
    const store = await this.store;
    // Tracked messages and owed receipts name peers: sealed at rest like the history.
    const receipts = new ReceiptTracker(history);
    await receipts.sealLegacy();
    if (this.shared !== shared) {
      return; // locked meanwhile
    }
    const engine = new ChatEngine({
      ...options,
      api: this.api,
      repository: new LeaderRepository(history, shared.leads),
      connect: shared.connect,
      leads: shared.leads,
      leading: shared.leading,
      tabs: shared,
      receipts,
    });
    this.engine = engine;
    this.unsubscribe = engine.book.subscribe((snapshot) => this.snapshot.set(snapshot));
    // What the leading tab's relays bring shows here at once (it stores it); a leader ignores these.
    shared.onArrival((arrival) => engine.fileShared(arrival));
    await engine.start();
    if (this.engine === engine) {
      this.loadedSignal.set(true);
    }
    // Every tab knows the list (profiles are read in every tab), though only the leader chats over it.
    const choice = await new RelayList(store, this.api).current();
    if (this.engine === engine) {
      this.relayUrlsSignal.set(choice.urls);
    }
    // Only the leading tab talks to relays: two tabs would publish and acknowledge everything twice.
    await shared.leading;
    if (this.engine === engine) {
      await this.startRelays(engine, options.identity);
    }
  }

  /** Opens the relay list (the person's or the home server's) as a pool and adds it to the engine as a second path. */
  private async startRelays(engine: ChatEngine, identity: Identity): Promise<void> {
    const store = await this.store;
    const choice = await new RelayList(store, this.api).current();
    if (this.engine !== engine) {
      return;
    }
    const linkOptions = { signAuth: (template: Parameters<typeof finalizeEvent>[0]) => finalizeEvent(template, identity.nostrSecret) };
    // The pool the faces read profiles through too: one connection per relay.
    const pool = this.connections.lease(identity);
    pool.setRelays(choice.urls);
    pool.onStatus((status) => this.relaySignal.set(status));
    this.relayPool = pool;
    this.relaySignal.set(pool.status);
    const openPool = (urls: readonly string[]) => {
      const extra = new RelayPool(linkOptions);
      extra.setRelays(urls);
      return extra;
    };
    const transport = new NostrTransport({ identity, relays: pool, store, openPool });
    const shared = this.shared;
    transport.onArrival((arrival) => shared?.shareArrival(arrival));
    await engine.useRelays(transport);
    // The first unlock (and any change of relays) tells nostr where to find this user:
    // the relay lists here, the kind 0 (name, NIP-05, picture fields) by the faces, its
    // one publisher, once they have loaded the picture or taken it back from these
    // relays. Faces is looked up lazily, as it depends on this service.
    this.publishLists = async (urls) => {
      const { Faces } = await import('./faces');
      const faces = this.injector.get(Faces);
      await faces.followRelays(urls);
      const report = await publishOwnLists(transport, store, urls);
      if (report !== null) {
        await faces.publishProfile();
      }
      return report;
    };
    await this.publishLists(choice.urls).catch(() => null);
  }

  private halt(): void {
    this.runningFor = null;
    this.engine?.stop();
    this.relayPool = null;
    this.publishLists = null;
    this.relaySignal.set(null);
    this.relayUrlsSignal.set(null);
    this.shared?.stop();
    this.shared = null;
    this.unsubscribe?.();
    this.engine = null;
    this.unsubscribe = null;
    this.snapshot.set(EMPTY);
    this.loadedSignal.set(false);
  }

  private requireEngine(): ChatEngine {
    if (this.engine === null) {
      throw new Error('chat is not running: the identity is locked');
    }
    return this.engine;
  }
}
