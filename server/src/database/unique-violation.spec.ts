import Database from 'better-sqlite3';
import { DatabaseError } from 'pg';

import { uniqueViolationTarget } from './unique-violation';

/** The error better-sqlite3 throws for `sql` run on a table with one unique column. */
function sqliteError(sql: string): unknown {
  const db = new Database(':memory:');
  try {
    db.exec('CREATE TABLE handles (handle TEXT PRIMARY KEY, identity_key TEXT UNIQUE)');
    db.exec("INSERT INTO handles VALUES ('alice', 'k1')");
    db.exec(sql);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
}

/** PostgreSQL's error as pg hands it over: SQLSTATE, constraint and detail as strings. */
function postgresError(code: string, fields: { constraint?: string; detail?: string } = {}): DatabaseError {
  return Object.assign(new DatabaseError('duplicate key value violates unique constraint', 0, 'error'), { code, ...fields });
}

describe(uniqueViolationTarget.name, () => {
  it("names SQLite's column, bare or wrapped by TypeORM", () => {
    const unique = sqliteError("INSERT INTO handles VALUES ('bob', 'k1')");
    expect(uniqueViolationTarget(unique)).toBe('UNIQUE constraint failed: handles.identity_key');
    expect(uniqueViolationTarget({ driverError: unique })).toBe('UNIQUE constraint failed: handles.identity_key');
    expect(uniqueViolationTarget(sqliteError("INSERT INTO handles VALUES ('alice', 'k2')"))).toBe('UNIQUE constraint failed: handles.handle');
  });

  it("names PostgreSQL's constraint and detail, and leaves a missing one empty", () => {
    const error = postgresError('23505', { constraint: 'handles_identity_key_key', detail: 'Key (identity_key)=(k1) already exists.' });
    expect(uniqueViolationTarget({ driverError: error })).toBe('handles_identity_key_key Key (identity_key)=(k1) already exists.');
    expect(uniqueViolationTarget(postgresError('23505'))).toBe(' ');
  });

  it('answers undefined for any other failure', () => {
    expect(uniqueViolationTarget(sqliteError('INSERT INTO handles VALUES (1, 2, 3)'))).toBeUndefined();
    expect(uniqueViolationTarget(postgresError('23503', { constraint: 'fk' }))).toBeUndefined();
    expect(uniqueViolationTarget(new Error('connection lost'))).toBeUndefined();
    expect(uniqueViolationTarget(undefined)).toBeUndefined();
  });
});
