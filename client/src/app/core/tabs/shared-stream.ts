import type { ChatMessage, Conversation } from '../chat/model';
import type { OutboxRequest, ChatTabs } from '../chat/outbox-share';
import type { EventSourceFactory, EventSourceLike } from '../transport/inbox-stream';
import type { Arrival } from '../nostr/transport';
import { type ChannelLike, openTabChannel, type TabMessage } from './tab-channel';

/** The part of the Web Locks API (`navigator.locks`) used here. */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<void>): Promise<void>;
}

type MessageListener = (event: MessageEvent<string>) => void;

/** An EventSource-shaped object fed from the channel: a follower tab's view of the leader's stream. */
class RelayedSource implements EventSourceLike {
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly listeners: MessageListener[] = [];
  /** Opened once: the leader may say "open" again in answer to a hello. */
  opened = false;

  constructor(private readonly closed: (source: RelayedSource) => void) {}

  addEventListener(_type: 'message', listener: MessageListener): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.closed(this);
  }

  deliver(data: string): void {
    for (const listener of this.listeners) {
      listener({ data } as MessageEvent<string>);
    }
  }
}

/**
 * One inbox stream per browser, not per tab. Each tab's engine asks `connect` for its
 * stream; the tab that holds the Web Lock (the leader) opens the real EventSource and
 * repeats every event and its status on the channel; the others get a relayed source
 * fed from the channel. When the leader goes (tab closed, locked), the lock passes to
 * a waiting tab, whose relayed source fails, so its InboxStream reconnects — now for
 * real. Each tab still handles messages itself (its own keys decrypt), and its
 * safety-net poll covers anything said while it was attaching.
 */
export class SharedStream {
  private leader = false;
  private stopped = false;
  private release: (() => void) | null = null;
  private realOpen = false;
  private readonly relayed = new Set<RelayedSource>();
  private readonly arrivalListeners = new Set<(arrival: Arrival) => void>();
  private readonly settledListeners = new Set<(message: ChatMessage, conversation: Conversation) => void>();
  private requestListener: ((request: OutboxRequest) => void) | null = null;
  private readonly readListeners = new Set<(peer: string) => void>();
  /** Requests that reached this tab as leader before its outbox listened: handed over when it does. */
  private readonly waitingRequests: OutboxRequest[] = [];
  private readonly onChannel = (event: MessageEvent<TabMessage>) => this.handle(event.data);

  /** Resolves once this tab leads. */
  readonly leading: Promise<void>;
  /** Resolves once it is known whether this tab leads or follows: start the engine after it. */
  readonly decided: Promise<void>;

