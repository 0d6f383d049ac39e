import { DirectMessageRelaysList, GiftWrap, Metadata } from 'nostr-tools/kinds';
import { type EventTemplate, finalizeEvent, type NostrEvent } from 'nostr-tools/pure';

import { type Identity, type MessageContent, nowSeconds, openV2, sealV2 } from '@kez/crypto';
import {
  buildKezEvent,
  checkEventTime,
  dmRelayListTemplate,
  type KezEventDrop,
  normalizeRelayUrl,
  type Profile,
  profileTemplate,
  readDmRelayList,
  readKezEvent,
  readProfile,
  type RelayListEntry,
  relayListTemplate,
  SeenIds,
  subscriptionSince,
  unwrapDirectMessage,
  wrapDirectMessage,
} from '@kez/nostr';
import { isReceiptContent, NOSTR_KIND_ACK, NOSTR_KIND_DM, readReceiptIds, receiptContent } from '@kez/protocol';

import type { Store } from '../storage/store';
import { browserTimers, type Timers } from '../transport/timers';
import type { PublishReport, RelayPool } from './relay-pool';
import type { Arrival, ArrivalListener, MessageTransport, PeerAddress, SendOptions, SendReport } from './transport';

// KEZ chat over nostr relays (contract section 6): DMs (4243) and receipts (4244) as
// sealed v2 envelopes under one-time outer keys, routed by the `q` tag to an addr;
// NIP-17 gift wraps (1059) to and from any nostr user; the relay lists and profile a
// client publishes with its own key. Reading applies the replay rules in the order
// `readKezEvent` documents; the seen ids and the resume points survive restarts in
// the Store.

/** What the transport needs of a relay pool (a `RelayPool`, or a fake in unit tests). */
export type NostrRelays = Pick<RelayPool, 'publish' | 'subscribe' | 'unsubscribe' | 'onEvent' | 'newestSeen' | 'query' | 'start' | 'stop' | 'urls'>;

/** Why an event was not handed on, for a diagnostics screen. */
export type NostrDrop = KezEventDrop | 'not_for_us' | 'wont_open' | 'receipt_as_message' | 'not_a_receipt' | 'bad_gift_wrap';

export interface NostrTransportOptions {
  readonly identity: Identity;
  readonly relays: NostrRelays;
  readonly store: Store;
  /** Unix seconds. */
  readonly now?: () => number;
  readonly timers?: Timers;
  /** Opens short-lived pools for relays outside the user's list (a NIP-17 peer's 10050 relays). */
  readonly openPool?: (urls: readonly string[]) => NostrRelays;
}

/** The persisted reading state, in the Store's `meta` bucket. */
interface ReadingState {
  /** Seen event ids, oldest first. */
  seen: string[];
  /** Newest `created_at` read per subscription. */
  newest: Record<string, number>;
}

const STATE_KEY = 'nostr.reading';
const KEZ_SUBSCRIPTION = 'kez';
const GIFT_SUBSCRIPTION = 'gift';
/** The path named in arrivals found by `catchUp()` (a one-shot read merges all relays). */
export const CATCH_UP_PATH = 'nostr';
/** Writes of the reading state are gathered for this long, in ms. */
const PERSIST_DELAY_MS = 1_000;

/** The reports of the lists published by `publishLists`. */
export interface ListsReport {
  readonly relayList: SendReport;
  readonly dmRelayList: SendReport;
  readonly profile?: SendReport;
}

function toSendReport(report: PublishReport, noRelays = 'no relays configured'): SendReport {
  const refused = report.refused.map(({ relay, reason }) => ({ path: relay, reason }));
  if (report.accepted.length === 0 && refused.length === 0) {
    refused.push({ path: 'nostr', reason: noRelays });
  }
  return { ...(report.first === undefined ? {} : { first: report.first }), accepted: report.accepted, refused };
}

/**
 * The nostr `MessageTransport`. Paths in reports and arrivals are relay URLs.
 * `start()` must run before arrivals flow; sends work before it (they wait for relays).
 */
