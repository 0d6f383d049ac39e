import { RECEIPT_MAX_IDS } from '@kez/protocol';

import type { Store, WriteOp } from '../storage/store';

// Delivery state of the messages a user sends (contract section 6): `sending` until
// one path (a relay, the home server) accepted it, `sent` after, `delivered` once the
// peer's client sent a valid receipt. States only move forward. Receipts are believed
// only from the conversation's peer and only for ids sent to that peer. The receipts
// this client owes its peers wait in the Store until a path accepts them, so a
// receipt cut off by a closed tab goes out at the next start. Both name peers, so
// they live in the `private` bucket, which the sealed store (storage/history-store.ts)
// encrypts at rest under keys from the seed.

/** Where an outgoing message stands, in the order it may move. */
export type DeliveryState = 'sending' | 'sent' | 'delivered';

const RANK: Readonly<Record<DeliveryState, number>> = { sending: 0, sent: 1, delivered: 2 };

/** The later of two states: a state never moves backwards (a late "accepted" after a receipt changes nothing). */
export function laterState(current: DeliveryState, next: DeliveryState): DeliveryState {
  return RANK[next] > RANK[current] ? next : current;
}

/** What the tracker keeps per outgoing message. */
export interface TrackedMessage {
  readonly id: string;
  /** The peer's primary (`ed25519:…`): the only key whose receipt counts. */
  readonly peer: string;
  readonly state: DeliveryState;
  /** The path that accepted it first (a relay URL or `home`): shown as "via …". */
  readonly via?: string;
  /** When it was first tracked, unix seconds; old entries are pruned. */
  readonly since: number;
}

/** The receipts owed to one peer, not yet accepted by any path. */
export interface PendingReceipt {
  /** The peer's primary. */
  readonly peer: string;
  /** Their nostr addr, for routing on relays. */
  readonly addr: string;
  /** At most RECEIPT_MAX_IDS ids: one receipt's worth. */
  readonly ids: readonly string[];
}

const TRACKED_PREFIX = 'delivery.out.';
/** The single entry of owed receipts, by peer primary. */
const OWED_KEY = 'delivery.owed';
/** Earlier versions kept one `meta` entry per peer under this prefix. */
const LEGACY_OWED_PREFIX = 'delivery.owed.';

type OwedByPeer = Readonly<Record<string, { readonly addr: string; readonly ids: readonly string[] }>>;
/** Where the tracker keeps its entries; earlier versions kept them in clear `meta`. */
const BUCKET = 'private';
/** Tracked messages older than the home server's retention can no longer be acknowledged. */
export const TRACKING_MAX_AGE_SECONDS = 30 * 24 * 3600;

/**
 * The delivery state machine over the client's `Store` (bucket `private`: give it
 * the sealed store, `openHistory`). Every method writes through before it resolves,
 * so a crash loses no transition.
 */
export class ReceiptTracker {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /**
   * Moves what an earlier version kept in clear `meta` (tracked messages, owed
   * receipts keyed by peer) into the `private` bucket, in one transaction.
   * @returns how many entries moved.
   */
  async sealLegacy(): Promise<number> {
    const legacy = (await this.store.entries<unknown>('meta')).filter(([key]) => key.startsWith(TRACKED_PREFIX) || key.startsWith(LEGACY_OWED_PREFIX));
    if (legacy.length === 0) {
      return 0;
    }
    const ops: WriteOp[] = legacy.map(([key]) => ({ bucket: 'meta', key, value: undefined }));
    const owed: Record<string, { addr: string; ids: string[] }> = { ...(await this.owedByPeer()) } as Record<string, { addr: string; ids: string[] }>;
    for (const [key, value] of legacy) {
      if (key.startsWith(TRACKED_PREFIX)) {
        ops.push({ bucket: BUCKET, key, value });
      } else {
        const { peer, addr, ids } = value as { peer: string; addr: string; ids: string[] };
        owed[peer] = { addr, ids: [...new Set([...(owed[peer]?.ids ?? []), ...ids])] };
      }
    }
    if (Object.keys(owed).length > 0) {
      ops.push({ bucket: BUCKET, key: OWED_KEY, value: owed });
    }
    await this.store.write(ops);
    return legacy.length;
  }

  /** Starts tracking `id`, sent to `peer` (a primary), in state `sending`; a known id is left as it is. */
  async sending(id: string, peer: string): Promise<TrackedMessage> {
    const known = await this.get(id);
    if (known) {
      return known;
    }
    const tracked: TrackedMessage = { id, peer, state: 'sending', since: this.now() };
    await this.store.write([{ bucket: BUCKET, key: TRACKED_PREFIX + id, value: tracked }]);
    return tracked;
  }

