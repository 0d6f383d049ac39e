import { ChatRepository } from '../chat/chat-repository';
import type { ChatMessage, Conversation } from '../chat/model';
import type { Store } from '../storage/store';

/**
 * The chat repository of one tab among several: every tab handles each received
 * message (to show it), but only the tab leading the shared stream stores it and the
 * inbox position, so two tabs never write the same message twice under different
 * local orders.
 */
export class LeaderRepository extends ChatRepository {
  constructor(
    store: Store,
    private readonly leads: () => boolean,
  ) {
    super(store);
  }

  override saveReceived(seq: number, message?: ChatMessage, conversation?: Conversation): Promise<void> {
    return this.leads() ? super.saveReceived(seq, message, conversation) : Promise.resolve();
  }
}
