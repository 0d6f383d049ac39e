import { type Identity, newVisualSecret } from '@kez/crypto';

import { put, type Store } from '../storage/store';
import { browserTimers, type Timers } from '../transport/timers';
import { type KeptPicture, needsPreparing, type OwnPicture, type PictureFields, pictureFields } from './picture-profile';
import { type PreparedPicture } from './prepare-picture';

// The user's own picture and who gets its key. Contacts (contacts.ts) get a wrap at
// the next publish, which is batched: many new contacts in a burst cause one kind 0,
// PUBLISH_DELAY_MS after the first change. Removing a contact rotates the picture key
// and salt, so the removed person's old wrap opens nothing that is published later.
//
// Several tabs of one browser share the stored state: each change re-reads it first,
// so a tab that missed another's change (a removal, a new key) cannot write back or
// publish what it held before; the batched publish runs in the leading tab only.

const OWN_KEY = 'faces.own';
const CIRCLE_KEY = 'faces.circle';
/** Wait before publishing after a change, so a burst of changes is one kind 0. */
export const PUBLISH_DELAY_MS = 3_000;

interface Circle {
  /** Primaries the published kind 0 holds a wrap for (the owner aside). */
  readonly wrapped: readonly string[];
  /** Removed by the user: never wrapped again until added back. */
  readonly removed: readonly string[];
  /** A change is not on the relays yet. */
  readonly dirty: boolean;
}

const EMPTY_CIRCLE: Circle = { wrapped: [], removed: [], dirty: false };

/** What a publish reports back, in the words the screen shows. */
export interface FacePublishResult {
  readonly ok: boolean;
  readonly message: string;
}

/** Sends the picture fields in a kind 0 (ProfilePublisher.publish). */
export type PublishPictureFields = (fields: PictureFields | undefined) => Promise<FacePublishResult>;

/** Prepares picture bytes (PNG or JPEG) again (prepare-picture.ts compactPicture; a canvas in the browser). */
export type PreparePictureAgain = (bytes: Uint8Array) => Promise<PreparedPicture>;

/** A picture as an earlier version kept it: the 256×256 PNG, published whole. */
interface EarlierPicture {
  readonly png: Uint8Array;
  readonly scrambled: boolean;
  readonly key: Uint8Array;
  readonly salt: Uint8Array;
}

export class OwnFace {
  private own: OwnPicture | undefined;
  private circle: Circle = EMPTY_CIRCLE;
  private timer: unknown;
  private readonly listeners = new Set<() => void>();
  private readonly storedListeners = new Set<() => void>();
  /** The last publish's outcome; undefined before the first. */
  lastResult: FacePublishResult | undefined;

  constructor(
    private readonly store: Store,
    private readonly identity: Identity,
    private readonly publishFields: PublishPictureFields,
    private readonly prepareAgain: PreparePictureAgain,
    private readonly timers: Timers = browserTimers,
    /** Whether this tab runs the batched publishes (the leading tab; default: always). */
    private readonly leads: () => boolean = () => true,
  ) {}

  /**
   * Reads what this device keeps; publishes when a change never reached the relays.
   * A picture kept by an earlier version (a PNG published whole, too large for
   * common relays) is prepared again and republished under the same key.
   */
  async load(): Promise<void> {
    const kept = await this.store.get<OwnPicture | EarlierPicture>('private', OWN_KEY);
    this.circle = (await this.store.get<Circle>('private', CIRCLE_KEY)) ?? EMPTY_CIRCLE;
    if (kept !== undefined && 'png' in kept) {
      const { png, ...rest } = kept;
      // Left as it is when it cannot be prepared here (no canvas): tried again at the next start.
      const prepared = await this.prepared({ ...rest, exact: png }).catch(() => undefined);
      if (prepared !== undefined) {
        await this.keepOwn(prepared);
        await this.saveCircle({ ...this.circle, dirty: true });
      }
    } else {
      this.own = kept;
    }
    if (this.circle.dirty) {
      this.schedule();
    }
    this.emit();
  }

  /** Reads the stored state again (another tab changed it) and tells the screens. */
  async reload(): Promise<void> {
    await this.refresh();
    this.emit();
  }

  /** Called after this instance stored a change (for the other tabs, which then `reload`). */
  onStored(listener: () => void): () => void {
    this.storedListeners.add(listener);
    return () => this.storedListeners.delete(listener);
  }

  get picture(): OwnPicture | undefined {
    return this.own;
  }

  /** Primaries that get (or will get at the next publish) a wrap. */
  get contacts(): readonly string[] {
    return this.circle.wrapped;
  }

  get removed(): readonly string[] {
    return this.circle.removed;
  }

  /** Called after any change of state, for screens. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A new picture (prepare-picture.ts) with a fresh key and salt; scrambled unless
   * the user turned scrambling off before. Published at once.
   */
  async setPicture(picture: PreparedPicture): Promise<FacePublishResult> {
    await this.refresh();
    const { key, salt } = newVisualSecret();
    await this.keepOwn({ exact: picture.exact, small: picture.small, scrambled: this.own?.scrambled ?? true, key, salt });
    return this.publishNow();
  }

