import { MemoryStore } from '../storage/memory-store';
import type { ChatMessage, Conversation } from '../chat/model';
import { LeaderRepository } from './leader-repository';

describe('LeaderRepository', () => {
  const conversation = { peer: 'ed25519:aa', handle: 'alice', server: 'chat.test', unread: 1, lastOrder: 1 } as unknown as Conversation;
  const message = { peer: 'ed25519:aa', order: 1, id: 'm1', direction: 'in', body: 'hi' } as unknown as ChatMessage;

  it('stores received messages only while this tab leads the stream', async () => {
    const store = new MemoryStore();
    let leads = false;
    const repository = new LeaderRepository(store, () => leads);
    await repository.saveReceived(7, message, conversation);
    expect(await repository.messages()).toEqual([]);
    expect(await repository.lastSeq()).toBe(0);

    leads = true;
    await repository.saveReceived(8, message, conversation);
    expect(await repository.messages()).toHaveLength(1);
    expect(await repository.lastSeq()).toBe(8);
  });

  it('stores what this tab itself does, leader or not', async () => {
    const repository = new LeaderRepository(new MemoryStore(), () => false);
    await repository.saveMessage(message, conversation);
    expect(await repository.messages()).toHaveLength(1);
  });
});
