import { deriveIdentity } from '@kez/crypto';

import { contactsOf } from './contacts';
import { identiconUrl } from './identicon';
import type { ChatMessage } from '../chat/model';

describe('identicon', () => {
  it('is the same for the same primary and differs between people', () => {
    const a = deriveIdentity(new Uint8Array(32).fill(1)).primary;
    const b = deriveIdentity(new Uint8Array(32).fill(2)).primary;
    expect(identiconUrl(a)).toBe(identiconUrl(a));
    expect(identiconUrl(a)).not.toBe(identiconUrl(b));
    expect(identiconUrl(a)).toMatch(/^data:image\/svg\+xml,/);
  });
});

describe('contactsOf', () => {
  const message = (peer: string, direction: 'in' | 'out', status: ChatMessage['status']): ChatMessage => ({
    id: `${peer}${direction}${status}`,
    peer,
    direction,
    body: 'hi',
    sentAt: 1,
    order: 1,
    status,
  });

  it('counts peers the user sent a message to that left, not strangers who only wrote', () => {
    const threads = new Map<string, ChatMessage[]>([
      ['bob', [message('bob', 'in', 'received'), message('bob', 'out', 'sent')]],
      ['carol', [message('carol', 'in', 'received')]],
      ['dave', [message('dave', 'out', 'queued'), message('dave', 'out', 'failed')]],
    ]);
    expect(contactsOf(threads)).toEqual(['bob']);
  });
});
