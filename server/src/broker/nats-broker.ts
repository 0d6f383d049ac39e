import { Logger } from '@nestjs/common';
import { ErrorCode, type NatsConnection, type Subscription } from 'nats';

import { INBOX_SUBJECT_PREFIX } from '@kez/protocol';

import { logHandle } from '../common/logging/log-privacy';
import { settleWithin } from '../common/time/settle-within';
import type { NatsClient } from '../nats/nats-client';
import { Broker, type InboxEvent, type InboxListener, type MissedListener, type PublishOptions, type Unsubscribe } from './broker';
import { type ClusterPresence, PRESENCE_TTL_MS } from './cluster-presence';
import type { LocalBroker } from './local-broker';

/** How long a publish in doubt waits for another instance to say whether a stream took the message. */
const REQUEST_TIMEOUT_MS = 2_000;
/** How long a new subscription waits for NATS to confirm it before the stream goes on regardless. */
const SUBSCRIBE_CONFIRM_MS = 1_000;

const TOOK = new Uint8Array([0x31]); // "1"
const NOT_TAKEN = new Uint8Array([0x30]); // "0"

export function inboxSubject(handle: string): string {
  return `${INBOX_SUBJECT_PREFIX}${handle}`;
}

/**
 * An event on the wire. `wake` names the publishing instance when it counted on
 * the receivers' streams instead of pushing: a receiver whose stream closed in the
 * meantime then decides on the push in its place.
 */
interface WireEvent extends InboxEvent {
  wake?: string;
}

/**
 * Fanout across instances over NATS, on `kez.chat.inbox.<handle>`.
 *
 * Streams on this instance are served by the local broker directly, before and
 * without NATS. An instance subscribes to a handle's subject while it holds a
 * stream for it (counted per handle), and for PRESENCE_TTL_MS after the last one
 * closed, so an event sent on a stale presence entry still meets an instance
 * that can decide on the push.
 *
 * A publish is fire-and-forget: whether a stream elsewhere will take it comes from
 * ClusterPresence, the instances' announcements. When the table names a holder,
 * the event carries `wake`, and a holder whose stream is gone by then wakes the
 * recipient (unless the table names another holder). Only while the table is in
 * doubt (just after a (re)connect) is a publish a request that waits for the
 * holders' answer, as every publish used to be.
 *
 * While NATS is away, publish answers for this instance alone, so a push goes out
 * unless a stream here took the message. Streams elsewhere miss the live event,
 * never the message: it is stored, and a stream catches up from the database as
 * soon as the next event shows a gap (`prev`), or when the client resumes.
 */
export class NatsBroker extends Broker {
  private readonly logger = new Logger('NatsBroker');
  /** Local streams per handle; a NATS subscription exists while this is above zero, and lingers after. */
  private readonly streams = new Map<string, number>();
  private readonly subscriptions = new Map<string, Subscription>();
  /** Lingering subscriptions of handles with no stream left here, and when they end. */
  private readonly lingering = new Map<string, NodeJS.Timeout>();
  private readonly missedListeners: MissedListener[] = [];
  private nc?: NatsConnection;

  constructor(
    private readonly nats: NatsClient,
    private readonly local: LocalBroker,
    private readonly presence: ClusterPresence,
    private readonly lingerMs = PRESENCE_TTL_MS,
  ) {
    super();
    nats.whenConnected((nc) => {
      this.nc = nc;
      // Streams opened before NATS was first reached.
      for (const handle of this.streams.keys()) {
        this.listen(nc, handle);
      }
    });
  }

  async publish(handle: string, event: InboxEvent, options?: PublishOptions): Promise<boolean> {
    const tookHere = this.local.deliver(handle, event);
    const nc = this.nats.connection;
    if (!nc) {
      return tookHere;
    }
    if (this.presence.inDoubt()) {
      return (await this.request(nc, handle, event)) || tookHere;
    }
    const holders = this.presence.holders(handle);
    const wake = options?.wake !== false && !tookHere && holders.length > 0 ? this.presence.instanceId : undefined;
    try {
      nc.publish(inboxSubject(handle), encodeEvent(wake ? { ...event, wake } : event));
    } catch (error) {
      this.logger.warn(`live delivery of ${logHandle(handle)} elsewhere failed (${String(error)}); counting it as not delivered there`);
      return tookHere;
    }
    return tookHere || holders.length > 0;
  }

