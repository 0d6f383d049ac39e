// What the app keeps about conversations. A conversation is keyed by the peer's
// primary (their key), never by handle: the handle is display data, so a person
// reached as "bob" and heard from as ed25519:… is one thread, not two.

/**
 * `queued`: waiting for a path (the home server or a relay; or for a rate limit to
 * pass); it goes out by itself. `sending`: an attempt is in flight. `sent`: at least
 * one path accepted it. `delivered`: the peer's client sent a valid receipt for it
 * (docs/protocol.md §7). `failed`: it can never go out as it is (unknown recipient,
 * refused); `error` says why. Outgoing states only move forward (`laterStatus`).
 */
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'received';

/**
 * The status an outgoing message takes when `next` is proposed: a receipt already
 * seen wins over a late "sent" from the queue, so a tick never goes backwards.
 */
export function laterStatus(current: MessageStatus, next: MessageStatus): MessageStatus {
  return current === 'delivered' && next !== 'failed' ? 'delivered' : next;
}

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
  /** The path that accepted it first: `home` or a relay URL (the "via …" line). */
  readonly via?: string;
}

export interface Conversation {
  /** The peer's primary. */
  readonly peer: string;
  /** Resolved through the registry; null while unknown. */
  readonly handle: string | null;
  readonly server: string | null;
  /** The peer's nostr routing address (64 hex), cached so relays can carry the chat without a lookup; absent while unknown. */
  readonly addr?: string | null;
  /** The relay that took this conversation's last message first, tried first next time (kept sealed with the history). */
  readonly relay?: string;
  /** Set for a NIP-17 chat with a nostr user of another app (peer = `nostr:<pubkey>`): no handle, no receipts. */
  readonly nostr?: NostrContact;
  /** Order of the latest message (or of the moment the chat was started). */
  readonly lastOrder: number;
  readonly preview: string;
  readonly previewDirection: 'in' | 'out' | null;
  readonly lastAt: number | null;
  readonly unread: number;
}

/** A nostr user chatted with over NIP-17. */
export interface NostrContact {
  /** 64 hex. */
  readonly pubkey: string;
  /** From their kind 0 (`display_name` or `name`), when found. */
  readonly name?: string;
  /** The NIP-05 name they were found by, or the one their kind 0 claims. */
  readonly nip05?: string;
}

/** The conversation key of a NIP-17 chat: never a KEZ primary (those start with `ed25519:`). */
export function nostrPeerKey(pubkey: string): string {
  return `nostr:${pubkey}`;
}

/** Invisible format characters: bidi overrides, zero-width spaces and joiners (Unicode Cf). */
const HIDDEN = /\p{Cf}/gu;
/** Leading at-signs, ASCII or look-alike (U+FF20, U+FE6B), with the spaces around them. */
const LEADING_AT = /^[\s@\uFF20\uFE6B]+/u;

/**
 * How a nostr contact is named on screen: their name, else their NIP-05, else a short
 * npub-like key. The name is whatever a stranger put in their kind 0, so it may not
 * dress up as a KEZ contact: KEZ handles show as "@bob", and a kind 0 name "@bob" shows
 * as "bob" (beside the "nostr" mark); invisible and direction-changing characters are
 * dropped so the name reads as it is stored. A name left empty falls back like none.
 */
export function nostrContactName(contact: NostrContact): string {
  const name = contact.name?.replace(HIDDEN, '').replace(LEADING_AT, '').trim();
  return name || contact.nip05 || `${contact.pubkey.slice(0, 8)}…${contact.pubkey.slice(-4)}`;
}

export function newConversation(peer: string, handle: string | null, server: string | null, order: number, addr: string | null = null): Conversation {
  return { peer, handle, server, addr, lastOrder: order, preview: '', previewDirection: null, lastAt: null, unread: 0 };
}

/** A conversation after `message` arrived in it or was sent from it. */
export function withLatest(conversation: Conversation, message: ChatMessage, countUnread: boolean): Conversation {
  // Our own newest message, written here or on another device (its copy to self, also
  // in a restore), means everything before it was read.
  const newest = message.order >= conversation.lastOrder;
  const answered = message.direction === 'out' && newest;
  return {
    ...conversation,
    lastOrder: Math.max(conversation.lastOrder, message.order),
    // The preview is the newest message's: one filed late (an older copy) leaves it.
    ...(newest ? { preview: message.body, previewDirection: message.direction, lastAt: message.sentAt } : {}),
    unread: answered ? 0 : countUnread ? conversation.unread + 1 : conversation.unread,
  };
}