  constructor(
    private readonly realConnect: EventSourceFactory,
    private readonly channel: ChannelLike,
    locks: LockManagerLike,
    /** The lock's name: one per identity. */
    name: string,
  ) {
    channel.addEventListener('message', this.onChannel);
    let led: () => void = () => undefined;
    this.leading = new Promise((resolve) => (led = resolve));
    const lead = (): Promise<void> => {
      if (this.stopped) {
        return Promise.resolve(); // stopped before the lock came: pass it on at once
      }
      this.leader = true;
      led();
      // Followers attached so far must reconnect, this time to the real stream.
      for (const source of [...this.relayed]) {
        source.onerror?.(new Event('error'));
      }
      return new Promise<void>((resolve) => (this.release = resolve));
    };
    this.decided = new Promise((decide) => {
      void locks.request(name, { ifAvailable: true }, (lock) => {
        if (lock !== null) {
          const held = lead();
          decide();
          return held;
        }
        // Another tab leads: follow, and queue to take over when it goes.
        decide();
        void locks.request(name, {}, lead);
        return Promise.resolve();
      });
    });
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** The EventSourceFactory to give the engine in place of the browser's. */
  readonly connect: EventSourceFactory = (url) => (this.leader ? this.openReal(url) : this.openRelayed());

  /**
   * The leader's relays brought `arrival` (the leader files and stores it): the other
   * tabs get it over the channel. Only the leader runs relays, so only it calls this.
   */
  shareArrival(arrival: Arrival): void {
    if (this.leader) {
      this.post({ kind: 'relay-arrival', arrival });
    }
  }

  /** Calls `listener` with each relay arrival the leader shares, while this tab follows; returns the way to stop. */
  onArrival(listener: (arrival: Arrival) => void): () => void {
    this.arrivalListeners.add(listener);
    return () => this.arrivalListeners.delete(listener);
  }

  /** Follower: hands an outbox request to the leading tab (see OutboxRequest). */
  requestOutbox(request: OutboxRequest): void {
    if (!this.leader) {
      this.post({ kind: 'outbox-request', request });
    }
  }

  /**
   * Leader: calls `listener` with each outbox request of the other tabs, first with
   * those that came before it listened. One listener (the tab's outbox).
   */
  onOutboxRequest(listener: (request: OutboxRequest) => void): () => void {
    this.requestListener = listener;
    for (const request of this.waitingRequests.splice(0)) {
      listener(request);
    }
    return () => {
      if (this.requestListener === listener) {
        this.requestListener = null;
      }
    };
  }

  /** Leader: tells the other tabs what became of an outgoing message. */
  shareSettled(message: ChatMessage, conversation: Conversation): void {
    if (this.leader) {
      this.post({ kind: 'outbox-settled', message, conversation });
    }
  }

  /** Follower: calls `listener` with each outgoing message the leader settled; returns the way to stop. */
  onSettled(listener: (message: ChatMessage, conversation: Conversation) => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  /** Tells every other tab that the thread with `peer` is read (on screen here). */
  shareRead(peer: string): void {
    this.post({ kind: 'thread-read', peer });
  }

  /** Calls `listener` when another tab read a thread; returns the way to stop. */
  onRead(listener: (peer: string) => void): () => void {
    this.readListeners.add(listener);
    return () => this.readListeners.delete(listener);
  }

  /** Gives up leadership (or the wait for it) and the channel: on lock or when the engine stops. */
  stop(): void {
    this.stopped = true;
    this.release?.();
    this.release = null;
    this.leader = false;
    this.relayed.clear();
    this.arrivalListeners.clear();
    this.settledListeners.clear();
    this.readListeners.clear();
    this.requestListener = null;
    this.waitingRequests.length = 0;
    this.channel.removeEventListener('message', this.onChannel);
  }

  private openReal(url: string): EventSourceLike {
    const real = this.realConnect(url);
    const proxy: EventSourceLike = {
      onopen: null,
      onerror: null,
      addEventListener: (type, listener) => real.addEventListener(type, listener),
      close: () => {
        this.realOpen = false;
        real.close();
      },
    };
    real.onopen = (event) => {
      this.realOpen = true;
      this.post({ kind: 'stream-status', status: 'open' });
      proxy.onopen?.(event);
    };
    real.onerror = (event) => {
      this.realOpen = false;
      this.post({ kind: 'stream-status', status: 'error' });
      proxy.onerror?.(event);
    };
    real.addEventListener('message', (event) => this.post({ kind: 'stream-event', data: event.data }));
    return proxy;
  }

  private openRelayed(): EventSourceLike {
    const source = new RelayedSource((closed) => this.relayed.delete(closed));
    this.relayed.add(source);
    this.post({ kind: 'stream-hello' });
    return source;
  }

  private handle(message: TabMessage): void {
    if (message.kind === 'thread-read') {
      for (const listener of [...this.readListeners]) {
        listener(message.peer);
      }
      return;
    }
    if (this.leader) {
      if (message.kind === 'stream-hello' && this.realOpen) {
        this.post({ kind: 'stream-status', status: 'open' });
      } else if (message.kind === 'outbox-request') {
        this.takeRequest(message.request);
      }
      return;
    }
    if (message.kind === 'relay-arrival') {
      for (const listener of [...this.arrivalListeners]) {
        listener(message.arrival);
      }
      return;
    }
    if (message.kind === 'outbox-settled') {
      for (const listener of [...this.settledListeners]) {
        listener(message.message, message.conversation);
      }
      return;
    }
    for (const source of [...this.relayed]) {
      if (message.kind === 'stream-event') {
        source.deliver(message.data);
      } else if (message.kind === 'stream-status' && message.status === 'error') {
        source.onerror?.(new Event('error'));
      } else if (message.kind === 'stream-status' && !source.opened) {
        source.opened = true;
        source.onopen?.(new Event('open'));
      }
    }
  }

  private takeRequest(request: OutboxRequest): void {
    if (this.requestListener !== null) {
      this.requestListener(request);
    } else {
      // Queued messages are stored too: this list only spares them the wait for the next start.
      this.waitingRequests.push(request);
    }
  }

  private post(message: TabMessage): void {
    try {
      this.channel.postMessage(message);
    } catch {
      // The channel is closed (the tab is going away): nobody to tell.
    }
  }
}

/** What `shareStream` gives the chat: see SharedStream. */
export interface SharedStreamHandle extends ChatTabs {
  readonly connect: EventSourceFactory;
  /** Whether this tab leads now; a plain function, handed on to the engine and the repository. */
  readonly leads: () => boolean;
  readonly decided: Promise<void>;
  readonly leading: Promise<void>;
  /** Leader: hands a relay arrival to the other tabs. */
  shareArrival(arrival: Arrival): void;
  /** Follower: relay arrivals the leader shared. */
  onArrival(listener: (arrival: Arrival) => void): () => void;
  stop(): void;
}

/** The stream sharing of one identity in this browser, or plain per-tab streams where Web Locks or BroadcastChannel are missing. */
export function shareStream(connect: EventSourceFactory, primary: string): SharedStreamHandle {
  const locks = typeof navigator === 'undefined' ? undefined : (navigator as { locks?: LockManagerLike }).locks;
  const channel = openTabChannel();
  if (locks === undefined || channel === null) {
    channel?.close();
    return {
      connect,
      leads: () => true,
      decided: Promise.resolve(),
      leading: Promise.resolve(),
      shareArrival: () => undefined,
      onArrival: () => () => undefined,
      requestOutbox: () => undefined,
      onOutboxRequest: () => () => undefined,
      shareSettled: () => undefined,
      onSettled: () => () => undefined,
      shareRead: () => undefined,
      onRead: () => () => undefined,
      stop: () => undefined,
    };
  }
  const shared = new SharedStream(connect, channel, locks, `kez-stream:${primary}`);
  return {
    connect: shared.connect,
    leads: () => shared.isLeader,
    decided: shared.decided,
    leading: shared.leading,
    shareArrival: (arrival) => shared.shareArrival(arrival),
    onArrival: (listener) => shared.onArrival(listener),
    requestOutbox: (request) => shared.requestOutbox(request),
    onOutboxRequest: (listener) => shared.onOutboxRequest(listener),
    shareSettled: (message, conversation) => shared.shareSettled(message, conversation),
    onSettled: (listener) => shared.onSettled(listener),
    shareRead: (peer) => shared.shareRead(peer),
    onRead: (listener) => shared.onRead(listener),
    stop: () => {
      shared.stop();
      channel.close();
    },
  };
}
