import { createHash } from 'node:crypto';

import type { DataSource, EntityManager } from 'typeorm';

import type { Transactions } from '../database/serialized-transactions';
import { type InsertedMessage, lastSeqWithin, MessageStore, type NewMessage, type StoredRow } from './message-store';

/** First key of every inbox advisory lock, so other modules' locks never collide with these ("KEZ" 0x01). */
const INBOX_LOCK_CLASS = 0x4b455a01;

/** The second key of a recipient's advisory lock: 32 bits of its SHA-256 (a collision only serializes two inboxes). */
export function inboxLockKey(recipient: string): number {
  return createHash('sha256').update(recipient).digest().readInt32BE(0);
}

/**
 * PostgreSQL, shared by any number of instances. A sequence alone hands out seqs
 * in call order, not commit order: a transaction that took seq 10 may commit after
 * the one that took 11, and a reader that saw 11 would skip 10 for good. So each
 * batch first takes a transaction-scoped advisory lock per recipient (in key order,
 * so two batches never deadlock) and only then draws its seqs: one recipient's
 * seqs are drawn and committed strictly one transaction after another.
 */
export class PostgresMessageStore extends MessageStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
  ) {
    super();
  }

  insertBatch(rows: readonly NewMessage[]): Promise<(InsertedMessage | null)[]> {
    return this.transactions.run(async (manager) => {
      const recipients = [...new Set(rows.map((row) => row.recipient))];
      const keys = [...new Set(recipients.map(inboxLockKey))].sort((a, b) => a - b);
      // A function scan evaluates in array order, so the locks are taken in key order.
      await manager.query('SELECT pg_advisory_xact_lock($1::int, k) FROM unnest($2::int[]) AS k', [INBOX_LOCK_CLASS, keys]);
      const latest = await this.latestOfExisting(manager, recipients);
      const accepted = rows.filter((row) => latest.has(row.recipient));
      const seqs = await this.drawSeqs(manager, accepted.length);
      if (accepted.length > 0) {
        await manager.query(
          'INSERT INTO messages (seq, recipient, created_at, size, envelope) ' +
            'SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::bigint[], $4::int[], $5::text[])',
          [seqs, accepted.map((r) => r.recipient), accepted.map((r) => r.createdAt), accepted.map((r) => r.size), accepted.map((r) => r.envelope)],
        );
      }
      let next = 0;
      return rows.map((row) => {
        const prev = latest.get(row.recipient);
        if (prev === undefined) {
          return null;
        }
        const seq = seqs[next++];
        latest.set(row.recipient, seq);
        return { seq, prev };
      });
    });
  }

  async page(recipient: string, since: number, limit: number, maxBytes: number): Promise<StoredRow[]> {
    const sizes: { seq: string; size: number }[] = await this.dataSource.query(
      'SELECT seq, size FROM messages WHERE recipient = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [recipient, since, limit],
    );
    const last = lastSeqWithin(
      sizes.map((row) => ({ seq: Number(row.seq), size: row.size })),
      maxBytes,
    );
    if (last === undefined) {
      return [];
    }
    const rows: { seq: string; created_at: string; envelope: string }[] = await this.dataSource.query(
      'SELECT seq, created_at, envelope FROM messages WHERE recipient = $1 AND seq > $2 AND seq <= $3 ORDER BY seq',
      [recipient, since, last],
    );
    return rows.map((row) => ({ seq: Number(row.seq), createdAt: Number(row.created_at), envelope: row.envelope }));
  }

  async latestSeq(recipient: string): Promise<number> {
    const [row]: { last: string | null }[] = await this.dataSource.query('SELECT max(seq) AS last FROM messages WHERE recipient = $1', [recipient]);
    return Number(row?.last ?? 0);
  }

  async deleteOlderThan(createdBefore: number, batch: number): Promise<number> {
    // SKIP LOCKED: instances sweeping at the same time take different rows instead of queueing.
    const [row]: { n: string }[] = await this.dataSource.query(
      'WITH gone AS (DELETE FROM messages WHERE seq IN ' +
        '(SELECT seq FROM messages WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING 1) ' +
        'SELECT count(*) AS n FROM gone',
      [createdBefore, batch],
    );
    return Number(row?.n ?? 0);
  }

  /** recipient → latest seq, for the recipients that are registered handles. Run under their locks. */
  private async latestOfExisting(manager: EntityManager, recipients: string[]): Promise<Map<string, number>> {
    const found: { handle: string; last: string | null }[] = await manager.query(
      'SELECT h.handle, (SELECT max(m.seq) FROM messages m WHERE m.recipient = h.handle) AS last FROM handles h WHERE h.handle = ANY($1::varchar[])',
      [recipients],
    );
    return new Map(found.map((row) => [row.handle, Number(row.last ?? 0)]));
  }

  /** `count` fresh seqs, ascending; drawn after the locks, so above every committed seq of these recipients. */
  private async drawSeqs(manager: EntityManager, count: number): Promise<number[]> {
    if (count === 0) {
      return [];
    }
    const rows: { seq: string }[] = await manager.query(
      "SELECT nextval(pg_get_serial_sequence('messages', 'seq')) AS seq FROM generate_series(1, $1)",
      [count],
    );
    return rows.map((row) => Number(row.seq)).sort((a, b) => a - b);
  }
}
