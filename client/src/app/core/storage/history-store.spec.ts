import { generateSeed, hexToBytes, hkdfSha256, utf8 } from '@kez/crypto';

import { ChatRepository } from '../chat/chat-repository';
import type { ChatMessage, Conversation } from '../chat/model';
import { deriveHistoryKeys, isSealedValue, openHistory, SealedHistoryStore, sealedStore, wipeHistory } from './history-store';
import { MemoryStore } from './memory-store';
import { put } from './store';

const PEER = `ed25519:${'d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'}`;
const conversation: Conversation = {
  peer: PEER,
  handle: 'bob',
  server: 'chat.test',
  lastOrder: 2,
  preview: 'the secret plan',
  previewDirection: 'out',
  lastAt: 1_764_000_000,
  unread: 0,
};
const message: ChatMessage = { id: 'm1', peer: PEER, direction: 'out', body: 'the secret plan', sentAt: 1_764_000_000, order: 2, status: 'sent' };

/** Everything the underlying store holds, as text an attacker with the disk could search. */
async function diskText(store: MemoryStore): Promise<string> {
  const buckets = ['account', 'conversations', 'messages', 'meta', 'private'] as const;
  const dump = await Promise.all(buckets.map(async (bucket) => [bucket, await store.entries(bucket)]));
  return JSON.stringify(dump, (_key, value: unknown) => (value instanceof Uint8Array ? String.fromCharCode(...value) : value));
}

describe(SealedHistoryStore.name, () => {
  it('derives its keys from the seed with HKDF-SHA256 and dedicated info strings', () => {
    const seed = hexToBytes('00'.repeat(31) + '01');
    const { dataKey, indexKey } = deriveHistoryKeys(seed);
    expect(dataKey).toEqual(hkdfSha256(seed, new Uint8Array(0), utf8('kez-chat/history-at-rest/v1/data'), 32));
    expect(indexKey).toEqual(hkdfSha256(seed, new Uint8Array(0), utf8('kez-chat/history-at-rest/v1/index'), 32));
    expect(dataKey).not.toEqual(indexKey);
  });

  it('keeps bodies, previews, handles and peer keys off the disk, and reads them back with the seed', async () => {
    const disk = new MemoryStore();
    const seed = generateSeed();
    const repository = new ChatRepository(await openHistory(disk, seed));
    await repository.saveMessage(message, conversation);
    await repository.saveReceived(7);

    const text = await diskText(disk);
    for (const secret of ['the secret plan', 'bob', PEER.slice(8), 'm1']) {
      expect(text).not.toContain(secret);
    }
    expect((await disk.entries('messages')).every(([, value]) => isSealedValue(value))).toBe(true);

    const again = new ChatRepository(await openHistory(disk, seed));
    expect(await again.messages()).toEqual([message]);
    expect(await again.conversations()).toEqual([conversation]);
    expect(await again.lastSeq()).toBe(7);
  });

  it('seals the private bucket too (faces: the keys of peers, the picture key), readable again with the seed', async () => {
    const disk = new MemoryStore();
    const seed = generateSeed();
    await sealedStore(disk, seed).write([{ bucket: 'private', key: `faces.peer.${PEER}`, value: { primary: PEER, name: 'bob' } }]);
    const text = await diskText(disk);
    expect(text).not.toContain(PEER.slice(8));
    expect(text).not.toContain('faces.peer');
    expect((await disk.entries('private')).every(([, value]) => isSealedValue(value))).toBe(true);
    expect(await sealedStore(disk, seed).get('private', `faces.peer.${PEER}`)).toEqual({ primary: PEER, name: 'bob' });
    // Bytes (a picture, its key) come back as bytes.
    await sealedStore(disk, seed).write([
      { bucket: 'private', key: 'faces.own', value: { png: new Uint8Array([137, 80, 78, 71]), key: new Uint8Array(32).fill(7) } },
    ]);
    const own = await sealedStore(disk, seed).get<{ png: Uint8Array; key: Uint8Array }>('private', 'faces.own');
    expect(own?.png).toBeInstanceOf(Uint8Array);
    expect([...own!.png]).toEqual([137, 80, 78, 71]);
    expect(own?.key).toEqual(new Uint8Array(32).fill(7));
    await wipeHistory(disk);
    expect(await disk.entries('private')).toEqual([]);
  });

  it('gets, lists by prefix in key order, and deletes like any Store', async () => {
    const history = await openHistory(new MemoryStore(), generateSeed());
    await history.write([
      { bucket: 'messages', key: 'b\u00001', value: 'b1' },
      { bucket: 'messages', key: 'a\u00002', value: 'a2' },
      { bucket: 'messages', key: 'a\u00001', value: 'a1' },
    ]);
    expect(await history.get('messages', 'a\u00002')).toBe('a2');
    expect(await history.get('messages', 'zz')).toBeUndefined();
    expect(await history.list('messages', 'a\u0000')).toEqual(['a1', 'a2']);
    await history.write([{ bucket: 'messages', key: 'a\u00001', value: undefined }]);
    expect(await history.list('messages')).toEqual(['a2', 'b1']);
  });

  it('shows nothing to another seed, and nothing that was altered or moved to another slot', async () => {
    const disk = new MemoryStore();
    const seed = generateSeed();
    const history = await openHistory(disk, seed);
    await history.write([
      { bucket: 'messages', key: 'one', value: 'first' },
      { bucket: 'messages', key: 'two', value: 'second' },
    ]);
    expect(await (await openHistory(disk, generateSeed())).list('messages')).toEqual([]);

    const [[slotA, valueA], [slotB, valueB]] = (await disk.entries('messages')) as [[string, unknown], [string, unknown]];
    await disk.write([
      { bucket: 'messages', key: slotA, value: valueB },
      { bucket: 'messages', key: slotB, value: valueA },
    ]);
    expect(await new SealedHistoryStore(disk, seed).list('messages')).toEqual([]);
  });

  it('seals what an earlier version stored in clear, and keeps reading it', async () => {
    const disk = new MemoryStore();
    const legacy = new ChatRepository(disk);
    await legacy.saveMessage(message, conversation);
    await legacy.saveReceived(3);
    await put(disk, 'account', 'current', { primary: 'ed25519:me' });

    const seed = generateSeed();
    const history = new SealedHistoryStore(disk, seed);
    expect(await history.sealLegacy()).toBe(2);
    expect(await diskText(disk)).not.toContain('the secret plan');
    const repository = new ChatRepository(history);
    expect(await repository.messages()).toEqual([message]);
    expect(await repository.conversations()).toEqual([conversation]);
    expect(await repository.lastSeq()).toBe(3);
    // The identity record is not history: it stays where the unlock screen reads it.
    expect(await disk.get('account', 'current')).toEqual({ primary: 'ed25519:me' });
    expect(await history.sealLegacy()).toBe(0);
  });

  it('wipes the history and keeps the identity', async () => {
    const disk = new MemoryStore();
    const repository = new ChatRepository(await openHistory(disk, generateSeed()));
    await repository.saveMessage(message, conversation);
    await repository.saveReceived(3);
    await put(disk, 'account', 'current', { primary: 'ed25519:me' });
    await wipeHistory(disk);
    for (const bucket of ['conversations', 'messages', 'meta'] as const) {
      expect(await disk.entries(bucket)).toEqual([]);
    }
    expect(await disk.get('account', 'current')).toEqual({ primary: 'ed25519:me' });
  });
});
