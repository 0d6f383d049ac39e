// `node -r esbuild-register bench/delivery/pg-ordering.ts [seconds] [batch sizes]`:
// the PostgreSQL inbox write path, four ways of keeping a recipient's seqs in
// commit order, measured against each other on one fresh database (the numbers
// behind docs/adr/0007-postgres-inbox-writes.md). Two writers at once, as two
// instances would be; 100 recipients; 1 KiB envelopes.
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { createTestDatabase } from '../../server/test/support/postgres';
import { MIGRATIONS } from '../../server/src/database/migrations';
import { INBOX_LOCK_CLASS, inboxLockKey } from '../../server/src/inbox/postgres-message-store';

const RECIPIENTS = Array.from({ length: 100 }, (_, i) => `r${i}`);
const ENVELOPE = JSON.stringify({ v: 2, ct: 'x'.repeat(1000) });

/** The per-recipient counter row: a `last` seq kept in its own row, locked FOR UPDATE in handle order. */
const COUNTER_SETUP = [
  'CREATE TABLE inbox_heads (handle varchar(32) PRIMARY KEY, last bigint NOT NULL)',
  `CREATE FUNCTION bench_insert_counter(recipients varchar[], created bigint[], sizes int[], envelopes text[])
RETURNS TABLE (out_seq bigint, out_prev bigint) LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  PERFORM 1 FROM inbox_heads h WHERE h.handle = ANY(recipients) ORDER BY h.handle FOR UPDATE;
  RETURN QUERY
  WITH input AS (
    SELECT t.r, t.c, t.s, t.e, t.o FROM unnest(recipients, created, sizes, envelopes) WITH ORDINALITY AS t(r, c, s, e, o)
  ), heads AS (
    SELECT h.handle, h.last FROM inbox_heads h WHERE h.handle = ANY(recipients)
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
  ), moved AS (
    UPDATE inbox_heads h SET last = x.top FROM (SELECT nb.r, max(nb.seq) AS top FROM numbered nb GROUP BY nb.r) x WHERE h.handle = x.r RETURNING 1
  )
  SELECT nb.seq, nb.prev FROM input LEFT JOIN numbered nb ON nb.o = input.o ORDER BY input.o;
END
$fn$`,
];

type Batch = { recipients: string[]; created: number[]; sizes: number[]; envelopes: string[] };
type Variant = { name: string; write: (client: Client, batch: Batch) => Promise<void> };

const sortedKeys = (recipients: string[]) => [...new Set(recipients.map(inboxLockKey))].sort((a, b) => a - b);

const VARIANTS: Variant[] = [
  {
    // What the store did before: a client-side transaction, six round trips.
    name: 'advisory lock per recipient, 6 round trips (BEGIN … COMMIT)',
    write: async (client, b) => {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1::int, k) FROM unnest($2::int[]) AS k', [INBOX_LOCK_CLASS, sortedKeys(b.recipients)]);
        await client.query(
          'SELECT h.handle, (SELECT max(m.seq) FROM messages m WHERE m.recipient = h.handle) AS last FROM handles h WHERE h.handle = ANY($1::varchar[])',
          [[...new Set(b.recipients)]],
        );
        const seqs = await client.query("SELECT nextval(pg_get_serial_sequence('messages', 'seq')) AS seq FROM generate_series(1, $1)", [b.recipients.length]);
        await client.query(
          'INSERT INTO messages (seq, recipient, created_at, size, envelope) SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::bigint[], $4::int[], $5::text[])',
          [seqs.rows.map((r: { seq: string }) => r.seq), b.recipients, b.created, b.sizes, b.envelopes],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  },
  {
    name: 'advisory lock per recipient, one call (kez_insert_messages)',
    write: async (client, b) => {
      await client.query('SELECT out_seq, out_prev FROM kez_insert_messages($1, $2, $3, $4, $5, $6)', [
        INBOX_LOCK_CLASS,
        sortedKeys(b.recipients),
        b.recipients,
        b.created,
        b.sizes,
        b.envelopes,
      ]);
    },
  },
  {
    name: 'counter row per recipient (FOR UPDATE, updated in the same call)',
    write: async (client, b) => {
      await client.query('SELECT out_seq, out_prev FROM bench_insert_counter($1, $2, $3, $4)', [b.recipients, b.created, b.sizes, b.envelopes]);
    },
  },
  {
    name: 'one lock per batch, one call',
    write: async (client, b) => {
      await client.query('SELECT out_seq, out_prev FROM kez_insert_messages($1, $2, $3, $4, $5, $6)', [
        INBOX_LOCK_CLASS,
        [0],
        b.recipients,
        b.created,
        b.sizes,
        b.envelopes,
      ]);
    },
  },
];

function makeBatch(size: number, n: number): Batch {
  const recipients = Array.from({ length: size }, (_, i) => RECIPIENTS[(n * 31 + i * 7) % RECIPIENTS.length]);
  return { recipients, created: recipients.map(() => 1_764_000_000), sizes: recipients.map(() => ENVELOPE.length), envelopes: recipients.map(() => ENVELOPE) };
}

/** Two writers, each sending batches back to back for `seconds`; rows/s and mean ms per batch. */
async function measure(url: string, variant: Variant, size: number, seconds: number): Promise<{ rowsPerSec: number; msPerBatch: number }> {
  const clients = [new Client({ connectionString: url }), new Client({ connectionString: url })];
  await Promise.all(clients.map((c) => c.connect()));
  let batches = 0;
  const started = Date.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      for (let n = 0; Date.now() < deadline; n++) {
        await variant.write(client, makeBatch(size, batches++));
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  return { rowsPerSec: (batches * size) / elapsed, msPerBatch: (elapsed * 1000 * clients.length) / batches };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const sizes = (process.argv[3] ?? '1,20,100').split(',').map(Number);
  const db = await createTestDatabase();
  try {
    const source = new DataSource({ type: 'postgres', url: db.url, migrations: MIGRATIONS, entities: [] });
    await source.initialize();
    await source.runMigrations();
    for (const handle of RECIPIENTS) {
      await source.query('INSERT INTO handles (handle, identity_key, addr, created_at, registered_at) VALUES ($1, $2, $3, 0, 0)', [
        handle,
        `k-${handle}`,
        `a-${handle}`,
      ]);
    }
    for (const statement of COUNTER_SETUP) {
      await source.query(statement);
    }
    await source.query('INSERT INTO inbox_heads SELECT handle, 0 FROM handles');
    await source.destroy();
    const rows: string[] = [];
    for (const size of sizes) {
      for (const variant of VARIANTS) {
        await measure(db.url, variant, size, 1); // warm-up
        const result = await measure(db.url, variant, size, seconds);
        process.stderr.write(`batch ${size}: ${variant.name}: ${result.rowsPerSec.toFixed(0)} rows/s, ${result.msPerBatch.toFixed(2)} ms/batch\n`);
        rows.push(`| ${size} | ${variant.name} | ${result.rowsPerSec.toFixed(0)} | ${result.msPerBatch.toFixed(2)} |`);
      }
    }
    process.stdout.write(['| rows per batch | ordering | rows/s (2 writers) | ms per batch |', '|---|---|---|---|', ...rows].join('\n') + '\n');
  } finally {
    await db.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exitCode = 1;
});
