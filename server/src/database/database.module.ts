import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { openMigrated } from './exclusive-migrations';
import { Transactions } from './serialized-transactions';

/** The TypeORM data source (SQLite by default, PostgreSQL by URL), migrated at start. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.db, []),
        autoLoadEntities: true,
        retryAttempts: config.dbConnectAttempts - 1,
        retryDelay: 2_000,
      }),
      // Instances starting together take turns to migrate (see openMigrated).
      dataSourceFactory: (options) => openMigrated(options!),
    }),
  ],
  providers: [Transactions],
  exports: [Transactions],
})
export class DatabaseModule {}
