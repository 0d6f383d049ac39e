import { type EnvelopeV2, type Identity, isValidPrimary, type OpenedMessage, sealV2 } from '@kez/crypto';

import type { ChatMessage } from './model';

// Copies to self (contract §5): each sent message is also sealed to the sender's own
// primary and posted to the sender's own inbox with `"push": false`, so the sender's
// other devices, and this one after a restore, get their own side of each
// conversation back. Inside, `to` is the sender itself; the signed extra field `peer`
// names the conversation (the other person's primary). The same `id` as the message
// to the peer lets every device drop the copy of a message it already has.

/** The signed field of a copy to self that names the conversation. */
export const SELF_COPY_PEER_FIELD = 'peer';

/** `message` (one we sent) sealed to ourselves, with its peer named inside. */
export function sealSelfCopy(self: Identity, message: Pick<ChatMessage, 'id' | 'peer' | 'body' | 'sentAt'>): EnvelopeV2 {
  return sealV2(self, self.primary, { id: message.id, body: message.body, sent_at: message.sentAt, [SELF_COPY_PEER_FIELD]: message.peer });
}

/**
 * The conversation an opened copy to self belongs to: the valid primary it names,
 * other than our own; null for anything else (not a copy, or a malformed one).
 */
export function peerOfSelfCopy(opened: OpenedMessage): string | null {
  const peer = opened.extra[SELF_COPY_PEER_FIELD];
  return opened.from === opened.to && isValidPrimary(peer) && peer !== opened.to ? peer : null;
}
