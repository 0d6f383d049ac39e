import { computed, effect, inject, Injectable, signal, untracked } from '@angular/core';
import type { Identity } from '@kez/crypto';
import { readProfile } from '@kez/nostr';
import type { Filter } from 'nostr-tools/filter';
import type { NostrEvent } from 'nostr-tools/pure';

import { Account } from './account';
import { Chat } from './chat';
import { ActivityRefresh, newlyActive } from './faces/activity-refresh';
import { contactsOf } from './faces/contacts';
import { identiconUrl } from './faces/identicon';
import { LatestPick, SUPERSEDED } from './faces/latest-pick';
import { type FacePublishResult, OwnFace } from './faces/own-face';
import { PeerFaces } from './faces/peer-faces';
import { ownPublishedPicture, pictureFields } from './faces/picture-profile';
import { pictureDataUrl } from './faces/picture-data-url';
import { compactPicture, preparePicture } from './faces/prepare-picture';
import { ProfilePublisher } from './faces/profile-publisher';
import { buildProfile } from './nostr/own-lists';
import type { RelayPoolLease } from './nostr/shared-relay-pool';
import { whenLive } from './nostr/when-live';
import { HOME_SERVER, STORE } from './platform';
import { RelayConnections } from './relay-connections';
import { sealedStore } from './storage/history-store';
import { openTabChannel, type TabMessage } from './tabs/tab-channel';

/**
 * A one-shot read of profiles, made once a relay is live: an answer from nobody is not
 * "no (new) picture". Rejects when none connects within the wait (the caller asks again later).
 */
async function readRelays(pool: RelayPoolLease, filters: Filter[]): Promise<NostrEvent[]> {
  if (!(await whenLive(pool))) {
    throw new Error('no relay is connected');
  }
  return pool.query(filters);
}

interface Running {
  readonly identity: Identity;
  /** The tab's one relay pool, shared with the chat (core/relay-connections.ts). */
  readonly pool: RelayPoolLease;
  readonly own: OwnFace;
  readonly peers: PeerFaces;
  /** The relay list the pool follows (JSON) and the switch to it (adoption, republish) in progress or done. */
  relays: { key: string; done: Promise<void> };
  readonly activity: ActivityRefresh;
  /** Stops telling and hearing the other tabs about the user's own picture. */
  readonly detachTabs: () => void;
}

/**
 * Faces for the screens: the user's own picture (set, scramble, publish), and every
 * other person's face by primary (their unscrambled picture, or an identicon).
 * Runs while the identity is unlocked; see core/faces/ for the parts.
 */
@Injectable({ providedIn: 'root' })
export class Faces {
  private readonly account = inject(Account);
  private readonly chat = inject(Chat);
  private readonly api = inject(HOME_SERVER);
  private readonly storePromise = inject(STORE);
  private readonly connections = inject(RelayConnections);
  private running: Running | null = null;
  private readonly urls = signal<ReadonlyMap<string, string>>(new Map());
  private readonly addrs = new Map<string, string>();
  private readonly loading = new Set<string>();
  /** The start in progress or done; relay changes wait for it so it cannot undo them. */
  private starting: Promise<void> = Promise.resolve();
  private readonly ownVersion = signal(0);
  /** The user's own picture has been read from this device (with or without one). */
  private readonly ownLoaded = signal(false);
  private readonly picks = new LatestPick();
  /** The highest conversation `lastOrder` seen since the stored conversations loaded; undefined before. */
  private activityWatermark: number | undefined;

  /** The outcome of the last publish, in words. */
  readonly status = signal<FacePublishResult | null>(null);
  /** The user's picture as contacts see it (the exact picture); null without one. */
  readonly ownFace = computed(() => {
    this.ownVersion();
    const own = this.running?.own.picture;
    return own ? pictureDataUrl(own.exact) : null;
  });
  /** What strangers see: the published noise, or the plain picture when scrambling is off. */
  readonly strangerView = computed(() => {
    this.ownVersion();
    const running = this.running;
    const own = running?.own.picture;
    return own && running ? pictureFields(running.identity, own, []).picture.split('#')[0]! : null;
  });
  /** False until this device's own picture has been read: until then `ownFace` and `scrambled` say nothing yet. */
  readonly ownKnown = this.ownLoaded.asReadonly();
  readonly scrambled = computed(() => {
    this.ownVersion();
    return this.running?.own.picture?.scrambled ?? true;
  });
  /** Primaries holding the picture key, and those the user removed. */
  readonly circle = computed(() => {
    this.ownVersion();
    return { contacts: this.running?.own.contacts ?? [], removed: this.running?.own.removed ?? [] };
  });

