import { Injectable, Logger } from '@nestjs/common';
import type { Event } from '@nostr-relay/common';
import type { NatsConnection, Subscription } from 'nats';

import { ClusterPresence, relayReaderName } from '../broker/cluster-presence';
import { answered } from '../broker/probe';
import { NatsClient } from '../nats/nats-client';
import { LiveSubscriptions } from './live-subscriptions';
import { checkEvent } from './message-shape';

/** Every event one instance accepts, for the live `REQ`s of the others. */
export const RELAY_EVENTS_SUBJECT = 'kez.chat.relay.events';
/**
 * `kez.chat.relay.reader.<pubkey>`: held by an instance while that key has a
 * subscription open there; asked only while the presence table is in doubt.
 */
export const RELAY_READER_PREFIX = 'kez.chat.relay.reader.';
const READER_PROBE_TIMEOUT_MS = 1_000;

/**
 * Cluster fanout of the relay over NATS. An accepted event is published once on
 * `kez.chat.relay.events`; every other instance (the connection does not echo)
 * hands it to its own live subscriptions. Whether a key reads anywhere (no push
 * then) comes from ClusterPresence: each instance announces the keys that read
 * there (`relayReaderName`), so the check costs no round trip per event. Only
 * while that table is in doubt (just after a (re)connect) is it a request on the
 * key's reader subject, which only instances with a subscription of that key
 * hold. Without NATS both are this instance alone.
 * A subscriber that misses a live event (NATS away, instance restart) loses
 * nothing: the event is stored, and a `REQ` with `since` returns it.
 */
@Injectable()
export class RelayFanout {
  private readonly logger = new Logger('RelayFanout');
  private readonly readerSubscriptions = new Map<string, Subscription>();
  /** Keys announced as reading here (ClusterPresence counts per name, so each is announced once). */
  private readonly announced = new Set<string>();
  private nc?: NatsConnection;

  constructor(
    private readonly nats: NatsClient,
    readonly live: LiveSubscriptions,
    private readonly presence: ClusterPresence,
  ) {
    nats.whenConnected((nc) => {
      this.nc = nc;
      nc.subscribe(RELAY_EVENTS_SUBJECT, { callback: (error, msg) => (error ? undefined : this.receive(msg.data)) });
      this.syncReaders();
    });
  }

  /** Delivers here, then to the other instances; true when a subscription of the event's recipient here took it. */
  publish(event: Event): boolean {
    const took = this.live.deliver(event);
    this.nats.connection?.publish(RELAY_EVENTS_SUBJECT, new TextEncoder().encode(JSON.stringify(event)));
    return took;
  }

  /** Whether `pubkey` has a subscription open on any instance. */
  async isReading(pubkey: string): Promise<boolean> {
    if (this.live.isReading(pubkey)) {
      return true;
    }
    return this.presence.heldElsewhere(relayReaderName(pubkey), (nc) => answered(nc, RELAY_READER_PREFIX + pubkey, new Uint8Array(0), READER_PROBE_TIMEOUT_MS));
  }

  /**
   * Announces exactly the keys that read here now, and holds a reader subject for
   * each (for the requests made in doubt); call after every REQ, CLOSE and disconnect.
   */
  syncReaders(): void {
    const readers = this.live.readers();
    for (const pubkey of this.announced) {
      if (!readers.has(pubkey)) {
        this.announced.delete(pubkey);
        this.presence.closed(relayReaderName(pubkey));
      }
    }
    for (const pubkey of readers) {
      if (!this.announced.has(pubkey)) {
        this.announced.add(pubkey);
        this.presence.opened(relayReaderName(pubkey));
      }
    }
    const nc = this.nc;
    if (!nc) {
      return;
    }
    for (const [pubkey, subscription] of this.readerSubscriptions) {
      if (!readers.has(pubkey)) {
        subscription.unsubscribe();
        this.readerSubscriptions.delete(pubkey);
      }
    }
    for (const pubkey of readers) {
      if (!this.readerSubscriptions.has(pubkey)) {
        this.readerSubscriptions.set(
          pubkey,
          nc.subscribe(RELAY_READER_PREFIX + pubkey, { callback: (error, msg) => (error ? undefined : msg.respond(new Uint8Array([0x31]))) }),
        );
      }
    }
  }

  private receive(data: Uint8Array): void {
    try {
      this.live.deliver(checkEvent(JSON.parse(new TextDecoder().decode(data))));
    } catch (error) {
      // Only instances of this cluster publish here; a malformed event must still not reach a client.
      this.logger.warn(`dropped a malformed relay event from NATS: ${String(error)}`);
    }
  }
}
