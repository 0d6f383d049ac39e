import { authString, deriveIdentity, generateSeed, signAuth } from '@kez/crypto';

import { ApiError } from '../common/errors/api-error';
import type { HandleStore } from '../registry/handle-store';
import { KezAuth } from './kez-auth.service';

// The real store pulls in @nestjs/typeorm, which Jest's CommonJS cannot load; this spec passes its own.
jest.mock('../registry/handle-store', () => ({ HandleStore: class {} }));

const NOW = 1_764_000_000;
const alice = deriveIdentity(generateSeed());
const mallory = deriveIdentity(generateSeed());
const pollRow = (since?: string) => (handle: string) => (ts: number) => authString.pollInbox(handle, since, ts);
const sign = (identity = alice, ts = NOW, since?: string) => signAuth((t) => authString.pollInbox('alice', since, t), identity.edSecret, ts);

describe(KezAuth.name, () => {
  const lookups: string[] = [];
  const handles = {
    findByHandle: (handle: string) => {
      lookups.push(handle);
      return Promise.resolve(handle === 'alice' ? { handle, identityKey: alice.primary } : null);
    },
  } as unknown as HandleStore;
  const auth = new KezAuth(handles);
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).code;
  };

  beforeEach(() => lookups.splice(0));

  it('answers the canonical handle and its primary for a fresh signature by that primary', async () => {
    await expect(auth.authorize(' Alice ', sign(), pollRow(), NOW)).resolves.toEqual({ handle: 'alice', primary: alice.primary });
    await expect(auth.authorize('alice', sign(alice, NOW - 60), pollRow(), NOW)).resolves.toMatchObject({ handle: 'alice' });
  });

  it('refuses missing or malformed values with unauthorized, without asking the database', async () => {
    for (const value of [undefined, '', 'nope', `${NOW}:${'0'.repeat(127)}`]) {
      expect(await failure(auth.authorize('alice', value, pollRow(), NOW))).toBe('unauthorized');
    }
    expect(lookups).toEqual([]);
  });

  it('refuses a timestamp more than 60 s away with stale_timestamp, without asking the database', async () => {
    expect(await failure(auth.authorize('alice', sign(alice, NOW - 61), pollRow(), NOW))).toBe('stale_timestamp');
    expect(await failure(auth.authorize('alice', sign(alice, NOW + 61), pollRow(), NOW))).toBe('stale_timestamp');
    expect(lookups).toEqual([]);
  });

  it('refuses another signer, another row or another since with bad_signature', async () => {
    expect(await failure(auth.authorize('alice', sign(mallory), pollRow(), NOW))).toBe('bad_signature');
    expect(await failure(auth.authorize('alice', sign(alice, NOW, '0'), pollRow('5'), NOW))).toBe('bad_signature');
    const streamRow = (handle: string) => (ts: number) => authString.openStream(handle, undefined, ts);
    expect(await failure(auth.authorize('alice', sign(), streamRow, NOW))).toBe('bad_signature');
  });

  it('is not_found for an unknown or reserved handle and invalid_handle for a malformed one', async () => {
    expect(await failure(auth.authorize('bob', sign(), pollRow(), NOW))).toBe('not_found');
    expect(await failure(auth.authorize('admin', sign(), pollRow(), NOW))).toBe('not_found');
    expect(await failure(auth.authorize('a/b', sign(), pollRow(), NOW))).toBe('invalid_handle');
  });
});
