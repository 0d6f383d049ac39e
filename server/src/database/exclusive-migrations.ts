import { DataSource, type DataSourceOptions } from 'typeorm';

import { isLostMigrationRace, retryOnSqliteBusy } from './sqlite-busy';

/** Session advisory lock held while migrating ("KEZ" 0x00, 0); the inbox's locks use another first key. */
const MIGRATION_LOCK = [0x4b455a00, 0];

/**
 * Opens the data source and runs pending migrations, one process at a time.
 *
 * Instances of a cluster start together. Left alone, each would run the same
 * migration at once on a fresh database, and all but one would fail on the
 * catalog ("duplicate key … pg_type") and start only after a connection retry,
 * or not at all with retries off. On PostgreSQL the others wait on an advisory
 * lock instead, then find nothing left to run. Processes sharing a SQLite file
 * are serialized by SQLite's write lock; one that loses it, or finds a table the
 * other just created, runs the migrations again.
 */
export async function openMigrated(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource({ ...options, migrationsRun: false });
  await dataSource.initialize();
  try {
    if (options.type === 'postgres') {
      await migrateUnderLock(dataSource);
    } else {
      await retryOnSqliteBusy(() => dataSource.runMigrations(), 10, isLostMigrationRace);
    }
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

async function migrateUnderLock(dataSource: DataSource): Promise<void> {
  // A session lock lives on one connection: keep that connection for lock and unlock.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1, $2)', MIGRATION_LOCK);
    try {
      await dataSource.runMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1, $2)', MIGRATION_LOCK);
    }
  } finally {
    await runner.release();
  }
}
