import type { ChatMessage } from '../chat/model';

/**
 * Who counts as a contact for the picture key: every peer the user has sent a
 * message to that left this device (status `sent`). Writing to someone, or replying,
 * is the consent; a stranger who only writes to the user does not get the face.
 */
export function contactsOf(threads: ReadonlyMap<string, readonly ChatMessage[]>): string[] {
  const contacts: string[] = [];
  for (const [peer, messages] of threads) {
    if (messages.some((message) => message.direction === 'out' && message.status === 'sent')) {
      contacts.push(peer);
    }
  }
  return contacts;
}