  constructor() {
    effect(() => {
      const identity = this.account.identity();
      untracked(() => {
        if (identity) {
          this.starting = this.start(identity);
        } else {
          this.stop();
        }
      });
    });
    // One relay list for the chat and the profile: Settings → Relays (core/nostr/relay-list.ts).
    effect(() => {
      const urls = this.chat.relayUrls();
      // Unknown (null) is not "no relays": the pool is shared with the chat, which may be using it.
      if (urls !== null) {
        untracked(() => void this.followRelays(urls));
      }
    });
    effect(() => {
      const contacts = contactsOf(this.chat.threads());
      untracked(() => void this.running?.own.addContacts(contacts));
    });
    effect(() => {
      const loaded = this.chat.loaded();
      const conversations = this.chat.conversations();
      untracked(() => this.noteActivity(loaded, conversations));
    });
  }

  /** The face to show for `primary`: their picture when we may see it, else their identicon. */
  urlOf(primary: string): string {
    if (this.running && primary === this.running.identity.primary) {
      return this.ownFace() ?? identiconUrl(primary);
    }
    return this.urls().get(primary) ?? identiconUrl(primary);
  }

  /**
   * Makes sure `primary`'s face is loaded (cache, then relays when older than 6 h);
   * `refresh` asks the relays now (a thread opened). `handle` finds their nostr addr.
   */
  async load(primary: string, handle: string | null, refresh = false): Promise<void> {
    await this.starting;
    const running = this.running;
    if (!running || primary === running.identity.primary || (!refresh && this.loading.has(primary))) {
      return;
    }
    this.loading.add(primary);
    try {
      await this.loadFrom(running, primary, handle, refresh);
    } finally {
      this.loading.delete(primary);
    }
  }

  /**
   * Conversations with a message in or out (or a chat started) since the last look
   * start a re-read of the peer's profile (core/faces/activity-refresh.ts). The
   * conversations on screen when the history loads are the baseline, not activity.
   */
  private noteActivity(loaded: boolean, conversations: readonly { peer: string; lastOrder: number }[]): void {
    if (!loaded) {
      this.activityWatermark = undefined;
      return;
    }
    if (this.activityWatermark === undefined) {
      this.activityWatermark = newlyActive(conversations, Number.NEGATIVE_INFINITY).watermark;
      return;
    }
    const { peers, watermark } = newlyActive(conversations, this.activityWatermark);
    this.activityWatermark = watermark;
    for (const peer of peers) {
      void this.running?.activity.noteActivity(peer);
    }
  }

  /** True when `primary`'s cached profile opens for us (their picture, not noise or nothing). */
  private async opensForUs(running: Running, primary: string): Promise<boolean> {
    return (await running.peers.cached(primary))?.seen.kind === 'face';
  }

  private async loadFrom(running: Running, primary: string, handle: string | null, refresh: boolean): Promise<void> {
    const cached = await running.peers.cached(primary);
    if (cached) {
      this.show(primary, cached.seen.kind === 'face' ? cached.seen.url : undefined);
    }
    const addr = this.addrs.get(primary) ?? cached?.addr ?? (handle ? (await this.api.lookup(handle).catch(() => null))?.addr : undefined);
    if (!addr || this.running !== running) {
      return;
    }
    this.addrs.set(primary, addr);
    const face = await running.peers.faceOf({ primary, addr }, { refresh });
    this.show(primary, face.seen.kind === 'face' ? face.seen.url : undefined);
  }

  /**
   * Prepares and publishes a new picture from a picked, dropped or pasted file.
   * Resolves to undefined when a newer pick began while this one was prepared (the
   * newest pick wins; core/faces/latest-pick.ts).
   * @throws PictureInputError for a file that is not a usable picture (newest pick only).
   */
  async setPicture(file: Blob): Promise<FacePublishResult | undefined> {
    const prepared = await this.picks.take(preparePicture(file));
    if (prepared === SUPERSEDED) {
      return undefined;
    }
    return this.report(await this.requireRunning().own.setPicture(prepared));
  }

  async setScrambled(scrambled: boolean): Promise<void> {
    const result = await this.requireRunning().own.setScrambled(scrambled);
    if (result) {
      this.report(result);
    }
  }

  async clearPicture(): Promise<void> {
    this.report(await this.requireRunning().own.clearPicture());
  }

  async removeContact(primary: string): Promise<void> {
    this.report(await this.requireRunning().own.removeContact(primary));
  }

  async restoreContact(primary: string): Promise<void> {
    await this.requireRunning().own.restoreContact(primary);
  }

  /**
   * Follows the chat's relay list (Settings → Relays): reads and publishes profiles
   * there. A picture this device had is republished when the list changes; at the
   * first list of a run, a fresh device takes the user's picture back from the relays.
   * Resolves once that is done, so whoever publishes the kind 0 next (the chat's own
   * lists) carries the picture and cannot replace it with a profile without one.
   */
  async followRelays(urls: readonly string[]): Promise<void> {
    await this.starting;
    const running = this.running;
    if (!running) {
      return;
    }
    const key = JSON.stringify(urls);
    if (running.relays.key !== key) {
      const first = running.relays.key === '[]';
      running.relays = { key, done: this.switchRelays(running, urls, !first) };
    }
    await running.relays.done;
  }

