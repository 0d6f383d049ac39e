import type { HandleRecord } from '@kez/protocol';

import {
  buildRegisterRequest,
  deriveIdentity,
  type Identity,
  nowSeconds,
  phraseToSeed,
  type ScryptParams,
  SeedWrapError,
  seedToPhrase,
  unwrapSeed,
  wrapSeed,
  type WrappedSeed,
} from '@kez/crypto';

import { isApiError } from '../api/api-error';
import type { HomeServer } from '../api/home-server';
import type { AccountProfile, AccountRecord, AccountVault } from './account-vault';

/**
 * - `loading`: the vault has not been read yet.
 * - `none`: this browser holds no identity.
 * - `locked`: it holds one, encrypted; the passphrase opens it.
 * - `unlocked`: its keys are in memory (and only there) until `lock()`.
 */
export type SessionState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'none' }
  | { readonly kind: 'locked'; readonly account: AccountProfile }
  | { readonly kind: 'unlocked'; readonly account: AccountProfile; readonly identity: Identity };

export interface SessionOptions {
  /** scrypt cost for new wraps; the default is tuned for browsers, tests pass a cheap one. */
  readonly scrypt?: ScryptParams;
  readonly onProgress?: (fraction: number) => void;
}

/** Best effort: overwrite the secrets of an identity that is being dropped. */
function wipe(identity: Identity): void {
  for (const secret of [identity.seed, identity.edSecret, identity.xSecret, identity.nostrSecret]) {
    secret.fill(0);
  }
}

/**
 * The identity's life in this browser: create or restore, protect with a passphrase,
 * unlock, lock, register a handle. Framework-free; the Angular `Account` service
 * mirrors `state` into a signal.
 */
export class Session {
  private current: SessionState = { kind: 'loading' };
  private record: AccountRecord | undefined;
  private readonly listeners = new Set<(state: SessionState) => void>();

  constructor(
    private readonly vault: AccountVault,
    private readonly api: HomeServer,
    private readonly options: SessionOptions = {},
  ) {}

  get state(): SessionState {
    return this.current;
  }

  subscribe(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async load(): Promise<SessionState> {
    this.record = await this.vault.load();
    this.set(this.record ? { kind: 'locked', account: this.profile(this.record) } : { kind: 'none' });
    return this.current;
  }

  /** Keeps a new seed under `passphrase`. Replaces (and erases the data of) any other identity. */
  async create(seed: Uint8Array, passphrase: string): Promise<void> {
    const identity = deriveIdentity(seed);
    seed.fill(0);
    await this.adopt(identity, passphrase, null);
  }

  /**
   * The identity of a recovery phrase, kept under `passphrase`. When the home server
   * already knows its primary, its handle comes back with it. Throws CryptoError
   * `invalid_phrase` for a phrase that is not one.
   */
  async restore(phrase: string, passphrase: string, server: string): Promise<void> {
    const seed = phraseToSeed(phrase);
    const identity = deriveIdentity(seed);
    seed.fill(0);
    let found: HandleRecord | null = null;
    try {
      found = await this.api.byPrimary(identity.primary);
    } catch {
      // Offline or server trouble: the handle is found again at registration (primary_taken).
    }
    await this.adopt(identity, passphrase, found !== null && found.server === server ? found : null);
  }

  /** Throws SeedWrapError `wrong_passphrase` (or `tampered`) when it does not open. */
  async unlock(passphrase: string): Promise<void> {
    const seed = await unwrapSeed(this.requireRecord().wrapped, passphrase, { onProgress: this.options.onProgress });
    this.unlockWithSeed(seed);
  }

  /**
   * Unlocks with the stored identity's seed, however it was recovered: the passphrase,
   * a kept session, a passkey. Every unlock path ends here. Wipes `seed`. Throws
   * SeedWrapError `tampered` when the seed is not the stored identity's.
   */
  unlockWithSeed(seed: Uint8Array): void {
    const record = this.requireRecord();
    const identity = deriveIdentity(seed);
    seed.fill(0);
    if (identity.primary !== record.primary) {
      wipe(identity);
      throw new SeedWrapError('tampered', 'the stored identity does not match its profile');
    }
    this.set({ kind: 'unlocked', account: this.profile(record), identity });
  }

  /**
   * The recovery phrase (24 words, space-separated) of the unlocked identity, for a person
   * who has just typed the passphrase again. Throws SeedWrapError `wrong_passphrase`.
   */
  async revealPhrase(passphrase: string): Promise<string> {
    this.requireIdentity();
    const seed = await unwrapSeed(this.requireRecord().wrapped, passphrase, { onProgress: this.options.onProgress });
    try {
      return seedToPhrase(seed);
    } finally {
      seed.fill(0);
    }
  }

  lock(): void {
    if (this.current.kind === 'unlocked') {
      wipe(this.current.identity);
    }
    this.set(this.record ? { kind: 'locked', account: this.profile(this.record) } : { kind: 'none' });
  }

  /**
   * Registers `handle` on `server` for the unlocked identity. When the server says this
   * key already has a handle, that handle is looked up and adopted instead. Resolves
   * with the handle now in use; rejects with the ApiError otherwise.
   */
  async register(handle: string, server: string): Promise<string> {
    const identity = this.requireIdentity();
    const request = buildRegisterRequest(identity, handle, server, nowSeconds());
    let record: HandleRecord;
    try {
      record = await this.api.register(request);
    } catch (error) {
      const existing = isApiError(error, 'primary_taken') ? await this.api.byPrimary(identity.primary) : null;
      if (existing === null) {
        throw error;
      }
      record = existing;
    }
    await this.saveProfile({ handle: record.handle, server: record.server });
    return record.handle;
  }

  /** Erases the identity and all its data from this browser. */
  async forget(): Promise<void> {
    this.lock();
    await this.vault.forgetAll();
    this.record = undefined;
    this.set({ kind: 'none' });
  }

  private async adopt(identity: Identity, passphrase: string, found: HandleRecord | null): Promise<void> {
    let wrapped: WrappedSeed;
    try {
      wrapped = await wrapSeed(identity.seed, passphrase, this.options.scrypt, { onProgress: this.options.onProgress });
    } catch (error) {
      wipe(identity);
      throw error;
    }
    // Conversations belong to one identity: a different one starts from nothing.
    if (this.record !== undefined && this.record.primary !== identity.primary) {
      await this.vault.forgetAll();
    }
    const record: AccountRecord = {
      primary: identity.primary,
      handle: found?.handle ?? null,
      server: found?.server ?? null,
      wrapped,
    };
    await this.vault.save(record);
    if (this.current.kind === 'unlocked') {
      wipe(this.current.identity);
    }
    this.record = record;
    this.set({ kind: 'unlocked', account: this.profile(record), identity });
  }

  private async saveProfile(change: Pick<AccountProfile, 'handle' | 'server'>): Promise<void> {
    const record = { ...this.requireRecord(), ...change };
    await this.vault.save(record);
    this.record = record;
    if (this.current.kind === 'unlocked') {
      this.set({ ...this.current, account: this.profile(record) });
    }
  }

  private profile({ primary, handle, server }: AccountRecord): AccountProfile {
    return { primary, handle, server };
  }

  private requireRecord(): AccountRecord {
    if (this.record === undefined) {
      throw new Error('no identity in this browser');
    }
    return this.record;
  }

  private requireIdentity(): Identity {
    if (this.current.kind !== 'unlocked') {
      throw new Error('the identity is locked');
    }
    return this.current.identity;
  }

  private set(state: SessionState): void {
    this.current = state;
    for (const listener of this.listeners) {
      listener(state);
    }
  }
}