  /**
   * Adopts a picture published from another device of the same user (read from its
   * wraps); one that lacks the small picture, or an earlier version's, is prepared
   * again first (its next publish is in the compact form).
   */
  async adopt(kept: KeptPicture): Promise<void> {
    await this.refresh();
    if (this.own !== undefined) {
      return;
    }
    const own = await this.prepared(kept);
    if (this.own === undefined) {
      await this.keepOwn(own);
    }
  }

  /** `kept` with a small picture and a JPEG exact copy (prepared again when it lacks them), same key and salt. */
  private async prepared(kept: KeptPicture): Promise<OwnPicture> {
    if (kept.small !== undefined && !needsPreparing(kept)) {
      return { ...kept, small: kept.small };
    }
    const { exact, small } = await this.prepareAgain(kept.exact);
    return { ...kept, exact, small };
  }

  /** Publishes the picture scrambled (true) or plain (false). */
  async setScrambled(scrambled: boolean): Promise<FacePublishResult | undefined> {
    await this.refresh();
    if (this.own === undefined || this.own.scrambled === scrambled) {
      return undefined;
    }
    await this.keepOwn({ ...this.own, scrambled, ...newVisualSecret() });
    return this.publishNow();
  }

  /** Removes the picture: the next kind 0 has none. */
  async clearPicture(): Promise<FacePublishResult> {
    await this.refresh();
    await this.keepOwn(undefined);
    return this.publishNow();
  }

  /**
   * The current contacts (contacts.ts); the ones without a wrap yet are added and a
   * publish is scheduled. Contacts are never dropped here: only removeContact drops one.
   */
  async addContacts(current: readonly string[]): Promise<void> {
    await this.refresh();
    const fresh = current.filter(
      (primary) => primary !== this.identity.primary && !this.circle.wrapped.includes(primary) && !this.circle.removed.includes(primary),
    );
    if (fresh.length === 0) {
      return;
    }
    await this.saveCircle({ ...this.circle, wrapped: [...this.circle.wrapped, ...fresh], dirty: true });
    this.schedule();
  }

  /** Takes `primary` out of the circle and rotates the picture key; publishes at once. */
  async removeContact(primary: string): Promise<FacePublishResult> {
    await this.refresh();
    // The new key first: should the circle then fail to store, the person still has a
    // wrap for it and the screen says the removal failed; the reverse order could leave
    // them out of the circle yet holding the key still in use.
    if (this.own !== undefined) {
      await this.keepOwn({ ...this.own, ...newVisualSecret() });
    }
    await this.saveCircle({
      wrapped: this.circle.wrapped.filter((entry) => entry !== primary),
      removed: [...new Set([...this.circle.removed, primary])],
      dirty: true,
    });
    return this.publishNow();
  }

  /**
   * Lets a removed contact back in: they are a contact again at once (the screen lists
   * them), and their wrap goes out with the next batched publish.
   */
  async restoreContact(primary: string): Promise<void> {
    await this.refresh();
    if (!this.circle.removed.includes(primary)) {
      return;
    }
    await this.saveCircle({
      wrapped: [...new Set([...this.circle.wrapped, primary])],
      removed: this.circle.removed.filter((entry) => entry !== primary),
      dirty: true,
    });
    this.schedule();
  }

  /**
   * The picture fields of the user's kind 0 as they stand (fresh wraps each call).
   * Anything else that publishes the user's kind 0 merges these in, or it would
   * replace the picture with none.
   */
  fields(): PictureFields | undefined {
    return this.own === undefined ? undefined : pictureFields(this.identity, this.own, this.circle.wrapped);
  }

  /** Publishes the kind 0 now, as stored (cancelling a scheduled publish). */
  async publishNow(): Promise<FacePublishResult> {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.refresh();
    const result = await this.publishFields(this.fields());
    this.lastResult = result;
    if (result.ok) {
      await this.saveCircle({ ...this.circle, dirty: false });
    }
    this.emit();
    return result;
  }

  /** Stops a scheduled publish (the app locks); the change stays marked for next time. */
  stop(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** A batched publish, in the leading tab (a tab that leads later publishes what is left when its relays start). */
  private schedule(): void {
    if (this.timer === undefined && this.own !== undefined && this.leads()) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        void this.publishNow();
      }, PUBLISH_DELAY_MS);
    }
  }

  /**
   * Keeps the picture on the device and shows it at once: screens must not wait for
   * the relays (a publish can take seconds, or fail).
   */
  private async keepOwn(own: OwnPicture | undefined): Promise<void> {
    await put(this.store, 'private', OWN_KEY, own);
    this.own = own;
    this.stored();
  }

  /** Stored first, then held: a refused write leaves the state as it was (a publish never sends a change that was not kept). */
  private async saveCircle(circle: Circle): Promise<void> {
    await put(this.store, 'private', CIRCLE_KEY, circle);
    this.circle = circle;
    this.stored();
  }

  /** The stored state is the truth shared by the tabs: read before each change. */
  private async refresh(): Promise<void> {
    const kept = await this.store.get<OwnPicture | EarlierPicture>('private', OWN_KEY);
    // An earlier version's picture is only read by `load`, which prepares it again.
    this.own = kept !== undefined && 'png' in kept ? undefined : kept;
    this.circle = (await this.store.get<Circle>('private', CIRCLE_KEY)) ?? EMPTY_CIRCLE;
  }

  private stored(): void {
    this.emit();
    for (const listener of this.storedListeners) {
      listener();
    }
  }

  private emit(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }
}
