import { deriveIdentity, generateSeed } from '@kez/crypto';

import { MemoryStore } from '../storage/memory-store';
import { type Credentials, PASSKEY_TIMEOUT_MS, PasskeyError, PasskeyVault } from './passkey';

// A software authenticator behind the Credentials interface: PRF as hmac-secret
// (HMAC-SHA-256 of the salt under a per-credential secret), user handles echoed back.

class FakeCredential {
  constructor(
    readonly rawId: ArrayBuffer,
    readonly response: { userHandle: ArrayBuffer | null },
    private readonly extensions: object,
  ) {}
  getClientExtensionResults(): object {
    return this.extensions;
  }
}

class FakeAuthenticator implements Credentials {
  prf = true;
  failWith: string | null = null;
  dropPrf = false;
  userHandle: Uint8Array | null = null;
  /** The `timeout` of every request, in order. */
  readonly timeouts: (number | undefined)[] = [];
  private readonly secret = new Uint8Array(32).fill(7);

  async create(options: CredentialCreationOptions): Promise<Credential | null> {
    this.check();
    this.timeouts.push(options.publicKey!.timeout);
    this.userHandle = new Uint8Array(options.publicKey!.user.id as Uint8Array);
    return new FakeCredential(new Uint8Array([1, 2, 3]).buffer, { userHandle: null }, { prf: { enabled: this.prf } }) as unknown as Credential;
  }

  async get(options: CredentialRequestOptions): Promise<Credential | null> {
    this.check();
    this.timeouts.push(options.publicKey!.timeout);
    const salt = (options.publicKey!.extensions as { prf?: { eval: { first: Uint8Array } } } | undefined)?.prf?.eval.first;
    const results = salt && this.prf && !this.dropPrf ? { results: { first: await this.hmac(salt) } } : {};
    return new FakeCredential(new Uint8Array([1, 2, 3]).buffer, { userHandle: this.userHandle!.slice().buffer }, { prf: results }) as unknown as Credential;
  }

  private async hmac(salt: Uint8Array): Promise<Uint8Array> {
    const key = await crypto.subtle.importKey('raw', this.secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, salt as BufferSource));
  }

  private check(): void {
    if (this.failWith) {
      throw new DOMException('refused', this.failWith);
    }
  }
}

describe('PasskeyVault', () => {
  const seed = generateSeed();
  const identity = deriveIdentity(seed);
  const owner = { seed, edPublic: identity.edPublic, primary: identity.primary, label: 'lea@chat.test' };
  let store: MemoryStore;
  let authenticator: FakeAuthenticator;
  let vault: PasskeyVault;

  beforeAll(() => {
    (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential = FakeCredential;
  });

  afterAll(() => {
    delete (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential;
  });

  beforeEach(() => {
    store = new MemoryStore();
    authenticator = new FakeAuthenticator();
    vault = new PasskeyVault(store, authenticator);
  });

  it('uses the raw 32-byte public key as user.id', async () => {
    await vault.register(owner);
    expect(authenticator.userHandle).toEqual(identity.edPublic);
  });

  it('with PRF, stores no key and opens the seed with the passkey only', async () => {
    expect(await vault.register(owner)).toBe('prf');
    expect(await store.get<object>('account', 'passkey')).not.toHaveProperty('key');
    expect(await vault.unlock(identity.primary, identity.edPublic)).toEqual(seed);
  });

  it('without PRF, gates a stored key behind the assertion', async () => {
    authenticator.prf = false;
    expect(await vault.register(owner)).toBe('gate');
    expect(await vault.unlock(identity.primary, identity.edPublic)).toEqual(seed);
  });

  it('names each failure', async () => {
    await vault.register(owner);
    authenticator.failWith = 'NotAllowedError';
    await expect(vault.unlock(identity.primary, identity.edPublic)).rejects.toMatchObject({ code: 'cancelled' });
    authenticator.failWith = 'NotSupportedError';
    await expect(vault.register(owner)).rejects.toMatchObject({ code: 'no_authenticator' });
    authenticator.failWith = null;
    authenticator.dropPrf = true;
    await expect(vault.unlock(identity.primary, identity.edPublic)).rejects.toMatchObject({ code: 'prf_missing' });
    authenticator.dropPrf = false;
    const other = deriveIdentity(generateSeed());
    await expect(vault.unlock(identity.primary, other.edPublic)).rejects.toMatchObject({ code: 'wrong_passkey' });
    await expect(vault.unlock(other.primary, other.edPublic)).rejects.toMatchObject({ code: 'none' });
    await expect(new PasskeyVault(store, undefined).unlock(identity.primary, identity.edPublic)).rejects.toBeInstanceOf(PasskeyError);
  });

  it('bounds every prompt, so a browser with no authenticator at hand ends with a message', async () => {
    await vault.register(owner);
    await vault.unlock(identity.primary, identity.edPublic);
    expect(authenticator.timeouts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(authenticator.timeouts)).toEqual(new Set([PASSKEY_TIMEOUT_MS]));
  });

  it('forgets the passkey on remove', async () => {
    await vault.register(owner);
    await vault.remove();
    expect(await vault.mode(identity.primary)).toBeNull();
  });
});
