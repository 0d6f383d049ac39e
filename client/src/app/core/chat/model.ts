// What the app keeps about conversations. A conversation is keyed by the peer's
// primary (their key), never by handle: the handle is display data, so a person
// reached as "bob" and heard from as ed25519:… is one thread, not two.

/**
 * `queued`: waiting for a path to the server (or for a rate limit to pass); it goes
 * out by itself. `sending`: an attempt is in flight. `failed`: it can never go out as
 * it is (unknown recipient, refused); `error` says why.
 */
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'received';

export interface ChatMessage {
  /** The id inside the envelope; with `peer` it identifies the message. */
  readonly id: string;
  /** The other person's primary: the conversation this message belongs to. */
  readonly peer: string;
  readonly direction: 'in' | 'out';
  readonly body: string;
  /** Unix seconds: as the sender signed it (incoming) or when it was sealed (outgoing). */
  readonly sentAt: number;
  /** Local order of arrival in this browser; strictly increasing. */
  readonly order: number;
  readonly status: MessageStatus;
  /** Why sending failed (`failed`), or what it waits for (`queued`), in plain words. */
  readonly error?: string;
  /** Delivered to the peer, but the copy to self (contract §5) is not on the server yet. */
  readonly copyPending?: boolean;
}

export interface Conversation {
  /** The peer's primary. */
  readonly peer: string;
  /** Resolved through the registry; null while unknown. */
  readonly handle: string | null;
  readonly server: string | null;
  /** Order of the latest message (or of the moment the chat was started). */
  readonly lastOrder: number;
  readonly preview: string;
  readonly previewDirection: 'in' | 'out' | null;
  readonly lastAt: number | null;
  readonly unread: number;
}

export function newConversation(peer: string, handle: string | null, server: string | null, order: number): Conversation {
  return { peer, handle, server, lastOrder: order, preview: '', previewDirection: null, lastAt: null, unread: 0 };
}

/** A conversation after `message` arrived in it or was sent from it. */
export function withLatest(conversation: Conversation, message: ChatMessage, countUnread: boolean): Conversation {
  return {
    ...conversation,
    lastOrder: Math.max(conversation.lastOrder, message.order),
    preview: message.body,
    previewDirection: message.direction,
    lastAt: message.sentAt,
    unread: countUnread ? conversation.unread + 1 : conversation.unread,
  };
}
