import type { Identity } from '@kez/crypto';
import { readProfile } from '@kez/nostr';
import type { Filter } from 'nostr-tools/filter';
import type { NostrEvent } from 'nostr-tools/pure';

import { put, type Store } from '../storage/store';
import { type SeenPicture, seePicture } from './picture-profile';

// Other people's faces: their kind 0 read from the relays once, kept in the Store
// (IndexedDB) under `private` keys `faces.peer.<primary>` (sealed), and read again when the copy
// is older than REFRESH_AFTER_MS or when their thread opens (refresh: true).

const PREFIX = 'faces.peer.';
/** A cached profile older than this is fetched again. */
export const REFRESH_AFTER_MS = 6 * 60 * 60 * 1000;

/** Someone whose face is wanted: their primary (for the wraps) and nostr addr (the kind 0's author). */
export interface FacePeer {
  readonly primary: string;
  readonly addr: string;
}

export interface CachedFace {
  readonly primary: string;
  readonly addr: string;
  /** When the relays were last asked, ms since the epoch. */
  readonly fetchedAt: number;
  /** `created_at` of the kind 0 it was read from; undefined when none was found. */
  readonly createdAt?: number;
  readonly seen: SeenPicture;
}

export class PeerFaces {
  private readonly inFlight = new Map<string, Promise<CachedFace>>();

  constructor(
    private readonly store: Store,
    private readonly reader: Identity,
    /** Reads the relays; rejects when none can be asked (not the same as an empty answer). */
    private readonly query: (filters: Filter[]) => Promise<NostrEvent[]>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached face, without asking the relays. */
  cached(primary: string): Promise<CachedFace | undefined> {
    return this.store.get<CachedFace>('private', PREFIX + primary);
  }

  /**
   * The face of `peer`: from the cache when it is younger than REFRESH_AFTER_MS and
   * `refresh` is not set, else from the relays (the newest kind 0 by their addr). When
   * the relays have nothing, a cached face is kept as it was; when they cannot be
   * asked (`query` rejects: no relay connected yet), nothing is stored, so the next
   * look asks again rather than trusting the stale copy for another 6 h.
   */
  async faceOf(peer: FacePeer, options: { refresh?: boolean } = {}): Promise<CachedFace> {
    const cached = await this.cached(peer.primary);
    if (cached && cached.addr === peer.addr && !options.refresh && this.now() - cached.fetchedAt < REFRESH_AFTER_MS) {
      return cached;
    }
    const running = this.inFlight.get(peer.primary);
    if (running) {
      return running;
    }
    const fetching = this.fetch(peer, cached).finally(() => this.inFlight.delete(peer.primary));
    this.inFlight.set(peer.primary, fetching);
    return fetching;
  }

  private async fetch(peer: FacePeer, cached: CachedFace | undefined): Promise<CachedFace> {
    let events: NostrEvent[];
    try {
      events = await this.query([{ kinds: [0], authors: [peer.addr], limit: 1 }]);
    } catch {
      return cached && cached.addr === peer.addr ? cached : { ...peer, fetchedAt: 0, seen: { kind: 'none' } };
    }
    const newest = events.filter((event) => event.pubkey === peer.addr && event.kind === 0).sort((a, b) => b.created_at - a.created_at)[0];
    let face: CachedFace;
    if (newest === undefined || (cached?.createdAt !== undefined && cached.addr === peer.addr && newest.created_at < cached.createdAt)) {
      // Nothing (newer) found: keep what we had, and remember that we asked.
      face = cached && cached.addr === peer.addr ? { ...cached, fetchedAt: this.now() } : { ...peer, fetchedAt: this.now(), seen: { kind: 'none' } };
    } else {
      const profile = readProfile(newest);
      face = {
        ...peer,
        fetchedAt: this.now(),
        createdAt: newest.created_at,
        seen: profile ? seePicture(this.reader, peer.primary, profile) : { kind: 'none' },
      };
    }
    await put(this.store, 'private', PREFIX + peer.primary, face);
    return face;
  }
}
