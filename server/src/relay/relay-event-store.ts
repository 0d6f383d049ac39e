import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type Event, EventRepository, type EventRepositoryUpsertResult, type Filter } from '@nostr-relay/common';
import { type Filter as NostrFilter, matchFilter } from 'nostr-tools/filter';
import { from, mergeAll, type Observable } from 'rxjs';
import { Brackets, In, LessThan, type Repository } from 'typeorm';

import { nowSeconds } from '@kez/crypto';

import { Transactions } from '../database/serialized-transactions';
import { uniqueViolationTarget } from '../database/unique-violation';
import { expirationOf, PRIVATE_KINDS, PUBLIC_KINDS, recipientOf } from './inbox-policy';
import { RelayEventEntity } from './relay-event.entity';
import { dropAnsweredStoreErrors, StoreUnavailable } from './store-unavailable';

/** Events one filter returns at most (a client pages further with `until`). */
export const MAX_FILTER_LIMIT = 500;
/** Rows read to answer a filter with tag conditions the database does not index, before they are matched here. */
const TAG_SCAN_ROWS = 5_000;

/**
 * The relay's event repository (the `EventRepository` of @nostr-relay/core) on
 * the server's own database. Regular events are inserted once per id — the
 * primary key decides, so across a cluster exactly one instance accepts an
 * event and pushes for it. Replaceable kinds (0, 10002, 10050) keep the newest
 * per author. Expired (NIP-40) events are never served.
 */
@Injectable()
export class RelayEventStore extends EventRepository {
  private readonly logger = new Logger('RelayEventStore');

  constructor(
    @InjectRepository(RelayEventEntity) private readonly rows: Repository<RelayEventEntity>,
    private readonly transactions: Transactions,
  ) {
    super();
    dropAnsweredStoreErrors();
  }

  isSearchSupported(): boolean {
    return false;
  }

  /** Stores `event`; throws StoreUnavailable (a message fit for clients) when the database fails. */
  async upsert(event: Event): Promise<EventRepositoryUpsertResult> {
    return this.guard('stored', () => this.store(event));
  }

  private async store(event: Event): Promise<EventRepositoryUpsertResult> {
    const row: RelayEventEntity = {
      id: event.id,
      pubkey: event.pubkey,
      kind: event.kind,
      createdAt: event.created_at,
      recipient: recipientOf(event) ?? null,
      expiresAt: expirationOf(event),
      receivedAt: nowSeconds(),
      raw: JSON.stringify(event),
    };
    if (PUBLIC_KINDS.includes(event.kind)) {
      return this.replace(row);
    }
    return { isDuplicate: !(await this.insertOnce(row)) };
  }

  /** Events matching one NIP-01 filter, newest first; throws StoreUnavailable when the database fails. */
  async find(filter: Filter): Promise<Event[]> {
    return this.guard('read', () => this.query(filter));
  }

  private async query(filter: Filter): Promise<Event[]> {
    const limit = Math.min(filter.limit ?? MAX_FILTER_LIMIT, MAX_FILTER_LIMIT);
    if (limit === 0) {
      return [];
    }
    const query = this.rows.createQueryBuilder('e').select('e.raw', 'raw');
    const now = nowSeconds();
    query.where(new Brackets((q) => q.where('e.expires_at IS NULL').orWhere('e.expires_at > :now', { now })));
    if (filter.ids) {
      query.andWhere('e.id IN (:...ids)', { ids: orNone(filter.ids) });
    }
    if (filter.authors) {
      query.andWhere('e.pubkey IN (:...authors)', { authors: orNone(filter.authors) });
    }
    if (filter.kinds) {
      query.andWhere('e.kind IN (:...kinds)', { kinds: filter.kinds.length > 0 ? filter.kinds : [-1] });
    }
    if (filter.since !== undefined) {
      query.andWhere('e.created_at >= :since', { since: filter.since });
    }
    if (filter.until !== undefined) {
      query.andWhere('e.created_at <= :until', { until: filter.until });
    }
    // The recipient column answers `#p`/`#q` when every kind asked for routes by that tag.
    const routing = recipientTag(filter);
    if (routing) {
      query.andWhere('e.recipient IN (:...recipients)', { recipients: orNone(filter[`#${routing}`] ?? []) });
    }
    const otherTags = Object.keys(filter).some((key) => key.startsWith('#') && key !== `#${routing}`);
    query
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.id', 'ASC')
      .limit(otherTags ? TAG_SCAN_ROWS : limit);
    const events = (await query.getRawMany<{ raw: string }>()).map((r) => JSON.parse(r.raw) as Event);
    return (otherTags ? events.filter((e) => matchFilter(filter as NostrFilter, e)) : events).slice(0, limit);
  }

