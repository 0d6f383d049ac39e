import type { ChatMessage } from './model';

/**
 * What a conversation's row in the list must show about our own messages in it:
 * `failed` when one can never go out as it is (the person has to act), `queued` when
 * one is waiting to go out by itself, null when everything sent. Failed wins.
 */
export type ThreadAttention = 'failed' | 'queued' | null;

export function threadAttention(messages: readonly ChatMessage[]): ThreadAttention {
  let queued = false;
  for (const message of messages) {
    if (message.direction !== 'out') {
      continue;
    }
    if (message.status === 'failed') {
      return 'failed';
    }
    queued ||= message.status === 'queued' || message.status === 'sending';
  }
  return queued ? 'queued' : null;
}
