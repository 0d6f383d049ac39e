import { DataSource } from 'typeorm';

import { MIGRATIONS } from '../../src/database/migrations';
import type { InsertedMessage, NewMessage } from '../../src/inbox/message-store';
import { PostgresMessageStore } from '../../src/inbox/postgres-message-store';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const HANDLES = Array.from({ length: 12 }, (_, i) => `user${i}`);

function dataSource(url: string): DataSource {
  return new DataSource({ type: 'postgres', url, migrations: MIGRATIONS, entities: [], extra: { max: 4 } });
}

function row(recipient: string, n: number): NewMessage {
  const envelope = JSON.stringify({ v: 2, ct: `m${n}` });
  return { recipient, createdAt: 1_764_000_000 + n, size: Buffer.byteLength(envelope), envelope };
}

/**
 * `kez_insert_messages` as two instances use it: batches from two pools at once,
 * mixed recipients, unknown handles among them. Every recipient's seqs must form
 * one chain through `prev`, in commit order, which is what a `since` cursor and a
 * stream's gap check rely on.
 */
describe('PostgreSQL inbox writes (one call per batch)', () => {
  let db: TestDatabase;
  let sources: DataSource[];

  beforeAll(async () => {
    db = await createTestDatabase();
    sources = [dataSource(db.url), dataSource(db.url)];
    await sources[0].initialize();
    await sources[0].runMigrations();
    await sources[1].initialize();
    for (const handle of HANDLES) {
      await sources[0].query(`INSERT INTO handles (handle, identity_key, addr, created_at, registered_at) VALUES ($1, $2, $3, 0, 0)`, [
        handle,
        `k-${handle}`,
        `a-${handle}`,
      ]);
    }
  });

  afterAll(async () => {
    await Promise.all((sources ?? []).filter((source) => source.isInitialized).map((source) => source.destroy()));
    await db?.drop();
  });

  it('answers null for an unknown handle and an empty batch with nothing', async () => {
    const store = new PostgresMessageStore(sources[0]);
    expect(await store.insertBatch([])).toEqual([]);
    const [unknown, known] = await store.insertBatch([row('nobody', 0), row('user0', 0)]);
    expect(unknown).toBeNull();
    expect(known).toEqual({ seq: expect.any(Number), prev: 0 });
  });

  it('chains every recipient’s seqs through prev across concurrent batches from two instances, in input order within a batch', async () => {
    const stores = sources.map((source) => new PostgresMessageStore(source));
    const batches: { rows: NewMessage[]; results: Promise<(InsertedMessage | null)[]> }[] = [];
    let n = 1;
    for (let b = 0; b < 60; b++) {
      const rows = Array.from({ length: 1 + (b % 7) }, () => row(b % 5 === 0 && n % 3 === 0 ? 'ghost' : HANDLES[(n * 7 + b) % HANDLES.length], n++));
      batches.push({ rows, results: stores[b % 2].insertBatch(rows) });
    }
    const inserted: { recipient: string; seq: number; prev: number; n: number }[] = [];
    for (const batch of batches) {
      const results = await batch.results;
      expect(results).toHaveLength(batch.rows.length);
      const seqs = results.filter((r) => r !== null).map((r) => r.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      batch.rows.forEach((r, i) => {
        if (r.recipient === 'ghost') {
          expect(results[i]).toBeNull();
        } else {
          inserted.push({ recipient: r.recipient, seq: results[i]!.seq, prev: results[i]!.prev, n: r.createdAt });
        }
      });
    }
    expect(new Set(inserted.map((i) => i.seq)).size).toBe(inserted.length);
    for (const handle of HANDLES) {
      const chain = inserted.filter((i) => i.recipient === handle).sort((a, b) => a.seq - b.seq);
      const firstPrev = (await stores[0].page(handle, 0, 1, 1 << 20))[0]?.seq;
      // The earlier test's message to user0 comes first in its chain.
      let expectedPrev = handle === 'user0' ? firstPrev : 0;
      for (const message of chain) {
        expect(message.prev).toBe(expectedPrev);
        expectedPrev = message.seq;
      }
      const stored = await stores[1].page(handle, 0, 500, 1 << 24);
      expect(stored.map((m) => m.seq)).toEqual([...(handle === 'user0' ? [firstPrev] : []), ...chain.map((m) => m.seq)]);
      expect(await stores[1].latestSeq(handle)).toBe(chain.at(-1)?.seq ?? firstPrev ?? 0);
    }
  });
});
