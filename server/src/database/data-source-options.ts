import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import type { DataSourceOptions } from 'typeorm';

import type { DatabaseConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';

/** How long a SQLite writer waits for another process's lock before giving up. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export function dataSourceOptions(db: DatabaseConfig, entities: DataSourceOptions['entities']): DataSourceOptions {
  const common = { entities, migrations: MIGRATIONS, migrationsRun: true, synchronize: false, logging: false } as const;
  if (db.kind === 'postgres') {
    return { ...common, type: 'postgres', url: db.url, extra: { max: 10, connectionTimeoutMillis: 5_000 } };
  }
  const path = db.path === ':memory:' ? db.path : resolve(db.path);
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: path,
    enableWAL: true,
    timeout: SQLITE_BUSY_TIMEOUT_MS,
    // WAL plus NORMAL sync is durable across process crashes, which is what a 201 promises.
    prepareDatabase: (connection: { pragma(sql: string): unknown }) => {
      connection.pragma('synchronous = NORMAL');
      connection.pragma('foreign_keys = ON');
    },
  };
}
