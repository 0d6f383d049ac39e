import type { Identity } from '@kez/crypto';
import type { DirectMessage, Profile } from '@kez/nostr';

import { type NostrPeer, NostrPeerError, resolveNostrPeer } from '../nostr/nostr-peer';
import type { ChatBook } from './chat-book';
import type { ChatRepository } from './chat-repository';
import { type ChatMessage, type Conversation, newConversation, nostrPeerKey } from './model';
import type { OrderClock } from './order-clock';
import type { StartChatResult } from './peer-directory';

/** An npub, nprofile (or another NIP-19 code, refused later with a reason), a `nostr:` URI or a 64-hex key. */
function isNostrCode(text: string): boolean {
  return /^(nostr:)?((npub|nprofile|nsec|note|nevent|naddr)1[a-z0-9]+|[0-9a-f]{64})$/i.test(text);
}

export interface NostrChatsOptions {
  readonly identity: Identity;
  /** This home server's name: a NIP-05 name on it is a KEZ handle, not a nostr user. */
  readonly server: string;
  readonly book: ChatBook;
  readonly repository: ChatRepository;
  readonly clock: OrderClock;
  /** The newest kind 0 of `pubkey` on the relays; undefined when there is none or no relays run here. */
  readonly profileOf: (pubkey: string) => Promise<Profile | undefined>;
  /** Resolves an npub, nprofile or NIP-05 name (default: `resolveNostrPeer` over the browser's fetch). */
  readonly resolveNostr?: (input: string) => Promise<NostrPeer>;
}

/**
 * Chats with nostr users of other apps (NIP-17, contract section 6): started from an
 * npub, nprofile or NIP-05 name, kept as conversations keyed `nostr:<pubkey>`, named
 * from the peer's kind 0, and filled with the DMs the relays bring (ours from other
 * apps included). No receipts: other apps do not read them.
 */
export class NostrChats {
  private readonly resolve: (input: string) => Promise<NostrPeer>;

  constructor(private readonly options: NostrChatsOptions) {
    this.resolve = options.resolveNostr ?? resolveNostrPeer;
  }

  /** An npub, nprofile, `nostr:` URI or hex key, or a NIP-05 name on a domain other than this server. */
  isNostrInput(input: string): boolean {
    const text = input.trim();
    if (isNostrCode(text)) {
      return true;
    }
    const [name, domain] = text.replace(/^@/, '').split('@');
    return !!name && !!domain && domain.includes('.') && domain.toLowerCase() !== this.options.server.toLowerCase();
  }

  /** Opens (or reuses) the NIP-17 chat with a nostr user (`input` as `isNostrInput` takes it), named by their kind 0 once it is found. */
  async start(input: string): Promise<StartChatResult> {
    let found: NostrPeer;
    try {
      found = await this.resolve(input.trim());
    } catch (error) {
      const message = error instanceof NostrPeerError ? error.message : 'That nostr address could not be read.';
      if (!isNostrCode(input.trim()) && error instanceof NostrPeerError && (error.code === 'not_found' || error.code === 'unreachable')) {
        // "bob@elsewhere": maybe a KEZ of another server, maybe a NIP-05 name; say both.
        return {
          ok: false,
          problem: 'other_server',
          message: `${input.trim().replace(/^@/, '')} is on another server, and no nostr user by that name was found there. ${message}`,
        };
      }
      return { ok: false, problem: 'failed', message };
    }
    if (found.pubkey === this.options.identity.addr) {
      return { ok: false, problem: 'self', message: 'That’s your own nostr key.' };
    }
    const conversation = await this.ensureConversation(found.pubkey, found.nip05);
    return { ok: true, conversation };
  }

  private async ensureConversation(pubkey: string, nip05?: string): Promise<Conversation> {
    const peer = nostrPeerKey(pubkey);
    const existing = this.options.book.conversation(peer);
    if (existing !== undefined) {
      return existing;
    }
    const conversation: Conversation = { ...newConversation(peer, null, null, this.options.clock.next()), nostr: { pubkey, ...(nip05 ? { nip05 } : {}) } };
    this.options.book.upsert(conversation);
    await this.options.repository.saveConversation(conversation);
    void this.name(pubkey);
    return conversation;
  }

  /**
   * Looks up a nostr contact's kind 0 on the relays and shows their name. The NIP-05
   * address it claims is kept only once its domain confirms it names this key (anyone
   * can write "alice@chat.test" in their own kind 0).
   */
  private async name(pubkey: string): Promise<void> {
    const profile = await this.options.profileOf(pubkey);
    const name = typeof profile?.display_name === 'string' && profile.display_name !== '' ? profile.display_name : profile?.name;
    const claimed = typeof profile?.nip05 === 'string' && profile.nip05 !== '' ? profile.nip05 : undefined;
    const nip05 = claimed !== undefined && (await this.confirmsNip05(claimed, pubkey)) ? claimed : undefined;
    const current = this.options.book.conversation(nostrPeerKey(pubkey));
    if (current?.nostr === undefined || (name === undefined && nip05 === undefined)) {
      return;
    }
    const named: Conversation = {
      ...current,
      nostr: { ...current.nostr, ...(name ? { name } : {}), ...(current.nostr.nip05 === undefined && nip05 ? { nip05 } : {}) },
    };
    this.options.book.upsert(named);
    await this.options.repository.saveConversation(named);
  }

  /**
   * A NIP-17 DM: filed in the chat with its author (or, for our own copy from this or
   * another app, with the person it names), once per rumor id. No receipt: other
   * apps do not read them.
   */
  async file(dm: DirectMessage, storedElsewhere = false): Promise<void> {
    const own = dm.from === this.options.identity.addr;
    const pubkey = own ? (dm.to.find((key) => key !== dm.from) ?? dm.from) : dm.from;
    if (pubkey === this.options.identity.addr) {
      return;
    }
    await this.ensureConversation(pubkey);
    const peer = nostrPeerKey(pubkey);
    if (this.options.book.has(peer, dm.id)) {
      return;
    }
    const message: ChatMessage = {
      id: dm.id,
      peer,
      direction: own ? 'out' : 'in',
      body: dm.text,
      sentAt: dm.createdAt,
      order: this.options.clock.next(),
      status: own ? 'sent' : 'received',
    };
    const conversation = this.options.book.add(message);
    if (conversation !== null && !storedElsewhere) {
      await this.options.repository.saveMessage(message, conversation);
    }
  }

  /** True when the NIP-05 `address`'s domain names `pubkey` for it (NIP-05); false when it names another key or cannot be asked. */
  private async confirmsNip05(address: string, pubkey: string): Promise<boolean> {
    try {
      return (await this.resolve(address)).pubkey === pubkey;
    } catch {
      return false;
    }
  }
}
