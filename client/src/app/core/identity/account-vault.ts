import type { WrappedSeed } from '@kez/crypto';

import { put, type Store } from '../storage/store';

/** Who this browser's identity is, without its secret. */
export interface AccountProfile {
  /** `ed25519:<hex>`: the identity everywhere. */
  readonly primary: string;
  /** Null until a handle is registered (or found) on the home server. */
  readonly handle: string | null;
  readonly server: string | null;
}

/** What IndexedDB keeps: the profile and the seed encrypted under the passphrase. */
export interface AccountRecord extends AccountProfile {
  readonly wrapped: WrappedSeed;
}

const KEY = 'current';

/** The one identity this browser holds, in the `account` bucket. */
export class AccountVault {
  constructor(private readonly store: Store) {}

  load(): Promise<AccountRecord | undefined> {
    return this.store.get<AccountRecord>('account', KEY);
  }

  save(record: AccountRecord): Promise<void> {
    return put(this.store, 'account', KEY, record);
  }

  /** Removes the identity and everything stored with it (conversations, history). */
  forgetAll(): Promise<void> {
    return this.store.clear();
  }
}