  /**
   * The engine reads through this. Its default turns `find` into an Observable
   * that never completes when the query fails (the rejection is dropped), which
   * would leave the client's REQ without an answer and the process with an
   * unhandled rejection; here the failure reaches the engine, which answers
   * `CLOSED` with StoreUnavailable's message (and the engine's own second
   * subscription, which has no error handler, is dealt with by dropAnsweredStoreErrors).
   */
  override find$(filter: Filter): Observable<Event> {
    return from(this.find(filter)).pipe(mergeAll());
  }

  /** NIP-09: deletes the author's own events named in `e` tags. */
  override async deleteByDeletionRequest(event: Event): Promise<void> {
    const ids = event.tags.filter((t) => t[0] === 'e' && typeof t[1] === 'string').map((t) => t[1]);
    if (ids.length > 0) {
      await this.rows.delete({ id: In(ids), pubkey: event.pubkey });
    }
  }

  async destroy(): Promise<void> {
    // The data source belongs to the Database module, which closes it.
  }

  /** The relays of `addr`'s newest kind 10050 (NIP-17 DM inbox list) held here, in its order. */
  async dmRelaysOf(addr: string): Promise<string[]> {
    const row = await this.rows.findOne({ where: { pubkey: addr, kind: 10050 }, order: { createdAt: 'DESC' } });
    if (!row) {
      return [];
    }
    const event = JSON.parse(row.raw) as Event;
    return event.tags.filter((t) => t[0] === 'relay' && /^wss?:\/\/./.test(t[1] ?? '')).map((t) => t[1]);
  }

  /** Deletes up to `batch` events received before `receivedBefore` or expired by `now` (unix s); returns how many. */
  async deleteOld(receivedBefore: number, now: number, batch: number): Promise<number> {
    const ids = await this.rows.find({
      select: { id: true },
      where: [{ receivedAt: LessThan(receivedBefore) }, { expiresAt: LessThan(now) }],
      take: batch,
    });
    if (ids.length === 0) {
      return 0;
    }
    const result = await this.rows.delete({ id: In(ids.map((r) => r.id)) });
    return result.affected ?? ids.length;
  }

  /**
   * The engine sends an error's message to the client (`OK false "error: …"`,
   * `CLOSED`): a database failure is logged here and replaced by a plain one, so
   * no SQL or file path reaches a client.
   */
  private async guard<T>(what: 'stored' | 'read', work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.logger.error(`relay events could not be ${what}: ${String(error)}`);
      throw new StoreUnavailable(`error: events could not be ${what} right now; try again`);
    }
  }

  private async insertOnce(row: RelayEventEntity): Promise<boolean> {
    try {
      await this.rows.insert(row);
      return true;
    } catch (error) {
      if (uniqueViolationTarget(error) !== undefined) {
        return false;
      }
      throw error;
    }
  }

  /** NIP-01 replaceable: the newest per (author, kind) wins; ties go to the lower id. */
  private async replace(row: RelayEventEntity): Promise<EventRepositoryUpsertResult> {
    return this.transactions.run(async (manager) => {
      const rows = manager.getRepository(RelayEventEntity);
      const existing = await rows.find({ select: { id: true, createdAt: true }, where: { pubkey: row.pubkey, kind: row.kind } });
      if (existing.some((e) => e.createdAt > row.createdAt || (e.createdAt === row.createdAt && e.id <= row.id))) {
        return { isDuplicate: true };
      }
      if (existing.length > 0) {
        await rows.delete({ id: In(existing.map((e) => e.id)) });
      }
      try {
        await rows.insert(row);
      } catch (error) {
        // Another instance stored the same replacement meanwhile.
        if (uniqueViolationTarget(error) !== undefined) {
          return { isDuplicate: true };
        }
        throw error;
      }
      return { isDuplicate: false };
    });
  }
}

/** `IN ()` is not valid SQL: an empty list matches nothing. */
function orNone(values: readonly string[]): string[] {
  return values.length > 0 ? [...values] : [''];
}

/** `p` or `q` when the filter names only kinds routed by that tag and carries it; the recipient column then answers it. */
function recipientTag(filter: Filter): 'p' | 'q' | undefined {
  const tags = new Set(filter.kinds?.map((k) => PRIVATE_KINDS.get(k)));
  if (tags.size !== 1) {
    return undefined;
  }
  const [tag] = [...tags];
  return tag !== undefined && filter[`#${tag}`] !== undefined ? tag : undefined;
}
