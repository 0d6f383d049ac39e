import type { ChatMessage, MessageStatus } from './model';
import { threadAttention } from './thread-attention';

const message = (status: MessageStatus, direction: 'in' | 'out' = 'out', order = 1): ChatMessage => ({
  id: `${status}-${order}`,
  peer: 'ed25519:p',
  direction,
  body: 'b',
  sentAt: 1,
  order,
  status,
});

describe('threadAttention', () => {
  it('is null when everything went out or came in', () => {
    expect(threadAttention([])).toBeNull();
    expect(threadAttention([message('sent'), message('received', 'in', 2)])).toBeNull();
  });

  it('says queued while one of ours waits or is on its way', () => {
    expect(threadAttention([message('sent'), message('queued', 'out', 2)])).toBe('queued');
    expect(threadAttention([message('sending')])).toBe('queued');
  });

  it('says failed when one of ours can never go out, even beside queued ones and wherever it is', () => {
    expect(threadAttention([message('failed'), message('queued', 'out', 2), message('sent', 'out', 3)])).toBe('failed');
  });
});
