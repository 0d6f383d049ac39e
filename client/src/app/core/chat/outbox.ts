import { type Identity, newMessageId, nowSeconds, sealV2 } from '@kez/crypto';
import { directMessageId } from '@kez/nostr';
import type { BackoffPolicy } from '@kez/protocol';

import { ApiError } from '../api/api-error';
import { failureText } from '../api/failure-text';
import type { HomeServer } from '../api/home-server';
import { Backoff } from '../transport/backoff';
import { browserTimers, type Timers } from '../transport/timers';
import type { ChatBook } from './chat-book';
import type { ChatRepository } from './chat-repository';
import type { PeerAddress, SendReport } from '../nostr/transport';
import { HOME_PATH } from './home-transport';
import { type ChatMessage, type Conversation, laterStatus } from './model';
import type { OrderClock } from './order-clock';
import { adoptQueued, type OutboxRequest, type OutboxSharing } from './outbox-share';
import { sealSelfCopy } from './self-copy';
import { sendProblem } from './send-problem';

/** What a message that was in flight when the page closed says while it waits its turn again. */
const INTERRUPTED = 'Waiting to send: the page closed before the server answered. It goes out by itself.';

/** Longest message the composer takes; far below the envelope limit once sealed. */
export const MAX_MESSAGE_LENGTH = 10_000;

/**
 * How long the relays wait for the home server's answer before they go anyway (a
 * server that is down but keeps the connection open must not hold them back long).
 */
export const HOME_VERDICT_MS = 3_000;

/** Waits between attempts while the server cannot be reached (before `wake` cuts one short). */
export const OUTBOX_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000, factor: 2, jitter: -0.3 };

/**
 * A queued message older than this is resealed with the current time: recipients
 * refuse a `sent_at` more than 7 days before the inbox row (contract §5).
 */
const RESEAL_AFTER_SECONDS = 6 * 24 * 60 * 60;

export interface OutboxOptions {
  readonly identity: Identity;
  /** Our own handle: where copies to self are posted. */
  readonly selfHandle: string;
  readonly api: HomeServer;
  readonly book: ChatBook;
  readonly repository: ChatRepository;
  readonly clock: OrderClock;
  readonly timers?: Timers;
  /** Unix seconds. */
  readonly now?: () => number;
  /** The relays as a second path (absent, or returning null, while this tab runs none). */
  readonly relays?: () => RelayRoute | null;
  /**
   * Whether this tab sends (the leading tab of the browser; default: always). A tab
   * that does not lead stores what it queues and hands it to the leader through `sharing`.
   */
  readonly leads?: () => boolean;
  /** The other tabs (absent: this tab is alone). */
  readonly sharing?: OutboxSharing;
}

/** What the queue asks of the relay path: send a message (its id and `sent_at` fixed) to a peer. */
export interface RelayRoute {
  /** Sends over relays, calling `onAccepted` at each acceptance; never rejects for a refusal. */
  send(peer: PeerAddress, content: { id: string; body: string; sent_at: number }, onAccepted: (path: string) => void): Promise<SendReport>;
  /** Sends a NIP-17 DM to a nostr user, its rumor dated `createdAt` (so its id is `directMessageId`). */
  sendDirect(pubkey: string, text: string, createdAt: number, onAccepted: (path: string) => void): Promise<SendReport>;
}

/** What the queue does after one attempt. */
type Step = 'next' | 'wait';

/**
 * The send path as a persistent queue. A message is on screen at once and stored as
 * `queued`; the queue sends messages one at a time in the order they were written:
 * sealed (envelope v2) and posted to the peer, then a copy sealed to ourselves posted
 * to our own inbox with `"push": false` (contract §5), so other devices and a restore
 * get our side back.
 *
 * A failure that can pass (no connection, server trouble, a rate limit) leaves the
 * message `queued` with what it waits for, and the queue waits: for `Retry-After`
 * after a 429, for a backoff delay otherwise, or for `wake()` (the link is live again,
 * the browser is online, the person asked). A failure that cannot pass (unknown
 * recipient, refused) marks the message `failed` with the reason and the queue moves on.
 * Every attempt keeps the message id, so if an earlier attempt did arrive after all
 * the recipient drops the second copy: each message shows up once.
 *
 * Of several tabs only the leading one runs the queue: the others store what they
 * queue and hand it over (`OutboxRequest`), and show what the leader settled.
 */
