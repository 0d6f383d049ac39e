import type { MessageContent, OpenedMessage } from '@kez/crypto';
import type { DirectMessage } from '@kez/nostr';

// One interface for every way a KEZ message travels: the home server's inbox and
// nostr relays. The chat engine sends through all of them (server independence) and
// reads from all of them; `MergedTransport` makes them one, so a message carried by
// two paths is shown once and a send counts as done when any path took it.

/** A peer as the transports address it. */
export interface PeerAddress {
  /** `ed25519:<64 hex>`: whom the envelope is sealed to, and who must sign receipts. */
  readonly primary: string;
  /** 64 hex: the nostr routing address (`q` tag). */
  readonly addr: string;
  /** The peer's handle, for the home server path (unused on relays: they never see it). */
  readonly handle?: string;
}

/** What every path said to one send. Paths are `home` or a relay URL. */
export interface SendReport {
  /** The path that accepted first: the "via …" line. */
  readonly first?: string;
  readonly accepted: readonly string[];
  readonly refused: readonly { readonly path: string; readonly reason: string }[];
}

export interface SendOptions {
  /** Tried first: the path that carried this conversation's last message. */
  readonly preferredPath?: string;
  /** Called at each acceptance, before the report; every transport calls it (the merge relies on it). */
  readonly onAccepted?: (path: string) => void;
}

/** Something that arrived and opened. */
export type Arrival =
  /** A KEZ message; `message.from` is verified, freshness was judged against `carriedAt`. */
  | { readonly kind: 'message'; readonly message: OpenedMessage; readonly path: string; readonly carriedAt: number }
  /** A delivery receipt signed inside by `from`, acknowledging `ids`; not yet checked against what was sent. */
  | { readonly kind: 'receipt'; readonly from: string; readonly ids: readonly string[]; readonly path: string }
  /** A NIP-17 private DM from a nostr user (or a copy of one this user sent from another app). */
  | { readonly kind: 'nostr-dm'; readonly dm: DirectMessage; readonly path: string };

export type ArrivalListener = (arrival: Arrival) => void;

/** A way to send and receive KEZ envelopes. */
export interface MessageTransport {
  /** A short name for logs and the status line: `home`, `nostr`. */
  readonly name: string;
  start(): Promise<void>;
  stop(): void;
  /**
   * Seals `content` (its `id` set by the caller, so every path carries the same id)
   * to `peer` and sends it. Never rejects for a refusal: that is in the report.
   */
  sendMessage(peer: PeerAddress, content: MessageContent & { id: string }, options?: SendOptions): Promise<SendReport>;
  /** Sends a receipt for `ids` (1..100) to `peer`. */
  sendReceipt(peer: PeerAddress, ids: readonly string[], options?: SendOptions): Promise<SendReport>;
  onArrival(listener: ArrivalListener): () => void;
}

/** The identity of an arrival for deduplication: sender and id inside the envelope, never the carrier's id. */
export function arrivalKey(arrival: Arrival): string | undefined {
  switch (arrival.kind) {
    case 'message':
      return `kez\n${arrival.message.from}\n${arrival.message.id}`;
    case 'nostr-dm':
      return `nip17\n${arrival.dm.id}`;
    case 'receipt':
      // Receipts are idempotent; applying one twice changes nothing.
      return undefined;
  }
}

/** Keys remembered for deduplication; older ones are forgotten first (the Store dedupes for good). */
const DEDUPE_CAPACITY = 10_000;

/**
 * Several transports as one: sends go to all of them at once (the preferred path
 * first), arrivals are handed on once per `arrivalKey` whichever path brought them
 * first.
 */
export class MergedTransport implements MessageTransport {
  readonly name: string;
  private readonly seen = new Set<string>();
  private readonly listeners = new Set<ArrivalListener>();
  private readonly detach: (() => void)[] = [];

  constructor(private readonly transports: readonly MessageTransport[]) {
    this.name = transports.map((transport) => transport.name).join('+');
  }

  /**
   * Starts every transport. One path failing to start does not stop the others (each
   * path fails alone); the promise rejects only when all of them failed.
   *
   * @throws AggregateError with each transport's error, when none started.
   */
  async start(): Promise<void> {
    for (const transport of this.transports) {
      this.detach.push(transport.onArrival((arrival) => this.arrive(arrival)));
    }
    const results = await Promise.allSettled(this.transports.map((transport) => transport.start()));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    if (failures.length > 0 && failures.length === this.transports.length) {
      throw new AggregateError(failures, `no path could start (${this.name})`);
    }
  }

  stop(): void {
    for (const off of this.detach.splice(0)) {
      off();
    }
    for (const transport of this.transports) {
      transport.stop();
    }
  }

  sendMessage(peer: PeerAddress, content: MessageContent & { id: string }, options: SendOptions = {}): Promise<SendReport> {
    return this.fanOut(options, (transport, tracked) => transport.sendMessage(peer, content, tracked));
  }

  sendReceipt(peer: PeerAddress, ids: readonly string[], options: SendOptions = {}): Promise<SendReport> {
    return this.fanOut(options, (transport, tracked) => transport.sendReceipt(peer, ids, tracked));
  }

  onArrival(listener: ArrivalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands `arrival` on unless the same message already came by another path; true when handed on. */
  arrive(arrival: Arrival): boolean {
    const key = arrivalKey(arrival);
    if (key !== undefined) {
      if (this.seen.has(key)) {
        return false;
      }
      this.seen.add(key);
      if (this.seen.size > DEDUPE_CAPACITY) {
        this.seen.delete(this.seen.values().next().value as string);
      }
    }
    for (const listener of this.listeners) {
      listener(arrival);
    }
    return true;
  }

  private async fanOut(options: SendOptions, send: (transport: MessageTransport, options: SendOptions) => Promise<SendReport>): Promise<SendReport> {
    // The acceptances in the order they happened, across transports: the real first accepter.
    const order: string[] = [];
    const tracked: SendOptions = {
      ...options,
      onAccepted: (path) => {
        order.push(path);
        options.onAccepted?.(path);
      },
    };
    const reports = await Promise.all(
      this.transports.map((transport) =>
        send(transport, tracked).catch((error: unknown): SendReport => ({
          accepted: [],
          refused: [{ path: transport.name, reason: error instanceof Error ? error.message : String(error) }],
        })),
      ),
    );
    const merged = mergeReports(reports);
    return order.length > 0 ? { ...merged, first: order[0] } : merged;
  }
}

/** Combines the reports of several transports; `first` is the earliest accepter among them by report order. */
export function mergeReports(reports: readonly SendReport[]): SendReport {
  const accepted = reports.flatMap((report) => report.accepted);
  const refused = reports.flatMap((report) => report.refused);
  const first = reports.find((report) => report.first !== undefined)?.first;
  return { ...(first === undefined ? {} : { first }), accepted, refused };
}
