import { Logger } from '@nestjs/common';
import { ErrorCode, type NatsConnection, type NatsError, type Subscription } from 'nats';

import { INBOX_SUBJECT_PREFIX } from '@kez/protocol';

import { logHandle } from '../common/logging/log-privacy';
import { settleWithin } from '../common/time/settle-within';
import type { NatsClient } from '../nats/nats-client';
import { Broker, type InboxEvent, type InboxListener, type Unsubscribe } from './broker';
import type { LocalBroker } from './local-broker';

/** How long a publish waits for another instance to say whether a stream took the message. */
const REQUEST_TIMEOUT_MS = 2_000;
/** How long a new subscription waits for NATS to confirm it before the stream goes on regardless. */
const SUBSCRIBE_CONFIRM_MS = 1_000;

const TOOK = new Uint8Array([0x31]); // "1"
const NOT_TAKEN = new Uint8Array([0x30]); // "0"

export function inboxSubject(handle: string): string {
  return `${INBOX_SUBJECT_PREFIX}${handle}`;
}

/**
 * Fanout across instances over NATS, on `kez.chat.inbox.<handle>`.
 *
 * Streams on this instance are served by the local broker directly, before and
 * without NATS. An instance subscribes to a handle's subject only while it holds
 * a stream for it (counted per handle). A publish is a NATS request: every
 * instance holding streams for the handle gets the event and answers whether one
 * took it; the request resolves on the first answer. "No responders" means no
 * stream anywhere else: push is due unless one here took it.
 *
 * While NATS is away, publish answers for this instance alone, so a push goes out
 * unless a stream here took the message. Streams elsewhere miss the live event,
 * never the message: it is stored, and a stream catches up from the database as
 * soon as the next event shows a gap (`prev`), or when the client resumes.
 */
export class NatsBroker extends Broker {
  private readonly logger = new Logger('NatsBroker');
  /** Local streams per handle; a NATS subscription exists exactly while this is above zero. */
  private readonly streams = new Map<string, number>();
  private readonly subscriptions = new Map<string, Subscription>();
  private nc?: NatsConnection;

  constructor(
    private readonly nats: NatsClient,
    private readonly local: LocalBroker,
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

  async publish(handle: string, event: InboxEvent): Promise<boolean> {
    const tookHere = this.local.deliver(handle, event);
    const nc = this.nats.connection;
    if (!nc) {
      return tookHere;
    }
    try {
      const reply = await nc.request(inboxSubject(handle), encodeEvent(event), { timeout: REQUEST_TIMEOUT_MS });
      return tookHere || reply.data[0] === TOOK[0];
    } catch (error) {
      if ((error as NatsError).code !== ErrorCode.NoResponders) {
        this.logger.warn(`no answer about streams of ${logHandle(handle)} elsewhere (${String(error)}); counting it as not delivered there`);
      }
      return tookHere;
    }
  }

  async subscribe(handle: string, listener: InboxListener): Promise<Unsubscribe> {
    const unsubscribeLocal = await this.local.subscribe(handle, listener);
    const count = (this.streams.get(handle) ?? 0) + 1;
    this.streams.set(handle, count);
    if (count === 1 && this.nc) {
      this.listen(this.nc, handle);
      await this.confirmed();
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
      this.subscriptions.get(handle)?.unsubscribe();
      this.subscriptions.delete(handle);
    };
  }

  /** Events from other instances go to this instance's streams; the answer says whether one took it. */
  private listen(nc: NatsConnection, handle: string): void {
    if (this.subscriptions.has(handle)) {
      return;
    }
    const subscription = nc.subscribe(inboxSubject(handle), {
      callback: (error, msg) => {
        if (error) {
          return;
        }
        const event = decodeEvent(msg.data);
        const took = event !== undefined && this.local.deliver(handle, event);
        if (msg.reply) {
          msg.respond(took ? TOOK : NOT_TAKEN);
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

function encodeEvent(event: InboxEvent): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(event));
}

/** Only instances of this cluster publish here, but a malformed event must not reach a stream. */
function decodeEvent(data: Uint8Array): InboxEvent | undefined {
  try {
    const event = JSON.parse(new TextDecoder().decode(data)) as Partial<InboxEvent>;
    const isSeq = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
    if (isSeq(event.seq) && isSeq(event.prev) && isSeq(event.created_at) && typeof event.envelope === 'object' && event.envelope !== null) {
      return event as InboxEvent;
    }
  } catch {
    // dropped below
  }
  return undefined;
}
