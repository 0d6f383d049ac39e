import type { LinkStatus } from '../transport/link-status';
import { type ChatMessage, type Conversation, withLatest } from './model';

/** Everything the chat screens show, as one immutable value. */
export interface ChatSnapshot {
  /** Most recent first. */
  readonly conversations: readonly Conversation[];
  /** Per peer, oldest first. */
  readonly threads: ReadonlyMap<string, readonly ChatMessage[]>;
  /** The peer whose thread is on screen: its messages are read as they arrive. */
  readonly active: string | null;
  readonly link: LinkStatus;
}

const EMPTY: ChatSnapshot = { conversations: [], threads: new Map(), active: null, link: 'connecting' };

function byRecency(a: Conversation, b: Conversation): number {
  return b.lastOrder - a.lastOrder;
}

/** Inserts keeping the thread sorted by order; almost always an append. */
function inserted(thread: readonly ChatMessage[], message: ChatMessage): ChatMessage[] {
  const next = [...thread, message];
  for (let i = next.length - 1; i > 0 && next[i - 1]!.order > next[i]!.order; i--) {
    [next[i - 1], next[i]] = [next[i]!, next[i - 1]!];
  }
  return next;
}

/**
 * Conversations and messages in memory, with the rules that keep them consistent:
 * one conversation per peer primary, one message per (peer, id), unread counts that
 * grow only for threads not on screen. Each change publishes a new snapshot.
 * Persistence is the caller's job (ChatRepository).
 */
export class ChatBook {
  private snapshot: ChatSnapshot = EMPTY;
  private readonly listeners = new Set<(snapshot: ChatSnapshot) => void>();

  get state(): ChatSnapshot {
    return this.snapshot;
  }

  subscribe(listener: (snapshot: ChatSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  conversation(peer: string): Conversation | undefined {
    return this.snapshot.conversations.find((conversation) => conversation.peer === peer);
  }

  findByHandle(handle: string): Conversation | undefined {
    return this.snapshot.conversations.find((conversation) => conversation.handle === handle);
  }

  has(peer: string, id: string): boolean {
    return this.snapshot.threads.get(peer)?.some((message) => message.id === id) ?? false;
  }

  message(peer: string, id: string): ChatMessage | undefined {
    return this.snapshot.threads.get(peer)?.find((message) => message.id === id);
  }

  /** Replaces everything with what storage held. */
  load(conversations: readonly Conversation[], messages: readonly ChatMessage[]): void {
    const threads = new Map<string, ChatMessage[]>();
    for (const message of [...messages].sort((a, b) => a.order - b.order)) {
      const thread = threads.get(message.peer) ?? [];
      if (!thread.some((existing) => existing.id === message.id)) {
        thread.push(message);
      }
      threads.set(message.peer, thread);
    }
    this.publish({ ...this.snapshot, conversations: [...conversations].sort(byRecency), threads });
  }

  /** Adds or replaces a conversation (same peer). */
  upsert(conversation: Conversation): void {
    const others = this.snapshot.conversations.filter((existing) => existing.peer !== conversation.peer);
    this.publish({ ...this.snapshot, conversations: [...others, conversation].sort(byRecency) });
  }

  /**
   * Adds a message to its (existing) conversation. Returns the updated conversation,
   * or null when the message is already there or the conversation is unknown.
   */
  add(message: ChatMessage): Conversation | null {
    const conversation = this.conversation(message.peer);
    if (conversation === undefined || this.has(message.peer, message.id)) {
      return null;
    }
    const unseen = message.direction === 'in' && this.snapshot.active !== message.peer;
    const updated = withLatest(conversation, message, unseen);
    const threads = new Map(this.snapshot.threads);
    threads.set(message.peer, inserted(threads.get(message.peer) ?? [], message));
    const others = this.snapshot.conversations.filter((existing) => existing.peer !== message.peer);
    this.publish({ ...this.snapshot, threads, conversations: [...others, updated].sort(byRecency) });
    return updated;
  }

  /** Changes a message in place (status, error, time, pending copy); null when there is no such message. */
  update(peer: string, id: string, change: Partial<Pick<ChatMessage, 'status' | 'error' | 'sentAt' | 'copyPending' | 'via'>>): ChatMessage | null {
    const thread = this.snapshot.threads.get(peer);
    const index = thread?.findIndex((message) => message.id === id) ?? -1;
    if (thread === undefined || index < 0) {
      return null;
    }
    // The reason and the pending copy belong to one state: a change that does not restate them drops them.
    const { error: _dropped, copyPending: _settled, ...previous } = thread[index]!;
    const message: ChatMessage = { ...previous, ...change };
    const threads = new Map(this.snapshot.threads);
    threads.set(
      peer,
      thread.map((existing, i) => (i === index ? message : existing)),
    );
    this.publish({ ...this.snapshot, threads });
    return message;
  }

  /** Clears a thread's unread count without putting it on screen (another tab shows it); returns it when the count changed. */
  markRead(peer: string): Conversation | null {
    const conversation = this.conversation(peer);
    if (conversation === undefined || conversation.unread === 0) {
      return null;
    }
    const cleared = { ...conversation, unread: 0 };
    this.publish({ ...this.snapshot, conversations: this.snapshot.conversations.map((existing) => (existing.peer === peer ? cleared : existing)) });
    return cleared;
  }

  /** Puts a thread on screen (or none) and clears its unread count; returns it when the count changed. */
  setActive(peer: string | null): Conversation | null {
    const cleared = peer === null ? null : this.markRead(peer);
    if (peer !== this.snapshot.active) {
      this.publish({ ...this.snapshot, active: peer });
    }
    return cleared;
  }

  setLink(link: LinkStatus): void {
    if (link !== this.snapshot.link) {
      this.publish({ ...this.snapshot, link });
    }
  }

  private publish(snapshot: ChatSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) {
      listener(snapshot);
    }
  }
}
