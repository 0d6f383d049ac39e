import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from 'nats';

import { AppConfig } from '../config/app-config';
import { NatsClient } from '../nats/nats-client';
import { fullListParts, type PresenceNews, PresenceTable } from './presence-table';

/** `kez.chat.presence.<instance id>`: that instance's announcements, in the order it sends them. */
export const PRESENCE_SUBJECT_PREFIX = 'kez.chat.presence.';
/** Asks every instance to announce its full list now (sent by an instance that just (re)connected). */
export const PRESENCE_SYNC_SUBJECT = 'kez.chat.presence-sync';
/** How often each instance announces its full list, which also says it is alive. */
export const PRESENCE_REFRESH_MS = 5_000;
/** An instance not heard from for this long is forgotten with its streams (it crashed, or lost NATS). */
export const PRESENCE_TTL_MS = 15_000;
/** After (re)connecting, the others' lists may not all be in yet: until then the table is in doubt. */
const SYNC_WAIT_MS = 2_000;
/** Handles per `all` message, so a list of 10,000 streams stays well under NATS's 1 MB payload limit. */
const PART_SIZE = 1_000;

/**
 * The name a relay reader (a key with a `REQ` open on the inbox relay) is announced
 * under; a colon never occurs in a handle, so the two kinds of names cannot meet.
 */
export function relayReaderName(pubkey: string): string {
  return `relay-reader:${pubkey}`;
}

/**
 * This cluster's view of where live inbox streams (and relay readers) are open, kept from the
 * instances' announcements instead of asked per message (a round trip each).
 *
 * Each instance announces a handle on `kez.chat.presence.<id>` when its first
 * stream for it opens and when its last one closes, and its full list every
 * PRESENCE_REFRESH_MS and whenever an instance asks on `kez.chat.presence-sync`
 * (every instance asks when it connects or reconnects). An instance silent for
 * PRESENCE_TTL_MS — killed, or cut from NATS — drops out of the table.
 *
 * The inbox relay announces its readers the same way, under `relayReaderName`.
 *
 * `inDoubt()` is true for SYNC_WAIT_MS after each (re)connect: the table may
 * still miss streams, and callers then confirm by asking (the old request).
 */
@Injectable()
export class ClusterPresence implements OnApplicationShutdown {
  private readonly logger = new Logger('ClusterPresence');
  private readonly table = new PresenceTable(PRESENCE_TTL_MS);
  /** Handles this instance holds streams for, as announced. */
  private readonly held = new Set<string>();
  private doubtUntil = Number.POSITIVE_INFINITY;
  private generation = 0;
  private refresher?: NodeJS.Timeout;

  constructor(
    private readonly nats: NatsClient,
    private readonly config: AppConfig,
  ) {
    if (!nats.enabled) {
      return;
    }
    nats.whenConnected((nc) => this.start(nc));
    nats.whenReconnected((nc) => this.sync(nc));
  }

  /** This instance's id, as it appears in other instances' tables. */
  get instanceId(): string {
    return this.config.instanceId;
  }

  /** True while the table may miss streams (just connected or reconnected): confirm by asking. */
  inDoubt(): boolean {
    return Date.now() < this.doubtUntil;
  }

  /** Other live instances that announced a stream for `handle`, except those in `except`. */
  holders(handle: string, except: readonly string[] = []): string[] {
    return this.table.holders(handle, except);
  }

  /**
   * Whether another instance holds `name` (a handle's stream, or a relay reader's
   * `relayReaderName`), from the table without a round trip. While the table is
   * in doubt the answer is `confirm`'s instead (a request that the holders
   * answer); while NATS is away it is false: only this instance counts then.
   */
  async heldElsewhere(name: string, confirm: (nc: NatsConnection) => Promise<boolean>): Promise<boolean> {
    const nc = this.nats.connection;
    if (!nc) {
      return false;
    }
    return this.inDoubt() ? confirm(nc) : this.holders(name).length > 0;
  }

  /** A first stream for `handle` opened here. */
  opened(handle: string): void {
    this.held.add(handle);
    this.announce({ op: 'open', handles: [handle] });
  }

  /** The last stream for `handle` here closed. */
  closed(handle: string): void {
    this.held.delete(handle);
    this.announce({ op: 'close', handles: [handle] });
  }

  onApplicationShutdown(): void {
    clearInterval(this.refresher);
  }

  private start(nc: NatsConnection): void {
    nc.subscribe(`${PRESENCE_SUBJECT_PREFIX}*`, {
      callback: (error, msg) => {
        const instance = msg?.subject.slice(PRESENCE_SUBJECT_PREFIX.length);
        const news = error ? undefined : decodeNews(msg.data);
        if (instance && news && instance !== this.instanceId) {
          this.table.apply(instance, news);
        }
      },
    });
    nc.subscribe(PRESENCE_SYNC_SUBJECT, { callback: (error) => (error ? undefined : this.announceAll()) });
    this.refresher = setInterval(() => this.announceAll(), PRESENCE_REFRESH_MS).unref();
    this.sync(nc);
  }

  /** Tells the others everything held here and asks them for theirs; in doubt until they had time to answer. */
  private sync(nc: NatsConnection): void {
    this.doubtUntil = Date.now() + SYNC_WAIT_MS;
    this.announceAll();
    nc.publish(PRESENCE_SYNC_SUBJECT);
  }

  private announceAll(): void {
    fullListParts(++this.generation, [...this.held], PART_SIZE).forEach((news) => this.announce(news));
  }

  private announce(news: PresenceNews): void {
    const nc = this.nats.connection;
    if (!nc) {
      // Lost with NATS; the full list goes out again on reconnect.
      return;
    }
    try {
      nc.publish(`${PRESENCE_SUBJECT_PREFIX}${this.instanceId}`, JSON.stringify(news));
    } catch (error) {
      this.logger.warn(`announcing streams failed: ${String(error)}`);
    }
  }
}

/** Only instances of this cluster publish here, but a malformed announcement must not corrupt the table. */
function decodeNews(data: Uint8Array): PresenceNews | undefined {
  try {
    const news = JSON.parse(new TextDecoder().decode(data)) as Partial<PresenceNews> & { gen?: unknown; last?: unknown };
    const handlesOk = Array.isArray(news.handles) && news.handles.every((h) => typeof h === 'string');
    if (!handlesOk) {
      return undefined;
    }
    if (news.op === 'open' || news.op === 'close') {
      return news as PresenceNews;
    }
    if (news.op === 'all' && Number.isSafeInteger(news.gen) && typeof news.last === 'boolean') {
      return news as PresenceNews;
    }
  } catch {
    // dropped below
  }
  return undefined;
}