export class NostrTransport implements MessageTransport {
  readonly name = 'nostr';
  /** Events dropped since start, by reason. */
  readonly dropped: Partial<Record<NostrDrop, number>> = {};
  private seen = new SeenIds();
  private readonly listeners = new Set<ArrivalListener>();
  private detach: (() => void) | undefined;
  private persistHandle: unknown;
  private readonly now: () => number;
  private readonly timers: Timers;

  constructor(private readonly options: NostrTransportOptions) {
    this.now = options.now ?? nowSeconds;
    this.timers = options.timers ?? browserTimers;
  }

  private get identity(): Identity {
    return this.options.identity;
  }

  /** Loads the reading state, subscribes to the user's KEZ events and gift wraps, connects. */
  async start(): Promise<void> {
    const state = await this.options.store.get<ReadingState>('meta', STATE_KEY);
    this.seen = new SeenIds(undefined, state?.seen ?? []);
    const { relays } = this.options;
    this.detach?.();
    this.detach = relays.onEvent((event, _subscription, relay) => this.read(event, relay));
    relays.subscribe({
      id: KEZ_SUBSCRIPTION,
      filters: [{ kinds: [NOSTR_KIND_DM, NOSTR_KIND_ACK], '#q': [this.identity.addr] }],
      newestSeen: state?.newest[KEZ_SUBSCRIPTION],
    });
    relays.subscribe({
      id: GIFT_SUBSCRIPTION,
      filters: [{ kinds: [GiftWrap], '#p': [this.identity.addr] }],
      giftWraps: true,
      newestSeen: state?.newest[GIFT_SUBSCRIPTION],
    });
    relays.start();
  }

  /** Stops reading and writes the reading state (without waiting for the Store). */
  stop(): void {
    this.detach?.();
    this.detach = undefined;
    this.options.relays.unsubscribe(KEZ_SUBSCRIPTION);
    this.options.relays.unsubscribe(GIFT_SUBSCRIPTION);
    this.options.relays.stop();
    if (this.persistHandle !== undefined) {
      this.timers.clearTimeout(this.persistHandle);
      this.persistHandle = undefined;
      void this.persist();
    }
  }