  onMissed(listener: MissedListener): void {
    this.missedListeners.push(listener);
  }

  async subscribe(handle: string, listener: InboxListener): Promise<Unsubscribe> {
    const unsubscribeLocal = await this.local.subscribe(handle, listener);
    const count = (this.streams.get(handle) ?? 0) + 1;
    this.streams.set(handle, count);
    if (count === 1) {
      clearTimeout(this.lingering.get(handle));
      this.lingering.delete(handle);
      this.presence.opened(handle);
      if (this.nc && !this.subscriptions.has(handle)) {
        this.listen(this.nc, handle);
        await this.confirmed();
      }
    }
    let done = false;
    return () => {
      if (done) {
        return;
      }
      done = true;
      unsubscribeLocal();
      const left = (this.streams.get(handle) ?? 1) - 1;
      if (left > 0) {
        this.streams.set(handle, left);
        return;
      }
      this.streams.delete(handle);
      this.presence.closed(handle);
      this.linger(handle);
    };
  }

  /** Keeps the handle's subscription until every instance has surely dropped the presence entry. */
  private linger(handle: string): void {
    const timer = setTimeout(() => {
      this.lingering.delete(handle);
      if (!this.streams.has(handle)) {
        this.subscriptions.get(handle)?.unsubscribe();
        this.subscriptions.delete(handle);
      }
    }, this.lingerMs);
    timer.unref();
    this.lingering.set(handle, timer);
  }

  /** Asks every instance holding streams for the handle, and waits for the first answer. */
  private async request(nc: NatsConnection, handle: string, event: InboxEvent): Promise<boolean> {
    try {
      const reply = await nc.request(inboxSubject(handle), encodeEvent(event), { timeout: REQUEST_TIMEOUT_MS });
      return reply.data[0] === TOOK[0];
    } catch (error) {
      if ((error as { code?: unknown }).code !== ErrorCode.NoResponders) {
        this.logger.warn(`no answer about streams of ${logHandle(handle)} elsewhere (${String(error)}); counting it as not delivered there`);
      }
      return false;
    }
  }

  /** Events from other instances go to this instance's streams; a request's answer says whether one took it. */
  private listen(nc: NatsConnection, handle: string): void {
    if (this.subscriptions.has(handle)) {
      return;
    }
    const subscription = nc.subscribe(inboxSubject(handle), {
      callback: (error, msg) => {
        if (error) {
          return;
        }
        const decoded = decodeEvent(msg.data);
        const took = decoded !== undefined && this.local.deliver(handle, decoded.event);
        if (msg.reply) {
          // Only an instance with a stream answers: a lingering subscription's "no"
          // must not be the first answer and hide a holder's "yes".
          if (this.streams.has(handle)) {
            msg.respond(took ? TOOK : NOT_TAKEN);
          }
        } else if (decoded?.wake && !took && this.presence.holders(handle, [decoded.wake]).length === 0) {
          // The publisher counted on a stream here, which closed meanwhile, and nobody else holds one.
          this.missedListeners.forEach((missed) => missed(handle));
        }
      },
    });
    this.subscriptions.set(handle, subscription);
  }

  /**
   * Waits until the NATS server has the subscription, so every event published
   * afterwards reaches it. While NATS is away there is nothing to wait for: the
   * stream catches up from the database when the next event shows a gap.
   */
  private async confirmed(): Promise<void> {
    const nc = this.nats.connection;
    if (!nc) {
      return;
    }
    await settleWithin(nc.flush(), SUBSCRIBE_CONFIRM_MS, undefined);
  }
}

function encodeEvent(event: WireEvent): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(event));
}

/** Only instances of this cluster publish here, but a malformed event must not reach a stream. */
function decodeEvent(data: Uint8Array): { event: InboxEvent; wake?: string } | undefined {
  try {
    const { wake, ...event } = JSON.parse(new TextDecoder().decode(data)) as Partial<WireEvent>;
    const isSeq = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
    if (isSeq(event.seq) && isSeq(event.prev) && isSeq(event.created_at) && typeof event.envelope === 'object' && event.envelope !== null) {
      return { event: event as InboxEvent, wake: typeof wake === 'string' ? wake : undefined };
    }
  } catch {
    // dropped below
  }
  return undefined;
}
