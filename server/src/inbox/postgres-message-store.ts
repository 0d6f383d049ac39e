import { createHash } from 'node:crypto';

import type { DataSource } from 'typeorm';

import { type InsertedMessage, lastSeqWithin, MessageStore, type NewMessage, type StoredRow } from './message-store';

/** First key of every inbox advisory lock, so other modules' locks never collide with these ("KEZ" 0x01). */
export const INBOX_LOCK_CLASS = 0x4b455a01;

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
 *
 * A batch is one call of `kez_insert_messages` (migration 1764613000000), one
 * round trip in its own transaction; docs/adr/0007-postgres-inbox-writes.md has
 * the measurements against a counter row per recipient and one lock per batch.
 */
export class PostgresMessageStore extends MessageStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async insertBatch(rows: readonly NewMessage[]): Promise<(InsertedMessage | null)[]> {
    if (rows.length === 0) {
      return [];
    }
    const keys = [...new Set(rows.map((row) => inboxLockKey(row.recipient)))].sort((a, b) => a - b);
    const results: { out_seq: string | null; out_prev: string | null }[] = await this.dataSource.query(
      'SELECT out_seq, out_prev FROM kez_insert_messages($1, $2, $3, $4, $5, $6)',
      [INBOX_LOCK_CLASS, keys, rows.map((r) => r.recipient), rows.map((r) => r.createdAt), rows.map((r) => r.size), rows.map((r) => r.envelope)],
    );
    return results.map((row) => (row.out_seq === null ? null : { seq: Number(row.out_seq), prev: Number(row.out_prev) }));
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
}
