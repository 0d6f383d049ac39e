import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL only: `kez_insert_messages`, a batch of inbox inserts in one call,
 * so a batch costs one round trip instead of six (BEGIN, locks, heads, seqs,
 * INSERT, COMMIT). See docs/adr/0007-postgres-inbox-writes.md.
 *
 * In a VOLATILE function every statement takes a fresh snapshot: the heads
 * (each recipient's latest seq) are read after the advisory locks are held, so
 * they include every batch that committed while this one waited, and the seqs
 * drawn after the locks are above all of them. `lock_keys` come sorted from the
 * caller (`inboxLockKey`), so two batches never deadlock. Rows whose recipient is
 * not a registered handle get NULL.
 */
export class InsertMessagesFunction1764613000000 implements MigrationInterface {
  name = 'InsertMessagesFunction1764613000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') {
      return;
    }
    await queryRunner.query(INSERT_MESSAGES_FUNCTION);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('DROP FUNCTION IF EXISTS kez_insert_messages(int, int[], varchar[], bigint[], int[], text[])');
    }
  }
}

/** The function's definition (also used by bench/delivery/pg-ordering.ts, which measures it against the alternatives). */
export const INSERT_MESSAGES_FUNCTION = `
CREATE OR REPLACE FUNCTION kez_insert_messages(lock_class int, lock_keys int[], recipients varchar[], created bigint[], sizes int[], envelopes text[])
RETURNS TABLE (out_seq bigint, out_prev bigint)
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  -- A function scan evaluates in array order, so the locks are taken in key order.
  PERFORM pg_advisory_xact_lock(lock_class, k) FROM unnest(lock_keys) AS k;
  RETURN QUERY
  WITH input AS (
    SELECT t.r, t.c, t.s, t.e, t.o FROM unnest(recipients, created, sizes, envelopes) WITH ORDINALITY AS t(r, c, s, e, o)
  ), heads AS (
    SELECT h.handle, coalesce((SELECT max(m.seq) FROM messages m WHERE m.recipient = h.handle), 0) AS last
    FROM handles h WHERE h.handle = ANY(recipients)
  ), accepted AS (
    SELECT i.r, i.c, i.s, i.e, i.o, row_number() OVER (ORDER BY i.o) AS n FROM input i JOIN heads ON heads.handle = i.r
  ), drawn AS (
    SELECT d.seq, row_number() OVER (ORDER BY d.seq) AS n
    FROM (SELECT nextval(pg_get_serial_sequence('messages', 'seq')) AS seq FROM generate_series(1, (SELECT count(*) FROM accepted))) d
  ), numbered AS (
    SELECT a.o, a.r, a.c, a.s, a.e, d.seq, coalesce(lag(d.seq) OVER (PARTITION BY a.r ORDER BY d.seq), heads.last) AS prev
    FROM accepted a JOIN drawn d ON d.n = a.n JOIN heads ON heads.handle = a.r
  ), inserted AS (
    INSERT INTO messages (seq, recipient, created_at, size, envelope) SELECT nb.seq, nb.r, nb.c, nb.s, nb.e FROM numbered nb RETURNING 1
  )
  SELECT nb.seq, nb.prev FROM input LEFT JOIN numbered nb ON nb.o = input.o ORDER BY input.o;
END
$fn$`;
