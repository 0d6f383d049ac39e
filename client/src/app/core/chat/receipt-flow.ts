import type { ReceiptTracker } from '../nostr/receipt-tracker';
import { sendOwedReceipts } from '../nostr/owed-receipts';
import type { MessageTransport, PeerAddress } from '../nostr/transport';
import type { ChatBook } from './chat-book';
import type { ChatRepository } from './chat-repository';
import type { ChatMessage } from './model';

export interface ReceiptFlowOptions {
  readonly book: ChatBook;
  readonly repository: ChatRepository;
  /** Every path receipts go by now: the home server (with `"push": false`) and, in the leading tab, the relays. */
  readonly paths: () => MessageTransport;
  /** Whether this tab leads (only the leader sends receipts: the others would send them again). */
  readonly leads: () => boolean;
  /** Receipts no path took yet and tracked deliveries, kept across restarts. */
  readonly tracker?: ReceiptTracker;
}

/**
 * Delivery receipts both ways (contract section 6): a receipt signed by the peer moves
 * our messages to "delivered"; each message received is acknowledged once, by the
 * leading tab, over every path, and kept as owed when no path takes it, to be retried
 * at the next start or when a path comes back.
 */
export class ReceiptFlow {
  private owed: Promise<void> = Promise.resolve();

  constructor(private readonly options: ReceiptFlowOptions) {}

  /** Resolves when the receipts queued so far were sent or kept as owed. */
  idle(): Promise<void> {
    return this.owed;
  }

  /**
   * A receipt signed by `from`: only messages this person was sent move to
   * `delivered` (the book is keyed by peer, so ids sent to someone else never match).
   */
  async apply(from: string, ids: readonly string[], storedElsewhere = false): Promise<void> {
    for (const id of ids) {
      const message = this.options.book.message(from, id);
      if (message?.direction !== 'out' || message.status === 'delivered' || message.status === 'failed') {
        continue;
      }
      const delivered = this.options.book.update(from, id, { status: 'delivered', ...(message.copyPending ? { copyPending: true } : {}) });
      const conversation = this.options.book.conversation(from);
      if (delivered !== null && conversation !== undefined && !storedElsewhere) {
        await this.options.repository.saveMessage(delivered, conversation);
      }
    }
  }

  /** Sends the receipt for a message just received (leading tab only); kept as owed when no path takes it. */
  acknowledge(message: ChatMessage): void {
    if (!this.options.leads() || this.options.book.conversation(message.peer)?.nostr !== undefined) {
      return;
    }
    const conversation = this.options.book.conversation(message.peer);
    const peer: PeerAddress = { primary: message.peer, addr: conversation?.addr ?? '', ...(conversation?.handle ? { handle: conversation.handle } : {}) };
    this.owed = this.owed
      .then(async () => {
        const report = await this.options.paths().sendReceipt(peer, [message.id]);
        if (report.accepted.length === 0) {
          await this.options.tracker?.owe(peer.primary, peer.addr, [message.id]);
        }
      })
      .catch(() => undefined);
  }

  /** Retries the receipts still owed (at start, when a path comes back). */
  retryOwed(): void {
    const tracker = this.options.tracker;
    if (tracker === undefined || !this.options.leads()) {
      return;
    }
    this.owed = this.owed
      .then(() => sendOwedReceipts(tracker, this.options.paths()))
      .then(
        () => undefined,
        () => undefined,
      );
  }

  /** Forgets delivery states tracked past their retention (leading tab, once per start), so they never pile up. */
  pruneTracked(): void {
    const tracker = this.options.tracker;
    if (tracker !== undefined && this.options.leads()) {
      void tracker.prune().catch(() => undefined);
    }
  }
}
