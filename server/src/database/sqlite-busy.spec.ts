import { isLostMigrationRace, isSqliteBusy, retryOnSqliteBusy } from './sqlite-busy';

const busy = (code = 'SQLITE_BUSY_SNAPSHOT') => Object.assign(new Error('database is locked'), { code });

describe(retryOnSqliteBusy.name, () => {
  it('runs the work again while SQLite says busy, then answers', async () => {
    let calls = 0;
    const result = await retryOnSqliteBusy(() => (++calls < 3 ? Promise.reject(busy()) : Promise.resolve('done')));
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('gives up after the bounded number of attempts with the last error', async () => {
    let calls = 0;
    await expect(retryOnSqliteBusy(() => (calls++, Promise.reject(busy('SQLITE_BUSY'))), 4)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(calls).toBe(4);
  });

  it('does not repeat work that failed for another reason', async () => {
    let calls = 0;
    const constraint = Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    await expect(retryOnSqliteBusy(() => (calls++, Promise.reject(constraint)))).rejects.toBe(constraint);
    expect(calls).toBe(1);
  });
});

describe(isSqliteBusy.name, () => {
  it('recognizes better-sqlite3 errors and TypeORM-wrapped ones', () => {
    expect(isSqliteBusy(busy('SQLITE_BUSY'))).toBe(true);
    expect(isSqliteBusy({ driverError: busy('SQLITE_BUSY_SNAPSHOT') })).toBe(true);
    expect(isSqliteBusy(new Error('x'))).toBe(false);
    expect(isSqliteBusy(undefined)).toBe(false);
  });
});

describe(isLostMigrationRace.name, () => {
  it('retries a CREATE that met the table another process just created, and busy errors', () => {
    expect(isLostMigrationRace(new Error('SqliteError: table "migrations" already exists'))).toBe(true);
    expect(isLostMigrationRace(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe(true);
    expect(isLostMigrationRace(new Error('no such column: x'))).toBe(false);
  });
});
