import type { ChatBook } from './chat-book';
import { type ChatMessage, type Conversation, laterStatus, type MessageStatus } from './model';

/**
 * What a following tab asks of the leader's outbox (core/tabs/shared-stream.ts): only
 * the tab that leads sends, so two tabs that find the same queued message never both
 * post it.
 * - `queued`: this tab queued `message` (already stored, with its conversation): send
 *   it; a failed message put back for a retry comes the same way;
 * - `wake`: a path may be back here (online, stream live, "Reconnect now"): try now.
 */
export type OutboxRequest = { readonly kind: 'queued'; readonly message: ChatMessage; readonly conversation: Conversation } | { readonly kind: 'wake' };

/** How an outbox reaches the other tabs: requests go to the leader, settled messages to the followers. */
export interface OutboxSharing {
  /** Follower: hands a request to the leading tab. */
  requestOutbox(request: OutboxRequest): void;
  /** Leader: tells the others what became of an outgoing message (the leader has stored it). */
  shareSettled(message: ChatMessage, conversation: Conversation): void;
}

/** The other tabs as a chat engine sees them: `OutboxSharing` plus what comes back, and which threads are read. */
export interface ChatTabs extends OutboxSharing {
  /** Any tab: the thread with `peer` is on screen here, so it is read. */
  shareRead(peer: string): void;
  /** Any tab: another tab read the thread with `peer`. */
  onRead(listener: (peer: string) => void): () => void;
  /** Leader: the other tabs' requests (those that came before it listened first). */
  onOutboxRequest(listener: (request: OutboxRequest) => void): () => void;
  /** Follower: what the leader settled. */
  onSettled(listener: (message: ChatMessage, conversation: Conversation) => void): () => void;
}

/** The states of an outgoing message, in the order they come. */
const PROGRESS: Readonly<Record<MessageStatus, number>> = { queued: 0, sending: 1, failed: 2, sent: 3, delivered: 4, received: 4 };

/**
 * The leader takes a message another tab queued (or put back after a failure) into
 * its book, so its outbox sends it; returns whether there is anything to send. Not
 * stored again: the tab that queued it stored it before asking.
 */
export function adoptQueued(book: ChatBook, message: ChatMessage, conversation: Conversation): boolean {
  if (book.conversation(conversation.peer) === undefined) {
    book.upsert(conversation);
  }
  const current = book.message(message.peer, message.id);
  if (current === undefined) {
    return book.add(message) !== null;
  }
  if (current.status === 'failed' && message.status === 'queued') {
    book.update(message.peer, message.id, { status: 'queued', sentAt: current.sentAt });
  }
  return true;
}

/**
 * A following tab shows what the leader's outbox did with a message: added when this
 * tab did not have it (written in another tab), else moved on, never back (a receipt
 * this tab saw first keeps "delivered"). Nothing is stored: the leader did that.
 */
export function showSettled(book: ChatBook, message: ChatMessage, conversation: Conversation): void {
  if (book.conversation(conversation.peer) === undefined) {
    book.upsert(conversation);
  }
  const current = book.message(message.peer, message.id);
  if (current === undefined) {
    book.add(message);
    return;
  }
  const status = laterStatus(current.status, message.status);
  book.update(message.peer, message.id, {
    status,
    sentAt: message.sentAt,
    ...(message.error !== undefined ? { error: message.error } : {}),
    ...(message.copyPending ? { copyPending: true } : {}),
    ...((message.via ?? current.via) !== undefined ? { via: message.via ?? current.via } : {}),
  });
}

/**
 * The stored outgoing messages a tab that has just become the leader must take over:
 * those queued in other tabs while no tab led (they never reached a leader), and
 * those whose stored state is further on than the book's (a settled message whose
 * news this tab missed). Adds or moves them in `book`; the caller then resumes the queue.
 */
export function adoptStored(book: ChatBook, conversations: readonly Conversation[], messages: readonly ChatMessage[]): void {
  const byPeer = new Map(conversations.map((conversation) => [conversation.peer, conversation]));
  for (const stored of messages) {
    const conversation = byPeer.get(stored.peer);
    if (stored.direction !== 'out' || conversation === undefined) {
      continue;
    }
    const current = book.message(stored.peer, stored.id);
    if (current === undefined) {
      if (stored.status === 'queued' || stored.status === 'sending' || stored.copyPending === true) {
        adoptQueued(book, stored, conversation);
      }
    } else if (current.status === 'failed' && stored.status === 'queued') {
      adoptQueued(book, stored, conversation); // a retry asked for while no tab led
    } else if (PROGRESS[stored.status] > PROGRESS[current.status]) {
      showSettled(book, stored, conversation);
    }
  }
}
