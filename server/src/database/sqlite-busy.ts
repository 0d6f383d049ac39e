/** Attempts of one SQLite transaction that another process keeps beating to the write lock. */
const DEFAULT_ATTEMPTS = 10;
/** First pause between attempts; it doubles each time (with jitter), capped below. */
const FIRST_PAUSE_MS = 5;
const MAX_PAUSE_MS = 250;

/**
 * SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, …), as better-sqlite3
 * throws them or as TypeORM wraps them (`driverError`).
 */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code ?? (error as { driverError?: { code?: unknown } })?.driverError?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs a SQLite write transaction again when another process held the database.
 *
 * The busy timeout already waits for a plain lock. It cannot help a transaction
 * that read first and then wants to write after another process committed: in
 * WAL mode its snapshot is stale, and SQLite fails it at once (SQLITE_BUSY_SNAPSHOT)
 * rather than let it write over data it has not seen. The whole transaction then
 * has to run again from its first read, which is what this does, a bounded number
 * of times with growing, jittered pauses so two processes do not collide in step.
 * `work` must be safe to repeat: a failed attempt was rolled back.
 */
export async function retryOnSqliteBusy<T>(
  work: () => Promise<T>,
  attempts = DEFAULT_ATTEMPTS,
  retryable: (error: unknown) => boolean = isSqliteBusy,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) {
        throw error;
      }
      const pause = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, pause / 2 + Math.random() * pause));
    }
  }
}

/**
 * A migration step that another process sharing the file has just done: its
 * `CREATE TABLE` meets the table the other one created (even TypeORM's own
 * `migrations` table, which it creates outside any transaction). Running the
 * migrations again then finds the work recorded and does nothing.
 */
export function isLostMigrationRace(error: unknown): boolean {
  const message = (error as { message?: unknown })?.message;
  return isSqliteBusy(error) || (typeof message === 'string' && /\balready exists\b/.test(message));
}
