import { GiftWrap, PrivateDirectMessage } from 'nostr-tools/kinds';
import * as nip59 from 'nostr-tools/nip59';
import { getEventHash, getPublicKey, type NostrEvent } from 'nostr-tools/pure';

import { NostrError } from './errors';
import { isEventShape, tagValues, verifyEventCopy } from './event-shape';
import { isClassicNip44Payload } from './nip44-limits';

// NIP-17 private direct messages, for chats with nostr users of other apps: a kind 14
// rumor (unsigned) sealed in a kind 13 signed by the sender, wrapped in a kind 1059
// signed by a random key, each layer NIP-44 v2 encrypted, the outer timestamps
// back-dated at random (NIP-59). nostr-tools does the cryptography; this file adds the
// checks a reader owes its user.

/** A NIP-17 message as its reader sees it. */
export interface DirectMessage {
  /** The rumor's id (NIP-01 hash of the unsigned kind 14): the message's identity across wraps. */
  id: string;
  /** The author's pubkey (64 hex), proven by the seal's signature. */
  from: string;
  /** The pubkeys in the rumor's `p` tags: the conversation's other members. */
  to: string[];
  /** Plain text. */
  text: string;
  /** The rumor's `created_at` (unix seconds): the real time, unlike the wrap's. */
  createdAt: number;
}

/**
 * Longest NIP-17 text this project sends, in UTF-8 bytes: the rumor around it, sealed
 * and base64-encoded inside the gift wrap, must stay within the original NIP-44 v2 cap.
 */
export const DM_TEXT_MAX_BYTES = 32_000;

/**
 * Wraps `text` from `senderSecret` to `recipientPubkey` (64 hex) as NIP-17 says: one
 * rumor (kind 14, `["p", recipient]`), sealed and gift-wrapped once for the recipient
 * and once for the sender's own other devices, so both copies carry the same rumor id
 * and name the same conversation. `createdAt` (unix seconds, default now) is the
 * rumor's real time; its id is then `directMessageId(...)`.
 *
 * @returns `{ forRecipient, forSelf }`, kind 1059 events ready to publish, the first
 *   to the recipient's kind 10050 relays, the second to the sender's.
 * @throws NostrError `malformed` for an empty text or one over `DM_TEXT_MAX_BYTES`.
 */
export function wrapDirectMessage(
  senderSecret: Uint8Array,
  recipientPubkey: string,
  text: string,
  createdAt?: number,
): { forRecipient: NostrEvent; forSelf: NostrEvent } {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes === 0 || bytes > DM_TEXT_MAX_BYTES) {
    throw new NostrError('malformed', `a direct message is 1..${DM_TEXT_MAX_BYTES} bytes of text`);
  }
  const rumor = nip59.createRumor(
    { kind: PrivateDirectMessage, content: text, tags: [['p', recipientPubkey]], ...(createdAt === undefined ? {} : { created_at: createdAt }) },
    senderSecret,
  );
  const wrapFor = (pubkey: string): NostrEvent => {
    const seal = nip59.createSeal(rumor, senderSecret, pubkey);
    const wrap = nip59.createWrap(seal, pubkey);
    if (!isClassicNip44Payload(seal.content) || !isClassicNip44Payload(wrap.content)) {
      throw new NostrError('malformed', 'the message does not fit a NIP-44 v2 payload');
    }
    return wrap;
  };
  return { forRecipient: wrapFor(recipientPubkey), forSelf: wrapFor(getPublicKey(senderSecret)) };
}

/**
 * The rumor id `wrapDirectMessage` gives a DM of `text` from `senderPubkey` to
 * `recipientPubkey` written at `createdAt` (unix seconds): a sender knows its
 * message's id before sending, so its copy to self coming back is recognised.
 */
export function directMessageId(senderPubkey: string, recipientPubkey: string, text: string, createdAt: number): string {
  return getEventHash({ kind: PrivateDirectMessage, pubkey: senderPubkey, created_at: createdAt, tags: [['p', recipientPubkey]], content: text });
}

/**
 * Opens a kind 1059 gift wrap for `readerSecret` and checks what NIP-17 asks of a
 * reader: a valid outer signature, a seal signed by the rumor's author, a kind 14
 * rumor, and the reader among its `p` tags or as its author (a copy to self).
 *
 * @throws NostrError `malformed`, `wrong_kind`, `bad_signature`, `decrypt_failed`
 *   or `wrong_recipient`.
 */
export function unwrapDirectMessage(wrap: unknown, readerSecret: Uint8Array): DirectMessage {
  if (!isEventShape(wrap)) {
    throw new NostrError('malformed', 'not a nostr event');
  }
  if (wrap.kind !== GiftWrap) {
    throw new NostrError('wrong_kind', `a gift wrap is kind ${GiftWrap}`);
  }
  if (!verifyEventCopy(wrap)) {
    throw new NostrError('bad_signature', 'the gift wrap does not verify');
  }
  let rumor: ReturnType<typeof nip59.unwrapEvent>;
  try {
    rumor = nip59.unwrapEvent(wrap, readerSecret);
  } catch {
    // nostr-tools throws for a bad MAC, a bad seal signature or a rumor whose author
    // is not the seal's signer alike; none of them may be shown.
    throw new NostrError('decrypt_failed', 'the gift wrap does not open for this key');
  }
  if (rumor.kind !== PrivateDirectMessage) {
    throw new NostrError('wrong_kind', `a private direct message is kind ${PrivateDirectMessage}`);
  }
  if (typeof rumor.content !== 'string' || !Number.isSafeInteger(rumor.created_at) || !Array.isArray(rumor.tags)) {
    throw new NostrError('malformed', 'the rumor lacks its content, time or tags');
  }
  const reader = getPublicKey(readerSecret);
  const to = tagValues(rumor, 'p');
  if (rumor.pubkey !== reader && !to.includes(reader)) {
    throw new NostrError('wrong_recipient', 'the message names another recipient');
  }
  return { id: rumor.id, from: rumor.pubkey, to, text: rumor.content, createdAt: rumor.created_at };
}
