import { base64urlEncode, bytesToHex, deriveIdentity, generateSeed, isSeedWrapError, type ScryptParams, seedToPhrase } from '@kez/crypto';

import { isApiError } from '../api/api-error';
import { MemoryStore } from '../storage/memory-store';
import { FakeHomeServer } from '../testing/fake-home-server';
import { AccountVault } from './account-vault';
import { Session } from './session';

const CHEAP: ScryptParams = { N: 1024, r: 8, p: 1 };
const PASSPHRASE = 'river otter 42';

function setup(store = new MemoryStore(), server = new FakeHomeServer()) {
  const session = new Session(new AccountVault(store), server, { scrypt: CHEAP });
  return { session, store, server };
}

function unlockedIdentity(session: Session) {
  const state = session.state;
  if (state.kind !== 'unlocked') {
    throw new Error(`expected unlocked, got ${state.kind}`);
  }
  return state.identity;
}

describe(Session.name, () => {
  it('starts empty in a fresh browser', async () => {
    const { session } = setup();
    expect(session.state.kind).toBe('loading');
    expect((await session.load()).kind).toBe('none');
  });

  it('creates an identity that is locked after a reload and opens with its passphrase only', async () => {
    const { session, store } = setup();
    await session.load();
    const seed = generateSeed();
    const primary = deriveIdentity(seed).primary;
    await session.create(seed, PASSPHRASE);
    expect(session.state).toMatchObject({ kind: 'unlocked', account: { primary, handle: null } });
    expect(seed.every((byte) => byte === 0)).toBe(true);

    const again = setup(store).session;
    expect(await again.load()).toEqual({ kind: 'locked', account: { primary, handle: null, server: null } });
    const wrong = await again.unlock('river otter 43').catch((error: unknown) => error);
    expect(isSeedWrapError(wrong, 'wrong_passphrase')).toBe(true);
    expect(again.state.kind).toBe('locked');
    await again.unlock(PASSPHRASE);
    expect(unlockedIdentity(again).primary).toBe(primary);
  });

  it('keeps no secret in storage: only the wrapped seed and public profile', async () => {
    const { session, store } = setup();
    await session.load();
    const seed = generateSeed();
    const identity = deriveIdentity(seed);
    await session.create(seed, PASSPHRASE);
    const stored = JSON.stringify(await store.list('account'));
    for (const secret of [identity.seed, identity.xSecret, identity.nostrSecret]) {
      expect(stored).not.toContain(bytesToHex(secret));
      expect(stored).not.toContain(base64urlEncode(secret));
    }
    expect(stored).not.toContain(PASSPHRASE);
  });

  it('wipes the keys from memory on lock', async () => {
    const { session } = setup();
    await session.load();
    await session.create(generateSeed(), PASSPHRASE);
    const identity = unlockedIdentity(session);
    session.lock();
    expect(session.state.kind).toBe('locked');
    expect(identity.seed.every((byte) => byte === 0)).toBe(true);
    expect(identity.xSecret.every((byte) => byte === 0)).toBe(true);
  });

  it('registers a handle and keeps it with the profile', async () => {
    const { session, store, server } = setup();
    await session.load();
    await session.create(generateSeed(), PASSPHRASE);
    expect(await session.register('alice', 'chat.test')).toBe('alice');
    expect(session.state).toMatchObject({ kind: 'unlocked', account: { handle: 'alice', server: 'chat.test' } });
    expect(server.records.get('alice')?.primary).toBe(unlockedIdentity(session).primary);
    expect(await setup(store).session.load()).toMatchObject({ account: { handle: 'alice', server: 'chat.test' } });
  });

  it('passes registration errors on, and adopts the handle the key already has', async () => {
    const { session, server } = setup();
    await session.load();
    await session.create(generateSeed(), PASSPHRASE);
    server.add('bob', 'ed25519:' + '1'.repeat(64));
    const taken = await session.register('bob', 'chat.test').catch((error: unknown) => error);
    expect(isApiError(taken, 'handle_taken')).toBe(true);
    server.add('alice', unlockedIdentity(session).primary);
    expect(await session.register('alice2', 'chat.test')).toBe('alice');
  });

  it('restores from the phrase, finding the handle the server knows for that key', async () => {
    const { session, server } = setup();
    await session.load();
    const seed = generateSeed();
    const phrase = seedToPhrase(seed);
    const primary = deriveIdentity(seed).primary;
    server.add('alice', primary);
    await session.restore(`  ${phrase.toUpperCase()} `, PASSPHRASE, 'chat.test');
    expect(session.state).toMatchObject({ kind: 'unlocked', account: { primary, handle: 'alice', server: 'chat.test' } });
  });

  it('restores without a handle when the server cannot be asked', async () => {
    const { session, server } = setup();
    await session.load();
    server.failWith = 'network';
    await session.restore(seedToPhrase(generateSeed()), PASSPHRASE, 'chat.test');
    expect(session.state).toMatchObject({ kind: 'unlocked', account: { handle: null } });
  });

  it('refuses a phrase that is not one', async () => {
    const { session } = setup();
    await session.load();
    await expect(session.restore('correct horse battery staple', PASSPHRASE, 'chat.test')).rejects.toMatchObject({
      code: 'invalid_phrase',
    });
    expect(session.state.kind).toBe('none');
  });

  it('erases the data of the previous identity when another one takes its place', async () => {
    const { session, store } = setup();
    await session.load();
    await session.create(generateSeed(), PASSPHRASE);
    await store.write([{ bucket: 'messages', key: 'x', value: 'old history' }]);
    await session.create(generateSeed(), PASSPHRASE);
    expect(await store.list('messages')).toEqual([]);
  });

  it('keeps the history when the same identity is restored again', async () => {
    const { session, store } = setup();
    await session.load();
    const seed = generateSeed();
    const phrase = seedToPhrase(seed);
    await session.create(seed, PASSPHRASE);
    await store.write([{ bucket: 'messages', key: 'x', value: 'history' }]);
    await session.restore(phrase, 'a new passphrase', 'chat.test');
    expect(await store.list('messages')).toEqual(['history']);
  });

  it('forgets everything on request', async () => {
    const { session, store } = setup();
    await session.load();
    await session.create(generateSeed(), PASSPHRASE);
    await session.forget();
    expect(session.state.kind).toBe('none');
    expect(await store.list('account')).toEqual([]);
  });

  it('tells its listeners about each change', async () => {
    const { session } = setup();
    const kinds: string[] = [];
    const unsubscribe = session.subscribe((state) => kinds.push(state.kind));
    await session.load();
    await session.create(generateSeed(), PASSPHRASE);
    session.lock();
    unsubscribe();
    await session.unlock(PASSPHRASE);
    expect(kinds).toEqual(['none', 'unlocked', 'locked']);
  });

  it('reveals the recovery phrase only to the passphrase, and only while unlocked', async () => {
    const { session } = setup();
    await session.load();
    const seed = generateSeed();
    const phrase = seedToPhrase(seed);
    await session.create(seed, PASSPHRASE);
    const wrong = await session.revealPhrase('not it').catch((error: unknown) => error);
    expect(isSeedWrapError(wrong, 'wrong_passphrase')).toBe(true);
    expect(await session.revealPhrase(PASSPHRASE)).toBe(phrase);
    session.lock();
    await expect(session.revealPhrase(PASSPHRASE)).rejects.toThrow('locked');
  });
});