  onArrival(listener: ArrivalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Seals `content` to `peer.primary` and publishes it as kind 4243 for `peer.addr` on
   * every relay. `content.sent_at` (default now) must be within 5 minutes of now, as
   * the receiver measures it against the event's `created_at`.
   *
   * @throws CryptoError `malformed` for content the envelope refuses; NostrError
   *   `malformed` for an envelope over the size limit.
   */
  async sendMessage(peer: PeerAddress, content: MessageContent & { id: string }, options: SendOptions = {}): Promise<SendReport> {
    const now = this.now();
    const event = buildKezEvent(NOSTR_KIND_DM, sealV2(this.identity, peer.primary, { ...content, sent_at: content.sent_at ?? now }), peer.addr, now);
    return this.publish(event, options);
  }

  /**
   * Publishes a receipt for `ids` (1..100 message ids) to `peer` as kind 4244.
   *
   * @throws RangeError for an empty, oversized or malformed id list.
   */
  async sendReceipt(peer: PeerAddress, ids: readonly string[], options: SendOptions = {}): Promise<SendReport> {
    const now = this.now();
    const event = buildKezEvent(NOSTR_KIND_ACK, sealV2(this.identity, peer.primary, { ...receiptContent(ids), sent_at: now }), peer.addr, now);
    return this.publish(event, options);
  }

  /**
   * Sends `text` to a nostr user as a NIP-17 DM: the peer's copy to the relays in their
   * kind 10050 list (found on the user's relays) and to the user's own, the user's copy
   * (for their other apps) to the user's relays.
   *
   * `options.createdAt` fixes the rumor's time, so its id is known before (`directMessageId`).
   *
   * @returns the report for the peer's copy; `dmRelays` lists the peer's 10050 relays (empty when they publish none).
   * @throws NostrError `malformed` for an empty text or one over 32,000 UTF-8 bytes (`DM_TEXT_MAX_BYTES`).
   */
  async sendDirectMessage(
    pubkey: string,
    text: string,
    options: SendOptions & { readonly createdAt?: number } = {},
  ): Promise<SendReport & { readonly dmRelays: readonly string[] }> {
    const { forRecipient, forSelf } = wrapDirectMessage(this.identity.nostrSecret, pubkey, text, options.createdAt);
    const dmRelays = await this.dmRelaysOf(pubkey);
    const own = new Set(this.options.relays.urls);
    const outside = dmRelays.filter((url) => !own.has(url));
    const extra = outside.length > 0 && this.options.openPool ? this.options.openPool(outside) : undefined;
    extra?.start();
    try {
      const [mine, theirs] = await Promise.all([
        this.options.relays.publish(forRecipient, { preferredRelay: options.preferredPath, onAccepted: options.onAccepted }),
        extra?.publish(forRecipient, { onAccepted: options.onAccepted }) ?? Promise.resolve<PublishReport>({ accepted: [], refused: [] }),
        this.options.relays.publish(forSelf),
      ]);
      const accepted = [...mine.accepted, ...theirs.accepted];
      const report = toSendReport({
        ...(mine.first !== undefined ? { first: mine.first } : theirs.first !== undefined ? { first: theirs.first } : {}),
        accepted,
        refused: [...mine.refused, ...theirs.refused],
      });
      return { ...report, dmRelays };
    } finally {
      extra?.stop();
    }
  }

  /**
   * One-shot re-read of the user's KEZ events (messages and receipts) of the last 48 h
   * from every relay, through the same checks as the live subscription: what the
   * subscription already handed on is dropped as seen. For opening a thread whose
   * messages are still "sent", or after the relays were unreachable for a while.
   *
   * @returns how many arrivals it handed on.
   */
  async catchUp(): Promise<number> {
    const since = subscriptionSince(undefined, this.now());
    const events = await this.options.relays.query([{ kinds: [NOSTR_KIND_DM, NOSTR_KIND_ACK], '#q': [this.identity.addr], since }]);
    let handed = 0;
    const count = this.onArrival(() => handed++);
    try {
      // Oldest first, as a subscription would have delivered them.
      for (const event of [...events].reverse()) {
        this.read(event, CATCH_UP_PATH);
      }
    } finally {
      count();
    }
    return handed;
  }

  /**
   * The newest kind 0 profile of `pubkey` on the user's relays (the name shown for a
   * NIP-17 chat), or undefined when there is none or it is not a JSON object. Its
   * `nip05` is only a claim until checked with `resolveNostrPeer`.
   */
  async profileOf(pubkey: string): Promise<Profile | undefined> {
    const [newest] = await this.options.relays.query([{ kinds: [Metadata], authors: [pubkey], limit: 1 }]);
    return newest ? readProfile(newest) : undefined;
  }

  /** The relays in `pubkey`'s newest kind 10050 list on the user's relays; [] when none. */
  async dmRelaysOf(pubkey: string): Promise<string[]> {
    const [newest] = await this.options.relays.query([{ kinds: [DirectMessageRelaysList], authors: [pubkey], limit: 1 }]);
    return newest ? readDmRelayList(newest) : [];
  }

  /**
   * Publishes, signed with the user's own key (the addr): the NIP-65 relay list (kind
   * 10002), the NIP-17 DM relay list (kind 10050) and, when given, a kind 0 profile.
   *
   * @throws RangeError for a relay URL that is not `ws:`/`wss:`.
   */
  async publishLists(lists: { relays: readonly RelayListEntry[]; dmRelays: readonly string[]; profile?: Profile }): Promise<ListsReport> {
    const invalid = [...lists.relays.map((entry) => entry.url), ...lists.dmRelays].filter((url) => normalizeRelayUrl(url) === undefined);
    if (invalid.length > 0) {
      throw new RangeError(`not a relay URL (ws:// or wss://): ${invalid.join(', ')}`);
    }
    const createdAt = this.now();
    const [relayList, dmRelayList, profile] = await Promise.all([
      this.publishSigned(relayListTemplate(lists.relays, createdAt)),
      this.publishSigned(dmRelayListTemplate(lists.dmRelays, createdAt)),
      lists.profile ? this.publishSigned(profileTemplate(lists.profile, createdAt)) : undefined,
    ]);
    return { relayList, dmRelayList, ...(profile ? { profile } : {}) };
  }

  /** Handles one event from the pool: KEZ events and gift wraps; anything else is dropped by the checks. */
  private read(event: NostrEvent, relay: string): void {
    if (event.kind === GiftWrap) {
      this.readGiftWrap(event, relay);
      return;
    }
    const verdict = readKezEvent(event, this.now(), this.seen);
    if (!verdict.ok) {
      this.drop(verdict.reason);
      return;
    }
    if (!verdict.recipients.includes(this.identity.addr)) {
      this.drop('not_for_us');
      return;
    }
    this.remember(event.id);
    let opened: ReturnType<typeof openV2>;
    try {
      // Freshness against the time the message reached its carrier (contract section 5).
      opened = openV2(this.identity, verdict.envelope, event.created_at);
    } catch {
      this.drop('wont_open');
      return;
    }
    if (verdict.kind === NOSTR_KIND_ACK) {
      const ids = readReceiptIds(opened.extra);
      if (ids === undefined) {
        this.drop('not_a_receipt');
        return;
      }
      this.emit({ kind: 'receipt', from: opened.from, ids, path: relay });
      return;
    }
    if (isReceiptContent(opened.extra)) {
      // A DM whose content is a receipt is never shown, well-formed or not.
      this.drop('receipt_as_message');
      return;
    }
    this.emit({ kind: 'message', message: opened, path: relay, carriedAt: event.created_at });
  }

  private readGiftWrap(event: NostrEvent, relay: string): void {
    const time = checkEventTime(event.created_at, this.now(), event.kind);
    if (time !== 'ok') {
      this.drop(time);
      return;
    }
    if (this.seen.has(event.id)) {
      this.drop('seen');
      return;
    }
    let dm: ReturnType<typeof unwrapDirectMessage>;
    try {
      dm = unwrapDirectMessage(event, this.identity.nostrSecret);
    } catch {
      this.drop('bad_gift_wrap');
      return;
    }
    this.remember(event.id);
    this.emit({ kind: 'nostr-dm', dm, path: relay });
  }

  private async publish(event: NostrEvent, options: SendOptions): Promise<SendReport> {
    return toSendReport(await this.options.relays.publish(event, { preferredRelay: options.preferredPath, onAccepted: options.onAccepted }));
  }

  private async publishSigned(template: EventTemplate): Promise<SendReport> {
    return toSendReport(await this.options.relays.publish(finalizeEvent(template, this.identity.nostrSecret)));
  }

  private emit(arrival: Arrival): void {
    for (const listener of this.listeners) {
      listener(arrival);
    }
  }

  private drop(reason: NostrDrop): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
  }

  /** Adds a verified event's id to the seen set and schedules a write of the reading state. */
  private remember(id: string): void {
    this.seen.add(id);
    if (this.persistHandle === undefined) {
      this.persistHandle = this.timers.setTimeout(() => {
        this.persistHandle = undefined;
        void this.persist();
      }, PERSIST_DELAY_MS);
    }
  }

  private persist(): Promise<void> {
    const newest: Record<string, number> = {};
    for (const id of [KEZ_SUBSCRIPTION, GIFT_SUBSCRIPTION]) {
      const value = this.options.relays.newestSeen(id);
      if (value !== undefined) {
        newest[id] = value;
      }
    }
    const state: ReadingState = { seen: this.seen.toArray(), newest };
    return this.options.store.write([{ bucket: 'meta', key: STATE_KEY, value: state }]);
  }

  /** Writes the reading state now (e.g. before the page unloads). */
  flush(): Promise<void> {
    if (this.persistHandle !== undefined) {
      this.timers.clearTimeout(this.persistHandle);
      this.persistHandle = undefined;
    }
    return this.persist();
  }
}
