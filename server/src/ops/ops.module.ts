import { Module } from '@nestjs/common';

import { InboxModule } from '../inbox/inbox.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { OpsFigures } from './figures';
import { MetricsController } from './metrics.controller';
import { OpsNatsService } from './nats-service';

/** What an operator watches: `/v1/metrics`, and the instance as a NATS service (`$SRV.*`). */
@Module({
  imports: [InboxModule, RateLimitModule],
  controllers: [MetricsController],
  providers: [OpsFigures, OpsNatsService],
})
export class OpsModule {}