export class Outbox {
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly backoff = new Backoff(OUTBOX_BACKOFF);
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  /** A wake arrived while the queue was running: run again once it stops. */
  private again = false;
  private stopped = false;

  constructor(private readonly options: OutboxOptions) {
    this.timers = options.timers ?? browserTimers;
    this.now = options.now ?? nowSeconds;
  }

  private get leads(): boolean {
    return this.options.leads?.() ?? true;
  }

  /** Shows the message, stores it in the queue, and starts sending; resolves when the queue has done what it can now. */
  async send(peer: string, text: string): Promise<void> {
    const body = text.trim();
    if (body === '' || body.length > MAX_MESSAGE_LENGTH) {
      return;
    }
    const now = this.now();
    const nostr = this.options.book.conversation(peer)?.nostr;
    const message: ChatMessage = {
      // A NIP-17 message's id is its rumor's, so the copy to self that comes back is known.
      id: nostr ? directMessageId(this.options.identity.addr, nostr.pubkey, body, now) : newMessageId(),
      peer,
      direction: 'out',
      body,
      sentAt: now,
      order: this.options.clock.next(),
      status: 'queued',
    };
    const conversation = this.options.book.add(message);
    if (conversation === null) {
      throw new Error('no conversation with this peer');
    }
    await this.options.repository.saveMessage(message, conversation);
    await this.handOver(message, conversation);
  }

  /** Puts a failed message back in the queue (or sends a queued one now). */
  async retry(peer: string, id: string): Promise<void> {
    const message = this.options.book.message(peer, id);
    if (message?.status !== 'failed' && message?.status !== 'queued') {
      return;
    }
    const queued = message.status === 'failed' ? await this.settle(message, { status: 'queued' }) : message;
    const conversation = this.options.book.conversation(peer);
    if (conversation !== undefined) {
      await this.handOver(queued, conversation);
    }
  }

  /**
   * Leading tab: a request from another tab. A message it queued joins this queue
   * (it is stored already) and the queue runs; resolves when it has done what it can.
   */
  take(request: OutboxRequest): Promise<void> {
    if (request.kind === 'queued' && !adoptQueued(this.options.book, request.message, request.conversation)) {
      return Promise.resolve();
    }
    return this.wake();
  }

  /**
   * A message just queued (stored): this tab sends it when it leads (and shows it in
   * the other tabs at once, not at its first attempt, which may wait behind others),
   * else the leader does.
   */
  private handOver(message: ChatMessage, conversation: Conversation): Promise<void> {
    if (this.leads) {
      this.options.sharing?.shareSettled(message, conversation);
      return this.wake();
    }
    this.options.sharing?.requestOutbox({ kind: 'queued', message, conversation });
    return Promise.resolve();
  }

  /**
   * Messages still `sending` when the page closed got no answer: they go back in the
   * queue (the recipient drops a copy it already has), then the queue starts.
   */
  async resume(): Promise<void> {
    await this.requeueInterrupted();
    await this.wake();
  }

  /** The first half of `resume`: messages left `sending` go back in the queue, which does not start yet. */
  async requeueInterrupted(): Promise<void> {
    for (const message of this.pending().filter((candidate) => candidate.status === 'sending')) {
      await this.settle(message, { status: 'queued', error: INTERRUPTED });
    }
  }

