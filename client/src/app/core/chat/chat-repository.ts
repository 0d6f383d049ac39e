import type { Store, WriteOp } from '../storage/store';
import type { ChatMessage, Conversation } from './model';

const LAST_SEQ = 'lastSeq';

/** Message keys sort by peer, then order, so one prefix scan reads a thread in order. */
function messageKey(message: Pick<ChatMessage, 'peer' | 'order' | 'id'>): string {
  return `${message.peer}\u0000${String(message.order).padStart(16, '0')}\u0000${message.id}`;
}

function conversationOp(conversation: Conversation): WriteOp {
  return { bucket: 'conversations', key: conversation.peer, value: conversation };
}

function messageOp(message: ChatMessage): WriteOp {
  return { bucket: 'messages', key: messageKey(message), value: message };
}

/** Conversations, messages and the inbox position, persisted through a Store. */
export class ChatRepository {
  constructor(private readonly store: Store) {}

  conversations(): Promise<Conversation[]> {
    return this.store.list<Conversation>('conversations');
  }

  messages(): Promise<ChatMessage[]> {
    return this.store.list<ChatMessage>('messages');
  }

  /** The seq of the last inbox message handled; 0 before the first. */
  async lastSeq(): Promise<number> {
    return (await this.store.get<number>('meta', LAST_SEQ)) ?? 0;
  }

  saveConversation(conversation: Conversation): Promise<void> {
    return this.store.write([conversationOp(conversation)]);
  }

  /** A message and its conversation together, so neither is stored without the other. */
  saveMessage(message: ChatMessage, conversation: Conversation): Promise<void> {
    return this.store.write([messageOp(message), conversationOp(conversation)]);
  }

  /**
   * The outcome of handling inbox message `seq`, in one transaction with the new
   * position: after a crash either both are stored or the message is fetched again.
   */
  saveReceived(seq: number, message?: ChatMessage, conversation?: Conversation): Promise<void> {
    const ops: WriteOp[] = [{ bucket: 'meta', key: LAST_SEQ, value: seq }];
    if (message !== undefined && conversation !== undefined) {
      ops.push(messageOp(message), conversationOp(conversation));
    }
    return this.store.write(ops);
  }
}
