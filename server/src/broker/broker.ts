import type { StoredMessage } from '@kez/protocol';

/**
 * A stored message on its way to live streams. `prev` is the recipient's previous
 * `seq` (0 for the first), read under the same lock that ordered the insert, so a
 * stream can tell whether it missed one: a broker across instances may deliver late,
 * out of order or not at all, and the stream then catches up from the database.
 */
export interface InboxEvent extends StoredMessage {
  prev: number;
}

export type InboxListener = (event: InboxEvent) => void;

/** Called with a handle whose event this instance was asked to deliver, when no stream here (or anywhere known) took it. */
export type MissedListener = (handle: string) => void;

/** Stops a subscription; calling it twice is harmless. */
export type Unsubscribe = () => void;

/**
 * Live fanout of new messages to the open streams of their recipient, on every
 * instance. The abstract class is the DI token: the in-process broker serves one
 * instance, a NATS broker (`kez.chat.inbox.<handle>`) a cluster, and Inbox
 * uses this interface only.
 */
/** How an event is published. */
export interface PublishOptions {
  /**
   * false when the message must wake nobody (`"push": false`): no instance then
   * decides on a push in the publisher's place. Default true.
   */
  wake?: boolean;
}

export abstract class Broker {
  /**
   * Delivers `event` to every subscriber of `handle`; resolves whether a live
   * stream (on any instance) took it or holds it, which is what decides on Web Push
   * (a holder whose stream closed meanwhile decides in its place: `onMissed`).
   * Called only once the message is durable, in commit order per recipient.
   */
  abstract publish(handle: string, event: InboxEvent, options?: PublishOptions): Promise<boolean>;

  /**
   * Resolves once the subscription is in place, i.e. every event published after
   * that reaches `listener`; a stream subscribes before it reads its backlog.
   * The listener must not throw and must not block.
   */
  abstract subscribe(handle: string, listener: InboxListener): Promise<Unsubscribe>;

  /**
   * Registers who decides on Web Push for events another instance handed to this
   * one, counting on a stream here that has closed since (see NatsBroker). A
   * single instance never hands events over, so the local broker never calls it.
   */
  abstract onMissed(listener: MissedListener): void;
}