  /**
   * A path may be back: try now rather than when the backoff says. Resolves when the
   * queue has done what it can. In a tab that does not lead, the leader is asked to.
   */
  wake(): Promise<void> {
    if (this.stopped) {
      return Promise.resolve();
    }
    if (!this.leads) {
      this.options.sharing?.requestOutbox({ kind: 'wake' });
      return Promise.resolve();
    }
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** No more attempts (the identity was locked); what is queued stays stored for next time. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      // Messages first, copies to self after: a copy waiting for the home server must
      // not hold back messages the relays can carry meanwhile.
      if (
        (await this.drain(
          () => this.pending().find((m) => m.status === 'queued' || m.status === 'sending'),
          (m) => this.deliver(m),
        )) === 'wait'
      ) {
        break;
      }
      await this.drain(
        () => this.pending().find((m) => m.copyPending === true && (m.status === 'sent' || m.status === 'delivered')),
        (m) => this.copyToSelf(m),
      );
    } while (this.again && !this.stopped && this.timer === null);
  }

  /** Attempts `next()` until none is left, one waits, or the queue stops. */
  private async drain(next: () => ChatMessage | undefined, attempt: (message: ChatMessage) => Promise<Step>): Promise<Step> {
    // Each attempt moves its message on (sent, failed, or waiting); the set only guards
    // against looping on one that somehow did not.
    const tried = new Set<string>();
    for (let message = next(); message !== undefined && !this.stopped; message = next()) {
      const key = `${message.peer}\u0000${message.id}\u0000${message.status}`;
      if (tried.has(key)) {
        break;
      }
      tried.add(key);
      if ((await attempt(message)) === 'wait') {
        return 'wait';
      }
    }
    return 'next';
  }

  /** Outgoing messages with work left, oldest first. */
  private pending(): ChatMessage[] {
    const waiting: ChatMessage[] = [];
    for (const thread of this.options.book.state.threads.values()) {
      for (const message of thread) {
        if (message.direction === 'out' && (message.status === 'queued' || message.status === 'sending' || message.copyPending === true)) {
          waiting.push(message);
        }
      }
    }
    return waiting.sort((a, b) => a.order - b.order);
  }

  /**
   * One attempt over every path at once: the home server (when the peer has a handle)
   * and the relays (when this tab runs them and the peer's addr is known). The first
   * path to accept makes the message `sent` and is kept as `via`; only when no path
   * took it does the home server's answer decide between waiting and failing.
   */
  private async deliver(queued: ChatMessage): Promise<Step> {
    const conversation = this.options.book.conversation(queued.peer);
    if (conversation?.nostr) {
      return this.deliverDirect(queued, conversation.nostr.pubkey);
    }
    const handle = conversation?.handle ?? null;
    const route = conversation?.addr ? (this.options.relays?.() ?? null) : null;
    if (!handle && route === null) {
      await this.settle(queued, { status: 'failed', error: 'Not sent: this person has no handle on the server, so there is nowhere to send it.' });
      return 'next';
    }
    const sentAt = this.now() - queued.sentAt > RESEAL_AFTER_SECONDS ? this.now() : queued.sentAt;
    const message = await this.settle(queued, { status: 'sending', sentAt });
    const accepted: string[] = [];
    const content = { id: message.id, body: message.body, sent_at: message.sentAt };
    let homeError: unknown = null;
    let relaysStarted = false;
    const home: Promise<void> | null = handle
      ? this.options.api.postMessage(handle, sealV2(this.options.identity, message.peer, content)).then(
          () => void accepted.push(HOME_PATH),
          (error: unknown) => void (homeError = error),
        )
      : null;
    // The home server's word on the recipient comes first: a refusal for good (no such
    // handle, refused envelope) fails the message and the relays never see it. The relays
    // go as soon as the server answered otherwise, or once it kept silent for HOME_VERDICT_MS.
    const relayed: Promise<SendReport | null> =
      route === null
        ? Promise.resolve(null)
        : this.homeVerdict(home).then(() => {
            if (homeError !== null && sendProblem(homeError).kind === 'final') {
              return null;
            }
            relaysStarted = true;
            return route
              .send({ primary: message.peer, addr: conversation!.addr!, ...(handle ? { handle } : {}) }, content, (path) => accepted.push(path))
              .catch(() => null);
          });
    await home;
    if (homeError !== null && sendProblem(homeError).kind === 'final' && !relaysStarted) {
      return this.failed(message, homeError);
    }
    if (accepted.length === 0) {
      // The home server failed (or there is none for this peer): the relays decide. While
      // they try (a relay that is down takes a while to say so), say what the server's failure waits for.
      const problem = homeError === null ? null : sendProblem(homeError);
      if (route !== null && problem?.kind === 'waits') {
        await this.settle(message, { status: 'queued', error: problem.waiting });
      }
      const report = await relayed;
      if (accepted.length === 0) {
        const reasons = report?.refused.map(({ path, reason }) => `${path}: ${reason}`).join('; ') || 'no relay answered';
        if (homeError !== null) {
          return this.failed(message, homeError, route === null ? undefined : reasons);
        }
        await this.settle(message, { status: 'queued', error: `Waiting to send: no relay took it yet (${reasons}). It goes out by itself.` });
        return this.waitAfter(null);
      }
    }
    this.backoff.reset();
    const sent = await this.settle(message, { status: 'sent', via: accepted[0], copyPending: true, error: undefined });
    // A copy that must wait (server down) is retried after the messages (see run).
    await this.copyToSelf(sent);
    return 'next';
  }

  /** Resolves when the home post settled (`home`, null without one) or HOME_VERDICT_MS passed, whichever is first. */
  private homeVerdict(home: Promise<void> | null): Promise<void> {
    if (home === null) {
      return Promise.resolve();
    }
    let timer: unknown = null;
    const silence = new Promise<void>((resolve) => {
      timer = this.timers.setTimeout(resolve, HOME_VERDICT_MS);
    });
    return Promise.race([home, silence]).finally(() => this.timers.clearTimeout(timer));
  }

  /** A NIP-17 chat: relays only, and its copy to self is the gift wrap for ourselves (no home-server copy). */
  private async deliverDirect(queued: ChatMessage, pubkey: string): Promise<Step> {
    const route = this.options.relays?.() ?? null;
    if (route === null) {
      await this.settle(queued, { status: 'queued', error: 'Waiting for the nostr relays: this chat travels over them only. It goes out by itself.' });
      return 'wait';
    }
    const message = await this.settle(queued, { status: 'sending' });
    const accepted: string[] = [];
    let report: SendReport;
    try {
      report = await route.sendDirect(pubkey, message.body, message.sentAt, (path) => accepted.push(path));
    } catch (error) {
      await this.settle(message, { status: 'failed', error: `Not sent: ${error instanceof Error ? error.message : String(error)}` });
      return 'next';
    }
    if (accepted.length === 0) {
      const reasons = report.refused.map(({ path, reason }) => `${path}: ${reason}`).join('; ') || 'no relay answered';
      await this.settle(message, { status: 'queued', error: `Waiting to send: no relay took it yet (${reasons}). It goes out by itself.` });
      return this.waitAfter(null);
    }
    this.backoff.reset();
    await this.settle(message, { status: 'sent', via: accepted[0] });
    return 'next';
  }

  /** Our own side, for our other devices and a restore; never shown as a problem, since the peer has the message. */
  private async copyToSelf(message: ChatMessage): Promise<Step> {
    try {
      await this.options.api.postMessage(this.options.selfHandle, sealSelfCopy(this.options.identity, message), { push: false });
    } catch (error) {
      if (sendProblem(error).kind === 'waits') {
        return this.waitAfter(error);
      }
      // Refused for good (e.g. our handle is gone): nothing to retry, the message itself went out.
    }
    this.backoff.reset();
    await this.settle(message, {});
    return 'next';
  }

  /** A failed post: back in the queue to wait, or failed for good with the reason; `relays` says why no relay took it either. */
  private async failed(message: ChatMessage, error: unknown, relays?: string): Promise<Step> {
    const problem = sendProblem(error, relays);
    if (problem.kind === 'final') {
      await this.settle(message, { status: 'failed', error: failureText(error, 'send') });
      return 'next';
    }
    await this.settle(message, { status: 'queued', error: problem.waiting });
    return this.waitAfter(error);
  }

  /** Schedules the next run: after `Retry-After` for a 429, after the backoff otherwise. */
  private waitAfter(error: unknown): Step {
    const retryAfter = error instanceof ApiError && error.code === 'rate_limited' ? error.retryAfter : null;
    const delayMs = retryAfter !== null ? Math.max(1, retryAfter) * 1000 : this.backoff.next();
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
    }
    if (!this.stopped) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = null;
        void this.wake();
      }, delayMs);
    }
    return 'wait';
  }

  private async settle(message: ChatMessage, change: Partial<Pick<ChatMessage, 'status' | 'error' | 'sentAt' | 'copyPending' | 'via'>>): Promise<ChatMessage> {
    const { book, repository } = this.options;
    // A receipt may have come in while this attempt ran: the tick never goes back.
    const current = book.message(message.peer, message.id)?.status ?? message.status;
    const moved = change.status === undefined ? change : { ...change, status: laterStatus(current, change.status) };
    const updated = book.update(message.peer, message.id, moved) ?? message;
    const conversation = book.conversation(message.peer);
    if (conversation !== undefined) {
      await repository.saveMessage(updated, conversation);
      if (this.leads) {
        this.options.sharing?.shareSettled(updated, conversation);
      }
    }
    return updated;
  }
}