  /**
   * Publishes the kind 0 now (name, NIP-05, and the picture's fields when there is a
   * picture): this is the profile's one publisher, so its `created_at` only moves
   * forward and the newest state always wins on the relays.
   */
  async publishProfile(): Promise<void> {
    await this.starting;
    const running = this.running;
    if (running) {
      this.report(await running.own.publishNow());
    }
  }

  private async switchRelays(running: Running, urls: readonly string[], republish: boolean): Promise<void> {
    running.pool.setRelays(urls);
    // Faces asked for before these relays (at start, before the list was known) are asked again here.
    for (const primary of this.addrs.keys()) {
      void this.load(primary, null, true);
    }
    const had = running.own.picture !== undefined;
    await this.adoptFromRelays(running);
    if (had && republish && this.running === running) {
      this.report(await running.own.publishNow());
    }
  }

  private async start(identity: Identity): Promise<void> {
    if (this.running?.identity.primary === identity.primary) {
      return;
    }
    this.stop();
    const store = await this.storePromise;
    if (untracked(() => this.account.identity())?.primary !== identity.primary) {
      return; // locked (or switched) while the store opened
    }
    const known = untracked(() => this.chat.relayUrls());
    const relays = known ?? [];
    const pool = this.connections.lease(identity);
    if (known !== null) {
      pool.setRelays(known);
    }
    pool.start();
    const publisher = new ProfilePublisher(pool, identity, () => {
      const profile = this.account.profile();
      return profile?.handle && profile.server ? buildProfile({ handle: profile.handle, server: profile.server }) : {};
    });
    // The picture, its key, the contacts and the peers' faces are sealed at rest like the history.
    const sealed = sealedStore(store, identity.seed);
    // Batched publishes in the leading tab only; each tab's changes reach the others' screens.
    const own = new OwnFace(
      sealed,
      identity,
      (fields) => publisher.publish(fields),
      compactPicture,
      undefined,
      () => this.chat.leads(),
    );
    const detachTabs = this.shareOwnFace(own);
    const peers = new PeerFaces(sealed, identity, (filters) => readRelays(pool, filters));
    const activity = new ActivityRefresh({
      opensForUs: (primary) => this.opensForUs(running, primary),
      reread: async (primary) => {
        const handle = this.chat.conversations().find((conversation) => conversation.peer === primary)?.handle ?? null;
        await this.load(primary, handle, true);
        return this.opensForUs(running, primary);
      },
    });
    const running: Running = { identity, pool, own, peers, relays: { key: JSON.stringify(relays), done: Promise.resolve() }, activity, detachTabs };
    this.running = running;
    own.onChange(() => this.ownVersion.update((n) => n + 1));
    try {
      await own.load();
    } finally {
      // Known even when it could not be read: then there is no picture here to show.
      if (this.running === running) {
        this.ownLoaded.set(true);
      }
    }
    own.addContacts(contactsOf(this.chat.threads())).catch(() => undefined);
    await this.adoptFromRelays(running);
  }

  /** Tells the other tabs when this one stores a change of the user's picture, and reads theirs again; returns the way to stop. */
  private shareOwnFace(own: OwnFace): () => void {
    const channel = openTabChannel();
    if (channel === null) {
      return () => undefined;
    }
    const stopTelling = own.onStored(() => channel.postMessage({ kind: 'face-changed' }));
    const hear = (event: MessageEvent<TabMessage>) => {
      if (event.data.kind === 'face-changed') {
        void own.reload();
      }
    };
    channel.addEventListener('message', hear);
    return () => {
      stopTelling();
      channel.removeEventListener('message', hear);
      channel.close();
    };
  }

  /** A fresh device restored from the phrase takes the user's picture back from the relays (its own wrap). */
  private async adoptFromRelays(running: Running): Promise<void> {
    if (running.own.picture || running.pool.urls.length === 0) {
      return;
    }
    const [newest] = await readRelays(running.pool, [{ kinds: [0], authors: [running.identity.addr], limit: 1 }]).catch(() => []);
    const profile = newest ? readProfile(newest) : undefined;
    const published = profile ? ownPublishedPicture(running.identity, profile) : undefined;
    if (published && this.running === running) {
      await running.own.adopt(published);
    }
  }

  private stop(): void {
    if (this.running) {
      this.running.own.stop();
      this.running.detachTabs();
      this.running.activity.stop();
      this.running.pool.stop();
      this.running = null;
      this.ownLoaded.set(false);
      this.urls.set(new Map());
      this.addrs.clear();
      this.ownVersion.update((n) => n + 1);
    }
  }

  private show(primary: string, url: string | undefined): void {
    const next = new Map(this.urls());
    if (url === undefined) {
      next.delete(primary);
    } else {
      next.set(primary, url);
    }
    this.urls.set(next);
  }

  private report(result: FacePublishResult): FacePublishResult {
    this.status.set(result);
    this.ownVersion.update((n) => n + 1);
    return result;
  }

  private requireRunning(): Running {
    if (!this.running) {
      throw new Error('Unlock the app first.');
    }
    return this.running;
  }
}
