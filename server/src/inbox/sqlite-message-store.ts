import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';

import type { Transactions } from '../database/serialized-transactions';
import { type InsertedMessage, lastSeqWithin, MessageStore, type NewMessage, type StoredRow } from './message-store';

function prepare(db: Database) {
  return {
    // One row when the handle exists, carrying its latest seq (null for none yet).
    recipient: db.prepare<[string, string], { last: number | null }>(
      'SELECT (SELECT max(seq) FROM messages WHERE recipient = ?) AS last FROM handles WHERE handle = ?',
    ),
    insert: db.prepare<[string, number, number, string]>('INSERT INTO messages (recipient, created_at, size, envelope) VALUES (?, ?, ?, ?)'),
    sizes: db.prepare<[string, number, number], { seq: number; size: number }>(
      'SELECT seq, size FROM messages WHERE recipient = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    rows: db.prepare<[string, number, number], StoredRow>(
      'SELECT seq, created_at AS createdAt, envelope FROM messages WHERE recipient = ? AND seq > ? AND seq <= ? ORDER BY seq',
    ),
    latest: db.prepare<[string], { last: number | null }>('SELECT max(seq) AS last FROM messages WHERE recipient = ?'),
    deleteOld: db.prepare<[number, number]>('DELETE FROM messages WHERE seq IN (SELECT seq FROM messages WHERE created_at < ? LIMIT ?)'),
  };
}

/**
 * SQLite: one writer at a time, so a single transaction per batch orders every
 * seq by commit. Statements run synchronously on better-sqlite3's connection,
 * which TypeORM shares: this is the hot path, and a batch of hundreds of inserts
 * costs microseconds each this way. Writes still go through `Transactions`, so
 * they never land inside another module's open transaction.
 */
export class SqliteMessageStore extends MessageStore {
  private statements?: ReturnType<typeof prepare>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
  ) {
    super();
  }

  /** Prepared on first use, after the migrations created the table. */
  private get sql(): ReturnType<typeof prepare> {
    const driver = this.dataSource.driver as unknown as { databaseConnection: Database };
    return (this.statements ??= prepare(driver.databaseConnection));
  }

  insertBatch(rows: readonly NewMessage[]): Promise<(InsertedMessage | null)[]> {
    return this.transactions.run(() => {
      const { recipient, insert } = this.sql;
      // recipient → its latest seq so far; null when there is no such handle.
      const latest = new Map<string, number | null>();
      const results = rows.map((row) => {
        if (!latest.has(row.recipient)) {
          const found = recipient.get(row.recipient, row.recipient);
          latest.set(row.recipient, found ? (found.last ?? 0) : null);
        }
        const prev = latest.get(row.recipient);
        if (prev === null || prev === undefined) {
          return null;
        }
        const seq = Number(insert.run(row.recipient, row.createdAt, row.size, row.envelope).lastInsertRowid);
        latest.set(row.recipient, seq);
        return { seq, prev };
      });
      return Promise.resolve(results);
    });
  }

  page(recipient: string, since: number, limit: number, maxBytes: number): Promise<StoredRow[]> {
    const last = lastSeqWithin(this.sql.sizes.all(recipient, since, limit), maxBytes);
    return Promise.resolve(last === undefined ? [] : this.sql.rows.all(recipient, since, last));
  }

  latestSeq(recipient: string): Promise<number> {
    return Promise.resolve(this.sql.latest.get(recipient)?.last ?? 0);
  }

  deleteOlderThan(createdBefore: number, batch: number): Promise<number> {
    return this.transactions.run(() => Promise.resolve(this.sql.deleteOld.run(createdBefore, batch).changes));
  }
}
