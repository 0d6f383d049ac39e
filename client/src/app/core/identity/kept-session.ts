import { put, type Store } from '../storage/store';
import { newDeviceKey, openSeed, type SealedSeed, sealSeed } from './sealed-seed';

/** How long "keep me unlocked" lasts after the last use. */
export const KEPT_DAYS = 30;
const KEPT_MS = KEPT_DAYS * 24 * 60 * 60 * 1000;
const KEY = 'kept';

/** What IndexedDB keeps for "keep me unlocked": the seed sealed under a non-extractable key kept beside it. */
interface KeptRecord extends SealedSeed {
  readonly primary: string;
  readonly key: CryptoKey;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

/**
 * "Keep me unlocked on this device": the seed encrypted under a non-extractable
 * AES-GCM CryptoKey, both in the `account` bucket, so the identity opens at each start
 * without the passphrase. It ends 30 days after its last use (each restore extends it),
 * at lock, and with "forget this device". The passphrase-wrapped seed stays the fallback.
 */
export class KeptSession {
  constructor(
    private readonly store: Store,
    /** Milliseconds since the epoch; the browser's clock by default. */
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Keeps `seed` (the unlocked identity's, with its `primary`) for the next 30 days. */
  async keep(seed: Uint8Array, primary: string): Promise<void> {
    const key = await newDeviceKey();
    const sealed = await sealSeed(seed, key, primary);
    await put(this.store, 'account', KEY, { ...sealed, primary, key, expiresAt: this.now() + KEPT_MS } satisfies KeptRecord);
  }

  /** True while a kept session exists and has not expired. */
  async active(): Promise<boolean> {
    const record = await this.store.get<KeptRecord>('account', KEY);
    return record !== undefined && record.expiresAt > this.now();
  }

  /**
   * The kept seed of `primary`, with the expiry moved 30 days past now; null when there
   * is none, it expired (then it is erased), or it cannot be opened (erased too).
   * The caller wipes the seed after use.
   */
  async restore(primary: string): Promise<Uint8Array | null> {
    const record = await this.store.get<KeptRecord>('account', KEY);
    if (record === undefined) {
      return null;
    }
    if (record.expiresAt <= this.now() || record.primary !== primary) {
      await this.end();
      return null;
    }
    let seed: Uint8Array;
    try {
      seed = await openSeed(record, record.key, primary);
    } catch {
      await this.end();
      return null;
    }
    await put(this.store, 'account', KEY, { ...record, expiresAt: this.now() + KEPT_MS } satisfies KeptRecord);
    return seed;
  }

  /** A use while already open (the app back on screen): moves a live session's expiry 30 days past now. */
  async touch(primary: string): Promise<void> {
    const record = await this.store.get<KeptRecord>('account', KEY);
    if (record !== undefined && record.primary === primary && record.expiresAt > this.now()) {
      await put(this.store, 'account', KEY, { ...record, expiresAt: this.now() + KEPT_MS } satisfies KeptRecord);
    }
  }

  /** Ends it: the next start asks for the passphrase (or a passkey). */
  end(): Promise<void> {
    return put(this.store, 'account', KEY, undefined);
  }
}
