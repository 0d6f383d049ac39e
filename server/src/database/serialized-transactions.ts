import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { retryOnSqliteBusy } from './sqlite-busy';

/**
 * Runs work in a database transaction. TypeORM's SQLite driver shares one
 * connection, so two overlapping transactions would nest and fail; for SQLite
 * they are queued here and run one after another. PostgreSQL runs them in
 * parallel on its pool.
 */
@Injectable()
export class Transactions {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type === 'postgres') {
      return this.dataSource.transaction(work);
    }
    // Other processes may share the file: a transaction that lost the write lock to one runs again.
    const result = this.tail.then(() => retryOnSqliteBusy(() => this.dataSource.transaction(work)));
    this.tail = result.catch(() => undefined);
    return result;
  }
}
