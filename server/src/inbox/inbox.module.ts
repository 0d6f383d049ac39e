import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AuthModule } from '../auth/auth.module';
import { BrokerModule } from '../broker/broker.module';
import { AppConfig } from '../config/app-config';
import { Transactions } from '../database/serialized-transactions';
import { PushModule } from '../push/push.module';
import { InboxController } from './inbox.controller';
import { InboxMetrics } from './inbox-metrics';
import { InboxService } from './inbox.service';
import { MessageStore } from './message-store';
import { PostgresMessageStore } from './postgres-message-store';
import { RetentionJob } from './retention.job';
import { SqliteMessageStore } from './sqlite-message-store';
import { InboxStreams } from './stream/inbox-streams.service';

/** Messages: posting, inbox pages, live streams with resume, and retention. */
@Module({
  imports: [AuthModule, BrokerModule, PushModule],
  controllers: [InboxController],
  providers: [
    {
      provide: MessageStore,
      useFactory: (config: AppConfig, dataSource: DataSource, transactions: Transactions) =>
        config.db.kind === 'postgres' ? new PostgresMessageStore(dataSource) : new SqliteMessageStore(dataSource, transactions),
      inject: [AppConfig, DataSource, Transactions],
    },
    InboxService,
    InboxMetrics,
    InboxStreams,
    RetentionJob,
  ],
})
export class InboxModule {}