  /**
   * Records that `path` accepted message `id`: `sending` becomes `sent` with `via` =
   * `path`; a later acceptance keeps the first `via`. Undefined for an untracked id.
   */
  async accepted(id: string, path: string): Promise<TrackedMessage | undefined> {
    const known = await this.get(id);
    if (!known) {
      return undefined;
    }
    const next: TrackedMessage = { ...known, state: laterState(known.state, 'sent'), via: known.via ?? path };
    if (next.state !== known.state || next.via !== known.via) {
      await this.store.write([{ bucket: BUCKET, key: TRACKED_PREFIX + id, value: next }]);
    }
    return next;
  }

  /**
   * Applies a receipt from `from` (the primary that signed it inside the envelope)
   * acknowledging `ids`. Only ids tracked as sent to `from` move to `delivered`; the
   * rest of the receipt is ignored, so a receipt from anyone else, or naming ids never
   * sent to its signer, changes nothing.
   *
   * @returns the messages that became `delivered` by this receipt.
   */
  async receipt(from: string, ids: readonly string[]): Promise<TrackedMessage[]> {
    const changed: TrackedMessage[] = [];
    for (const id of new Set(ids)) {
      const known = await this.get(id);
      if (known && known.peer === from && known.state !== 'delivered') {
        changed.push({ ...known, state: 'delivered' });
      }
    }
    if (changed.length > 0) {
      await this.store.write(changed.map((tracked) => ({ bucket: BUCKET, key: TRACKED_PREFIX + tracked.id, value: tracked })));
    }
    return changed;
  }

  get(id: string): Promise<TrackedMessage | undefined> {
    return this.store.get<TrackedMessage>(BUCKET, TRACKED_PREFIX + id);
  }

  /** Forgets tracked messages older than `TRACKING_MAX_AGE_SECONDS`; returns how many. */
  async prune(): Promise<number> {
    const cutoff = this.now() - TRACKING_MAX_AGE_SECONDS;
    const old = (await this.store.list<TrackedMessage>(BUCKET, TRACKED_PREFIX)).filter((tracked) => tracked.since < cutoff);
    if (old.length > 0) {
      await this.store.write(old.map((tracked) => ({ bucket: BUCKET, key: TRACKED_PREFIX + tracked.id, value: undefined })));
    }
    return old.length;
  }

  /** Remembers that a receipt for `ids` is owed to `peer` (primary) at `addr`, until `receiptSent`. */
  async owe(peer: string, addr: string, ids: readonly string[]): Promise<void> {
    const owed = await this.owedByPeer();
    const merged = [...new Set([...(owed[peer]?.ids ?? []), ...ids])];
    await this.store.write([{ bucket: BUCKET, key: OWED_KEY, value: { ...owed, [peer]: { addr, ids: merged } } }]);
  }

  /** Receipts still owed, one entry per peer and per `RECEIPT_MAX_IDS` ids. */
  async pendingReceipts(): Promise<PendingReceipt[]> {
    return Object.entries(await this.owedByPeer()).flatMap(([peer, { addr, ids }]) => {
      const batches: PendingReceipt[] = [];
      for (let start = 0; start < ids.length; start += RECEIPT_MAX_IDS) {
        batches.push({ peer, addr, ids: ids.slice(start, start + RECEIPT_MAX_IDS) });
      }
      return batches;
    });
  }

  /** A path accepted a receipt for `ids` to `peer`: they are no longer owed. */
  async receiptSent(peer: string, ids: readonly string[]): Promise<void> {
    const owed = await this.owedByPeer();
    const entry = owed[peer];
    if (!entry) {
      return;
    }
    const done = new Set(ids);
    const left = entry.ids.filter((id) => !done.has(id));
    const { [peer]: _settled, ...rest } = owed;
    const next = left.length === 0 ? rest : { ...rest, [peer]: { ...entry, ids: left } };
    await this.store.write([{ bucket: BUCKET, key: OWED_KEY, value: Object.keys(next).length === 0 ? undefined : next }]);
  }

  /** Every owed receipt in one entry (one read at each retry, however large the bucket). */
  private async owedByPeer(): Promise<OwedByPeer> {
    return (await this.store.get<OwedByPeer>(BUCKET, OWED_KEY)) ?? {};
  }
}
