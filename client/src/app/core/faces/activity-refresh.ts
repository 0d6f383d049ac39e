import { browserTimers, type Timers } from '../transport/timers';

// A peer adds a new contact's wrap at their next batched publish (own-face.ts,
// PUBLISH_DELAY_MS after the first message), so a copy of their kind 0 read before
// that has no wrap for us and the chat list would show their identicon until the
// 6 h refresh or until their thread opens. When a conversation becomes active (a
// message in or out, a chat started) and the cached profile does not open for us,
// the profile is read again after each of REREAD_DELAYS_MS (stopping once it opens),
// at most one such round per peer every REREAD_EVERY_MS (docs/protocol.md "Peer profiles").

/** Waits before each re-read of a round, counted from the activity, in ms. */
export const REREAD_DELAYS_MS: readonly number[] = [5_000, 20_000];
/** At most one round of re-reads per peer in this many ms. */
export const REREAD_EVERY_MS = 60_000;

/** What ActivityRefresh asks about a peer (by primary). */
export interface FaceSource {
  /** True when the cached profile already opens for us (a wrap for us, or a plain picture). */
  opensForUs(peer: string): Promise<boolean>;
  /** Reads the peer's profile from the relays again; true when it now opens for us. */
  reread(peer: string): Promise<boolean>;
}

/** Re-reads the profiles of peers in newly active conversations; see the note above. */
export class ActivityRefresh {
  /** When each peer's last round began, ms since the epoch. */
  private readonly roundStarted = new Map<string, number>();
  private readonly timers = new Set<unknown>();
  private stopped = false;

  constructor(
    private readonly source: FaceSource,
    private readonly clock: () => number = Date.now,
    private readonly timer: Timers = browserTimers,
  ) {}

  /** A conversation with `peer` became active: start a round unless one began in the last REREAD_EVERY_MS. */
  async noteActivity(peer: string): Promise<void> {
    const started = this.roundStarted.get(peer);
    if (this.stopped || (started !== undefined && this.clock() - started < REREAD_EVERY_MS)) {
      return;
    }
    this.roundStarted.set(peer, this.clock());
    if (await this.source.opensForUs(peer).catch(() => false)) {
      // Nothing to wait for; a later activity may check again.
      this.roundStarted.delete(peer);
      return;
    }
    this.schedule(peer, 0, 0);
  }

  /** Cancels every waiting re-read (the identity was locked). */
  stop(): void {
    this.stopped = true;
    for (const handle of this.timers) {
      this.timer.clearTimeout(handle);
    }
    this.timers.clear();
  }

  private schedule(peer: string, attempt: number, waited: number): void {
    const at = REREAD_DELAYS_MS[attempt];
    if (at === undefined || this.stopped) {
      return;
    }
    const handle = this.timer.setTimeout(() => {
      this.timers.delete(handle);
      void this.source
        .reread(peer)
        .catch(() => false)
        .then((opens) => {
          if (!opens) {
            this.schedule(peer, attempt + 1, at);
          }
        });
    }, at - waited);
    this.timers.add(handle);
  }
}

/**
 * Peers whose conversation moved past `watermark` (the highest `lastOrder` seen
 * before), and the new watermark. Message orders only grow, so this finds the
 * conversations with a message in or out, or a chat started, since the last look.
 */
export function newlyActive(
  conversations: readonly { readonly peer: string; readonly lastOrder: number }[],
  watermark: number,
): { peers: string[]; watermark: number } {
  const peers = conversations.filter((conversation) => conversation.lastOrder > watermark).map((conversation) => conversation.peer);
  return { peers, watermark: Math.max(watermark, ...conversations.map((conversation) => conversation.lastOrder)) };
}
