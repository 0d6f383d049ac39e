import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { Client } from 'pg';

import { createTestDatabase } from './postgres';

/** Direct access to the server's database, for what no endpoint can do (planting old rows). */
export interface MessageTable {
  insert(recipient: string, createdAt: number, envelope: object): Promise<void>;
  close(): Promise<void>;
}

/** One store for one test file: the server's env, raw table access, and cleanup. */
export interface StoreRun {
  name: string;
  env: Record<string, string>;
  messages(): Promise<MessageTable>;
  /** Runs one statement on the server's database (`$1`, `$2`, … in order, on both stores). */
  sql(text: string, params: unknown[]): Promise<void>;
  cleanup(): Promise<void>;
}

const INSERT = 'INSERT INTO messages (recipient, created_at, size, envelope) VALUES ';

export async function sqliteRun(): Promise<StoreRun> {
  const path = join(mkdtempSync(join(tmpdir(), 'kez-inbox-')), 'kez.db');
  return {
    name: 'SQLite',
    env: { KEZ_CHAT_DB: path },
    messages: () => {
      const db = new Database(path, { timeout: 10_000 });
      const insert = db.prepare(`${INSERT}(?, ?, ?, ?)`);
      return Promise.resolve({
        insert: (recipient, createdAt, envelope) => {
          const text = JSON.stringify(envelope);
          insert.run(recipient, createdAt, Buffer.byteLength(text), text);
          return Promise.resolve();
        },
        close: () => Promise.resolve(void db.close()),
      });
    },
    sql: (text, params) => {
      const db = new Database(path, { timeout: 10_000 });
      try {
        // Positional `?` for better-sqlite3: the statements here use $1, $2, … in order.
        db.prepare(text.replace(/\$\d+/g, '?')).run(...params);
      } finally {
        db.close();
      }
      return Promise.resolve();
    },
    cleanup: () => Promise.resolve(),
  };
}

export async function postgresRun(): Promise<StoreRun> {
  const db = await createTestDatabase();
  return {
    name: 'PostgreSQL',
    env: { KEZ_CHAT_DB: db.url },
    messages: async () => {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      return {
        insert: async (recipient, createdAt, envelope) => {
          const text = JSON.stringify(envelope);
          await client.query(`${INSERT}($1, $2, $3, $4)`, [recipient, createdAt, Buffer.byteLength(text), text]);
        },
        close: () => client.end(),
      };
    },
    sql: async (text, params) => {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query(text, params);
      } finally {
        await client.end();
      }
    },
    cleanup: db.drop,
  };
}
