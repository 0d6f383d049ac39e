import { bytesToHex, deriveIdentity, generateSeed } from '@kez/crypto';

import { MemoryStore } from '../storage/memory-store';
import { KEPT_DAYS, KeptSession } from './kept-session';

const DAY = 24 * 60 * 60 * 1000;

describe('KeptSession', () => {
  let store: MemoryStore;
  let now: number;
  let kept: KeptSession;
  const seed = generateSeed();
  const { primary } = deriveIdentity(seed);

  beforeEach(() => {
    store = new MemoryStore();
    now = Date.UTC(2026, 0, 1);
    kept = new KeptSession(store, () => now);
  });

  it('gives the seed back at the next start, with no passphrase', async () => {
    await kept.keep(seed, primary);
    expect(await new KeptSession(store, () => now).restore(primary)).toEqual(seed);
  });

  it('stores no readable secret: the seed only sealed, the key non-extractable', async () => {
    await kept.keep(seed, primary);
    const record = await store.get<{ key: CryptoKey; ciphertext: Uint8Array }>('account', 'kept');
    expect(record!.key.extractable).toBe(false);
    expect(bytesToHex(record!.ciphertext)).not.toContain(bytesToHex(seed));
    await expect(crypto.subtle.exportKey('raw', record!.key)).rejects.toThrow();
  });

  it('lasts 30 days from the last use, each use extending it', async () => {
    expect(KEPT_DAYS).toBe(30);
    await kept.keep(seed, primary);
    now += 29 * DAY;
    expect(await kept.restore(primary)).toEqual(seed);
    now += 29 * DAY;
    expect(await kept.restore(primary)).toEqual(seed);
    now += 30 * DAY + 1;
    expect(await kept.restore(primary)).toBeNull();
    // Expired means erased, not merely refused.
    expect(await store.get('account', 'kept')).toBeUndefined();
  });

  it('is extended by use while open, but never brought back once expired', async () => {
    await kept.keep(seed, primary);
    now += 29 * DAY;
    await kept.touch(primary);
    now += 29 * DAY;
    expect(await kept.active()).toBe(true);
    now += 2 * DAY;
    await kept.touch(primary);
    expect(await kept.active()).toBe(false);
  });

  it('ends at lock', async () => {
    await kept.keep(seed, primary);
    await kept.end();
    expect(await kept.active()).toBe(false);
    expect(await kept.restore(primary)).toBeNull();
  });

  it('opens only for the identity it was kept for', async () => {
    await kept.keep(seed, primary);
    expect(await kept.restore(deriveIdentity(generateSeed()).primary)).toBeNull();
  });

  it('erases a record that does not open (tampered bytes)', async () => {
    await kept.keep(seed, primary);
    const record = await store.get<{ ciphertext: Uint8Array }>('account', 'kept');
    record!.ciphertext[0]! ^= 1;
    await store.write([{ bucket: 'account', key: 'kept', value: record }]);
    expect(await kept.restore(primary)).toBeNull();
    expect(await kept.active()).toBe(false);
  });
});
