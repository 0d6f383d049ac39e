import { Module } from '@nestjs/common';

import { OpsFigures } from './figures';
import { MetricsController } from './metrics.controller';
import { OpsNatsService } from './nats-service';

/** What an operator watches: `/v1/metrics`, and the instance as a NATS service (`$SRV.*`). */
@Module({
  controllers: [MetricsController],
  providers: [OpsFigures, OpsNatsService],
})
export class OpsModule {}
