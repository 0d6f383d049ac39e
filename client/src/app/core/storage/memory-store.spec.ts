import { MemoryStore } from './memory-store';
import { put } from './store';

// The Store contract, on the in-memory implementation. The IndexedDB one is held to
// the same behaviour by the browser tests (e2e/), which reload real pages.

describe(MemoryStore.name, () => {
  let store: MemoryStore;

  beforeEach(() => {
    store = new MemoryStore();
  });

  it('gets what was put, per bucket', async () => {
    await put(store, 'meta', 'lastSeq', 7);
    expect(await store.get('meta', 'lastSeq')).toBe(7);
    expect(await store.get('conversations', 'lastSeq')).toBeUndefined();
  });

  it('lists keys with their values in key order', async () => {
    await store.write([
      { bucket: 'messages', key: 'b', value: { n: 2 } },
      { bucket: 'messages', key: 'a', value: { n: 1 } },
    ]);
    expect(await store.entries('messages')).toEqual([
      ['a', { n: 1 }],
      ['b', { n: 2 }],
    ]);
    expect(await store.entries('meta')).toEqual([]);
  });

  it('lists by prefix in key order', async () => {
    await store.write([
      { bucket: 'messages', key: 'b\u00002', value: 'b2' },
      { bucket: 'messages', key: 'a\u00002', value: 'a2' },
      { bucket: 'messages', key: 'a\u00001', value: 'a1' },
      { bucket: 'messages', key: 'ab', value: 'ab' },
    ]);
    expect(await store.list('messages', 'a\u0000')).toEqual(['a1', 'a2']);
    expect(await store.list('messages')).toEqual(['a1', 'a2', 'ab', 'b2']);
  });

  it('deletes a key written as undefined', async () => {
    await put(store, 'meta', 'k', 1);
    await store.write([{ bucket: 'meta', key: 'k', value: undefined }]);
    expect(await store.get('meta', 'k')).toBeUndefined();
  });

  it('applies a batch completely or not at all', async () => {
    await put(store, 'meta', 'kept', 1);
    const batch = store.write([
      { bucket: 'meta', key: 'kept', value: 2 },
      { bucket: 'meta', key: 'bad', value: () => 'functions cannot be stored' },
    ]);
    await expect(batch).rejects.toThrow();
    expect(await store.get('meta', 'kept')).toBe(1);
    expect(await store.get('meta', 'bad')).toBeUndefined();
  });

  it('stores copies, so later changes to an object do not leak in', async () => {
    const value = { n: 1 };
    await put(store, 'conversations', 'x', value);
    value.n = 2;
    const read = await store.get<{ n: number }>('conversations', 'x');
    expect(read).toEqual({ n: 1 });
    read!.n = 3;
    expect(await store.get('conversations', 'x')).toEqual({ n: 1 });
  });

  it('clears every bucket', async () => {
    await store.write([
      { bucket: 'account', key: 'current', value: 1 },
      { bucket: 'messages', key: 'm', value: 2 },
    ]);
    await store.clear();
    expect(await store.get('account', 'current')).toBeUndefined();
    expect(await store.list('messages')).toEqual([]);
  });
});
